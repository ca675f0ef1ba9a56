#!/usr/bin/env bash
# Brings a fresh Debian 12 machine to a built scapkit: Debian packages the build and tests need, pnpm,
# the dependencies, the TypeScript build and the native probe. Every step is skipped when already done,
# so `npm test` and `npm run demo` can call it every time.
set -euo pipefail
cd "$(dirname "$0")/.."

build_only=0
[ "${1:-}" = "--build-only" ] && build_only=1
step() { printf '\033[1m[setup]\033[0m %s\n' "$*" >&2; }
die() { printf '[setup] error: %s\n' "$*" >&2; exit 1; }

# Debian packages: the probe's toolchain (clang, libbpf, libelf, zlib, bpftool; make, g++ and python3 also
# build zstd-napi from its bundled sources), and the tools the tests and benchmarks compare against (sysdig
# reads .scap files without its kernel driver; strace; the zstd CLI writes the codec tests' golden frames).
# podman, runc and busybox-static run the container tests' containers, docker.io its docker engine (issue #19).
need_pkgs=(clang llvm make g++ python3 libbpf-dev libelf-dev zlib1g-dev bpftool sysdig strace chromium zstd
  podman runc busybox-static docker.io)
missing=()
if [ "$build_only" = 0 ]; then
  for p in "${need_pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
fi
if [ ${#missing[@]} -gt 0 ]; then
  step "installing Debian packages: ${missing[*]}"
  sudo=""
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || die "need root (or sudo) to install: ${missing[*]}"
    sudo=sudo
  fi
  $sudo apt-get update -qq >/dev/null
  # sysdig's dkms part cannot build a kernel module here; reading files needs none, so skip recommends.
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || die "apt-get install failed for: ${missing[*]}"
fi

if ! command -v pnpm >/dev/null 2>&1; then
  step "installing pnpm"
  npm install -g --silent pnpm@9.15.9 >/dev/null 2>&1 || die "npm install -g pnpm failed"
fi

stamp=node_modules/.scapkit-install-stamp
if [ ! -f "$stamp" ] || [ pnpm-lock.yaml -nt "$stamp" ] || [ package.json -nt "$stamp" ]; then
  step "installing dependencies (pnpm install)"
  if [ -f pnpm-lock.yaml ]; then
    pnpm install --frozen-lockfile --reporter=append-only
  else
    pnpm install --reporter=append-only
  fi
  touch "$stamp"
fi

step "building TypeScript (tsc -b)"
pnpm exec tsc -b

# The CLI as one bundled file with V8's code cache: less start-up per command than compiling ~100 modules
# (issue #4; the start-up lines of bench/replay.bench.mjs measure it).
# The bin uses the bundle only while it is newer than every package's build, else dist/cli.js.
# The viewer's page: one self-contained index.html (scapkit view serves it; it also opens from disk).
step "building the viewer page (packages/viewer/scripts/build.mjs)"
node packages/viewer/scripts/build.mjs

step "bundling the CLI (scripts/bundle-cli.mjs)"
node scripts/bundle-cli.mjs

if [ -f packages/bpf-probe/Makefile ]; then
  step "building the eBPF probe and its addon"
  pnpm --filter @scapkit/bpf-probe run --silent build:native
fi
step "ready: npx scapkit --help (here); a scapkit command on PATH: npm run install-cli [-- --link]"
