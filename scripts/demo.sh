#!/usr/bin/env bash
# `npm run demo`: record a short workload with the eBPF probe, then ask the recording questions the way a
# user would. Run after scripts/setup.sh (npm run demo does both).
set -euo pipefail
cd "$(dirname "$0")/.."
scapkit() { node packages/recorder/bin/scapkit.js "$@"; }
say() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }

out=${SCAPKIT_DEMO_DIR:-/tmp/scapkit-demo}
mkdir -p "$out"
trace="$out/demo.scap"

if [ "$(id -u)" != 0 ]; then
  echo "scapkit demo: recording loads an eBPF probe and needs root (or CAP_BPF + CAP_PERFMON): run 'sudo npm run demo'." >&2
  exit 1
fi

say "scapkit record -w $trace -- bash scripts/demo-workload.sh"
scapkit record -w "$trace" -- bash scripts/demo-workload.sh

say "scapkit info $trace"
scapkit info "$trace" | head -20

say "scapkit replay -r $trace 'proc.name=cat and evt.type in (open,openat)'"
scapkit replay -r "$trace" 'proc.name=cat and evt.type in (open,openat)'

say "scapkit replay -r $trace -p '%evt.num %proc.name %proc.pname %evt.type %fd.name' 'evt.type=connect and evt.dir=< and fd.type=ipv4'"
scapkit replay -r "$trace" -p '%evt.num %proc.name %proc.pname %evt.type %fd.name' 'evt.type=connect and evt.dir=< and fd.type=ipv4'

say "scapkit replay -r $trace -p '%proc.pid %proc.ppid %proc.name %proc.args' 'evt.type=execve and evt.dir=< and evt.failed=false'"
scapkit replay -r "$trace" -p '%proc.pid %proc.ppid %proc.name %proc.args' 'evt.type=execve and evt.dir=< and evt.failed=false'

if scapkit replay -cl >/dev/null 2>&1; then
  say "scapkit replay -r $trace -c topscalls"
  scapkit replay -r "$trace" -c topscalls | head -15
fi

say "scapkit export -r $trace -w $out/demo-sysdig.scap --format scap   # readable by sysdig -r"
scapkit export -r "$trace" -w "$out/demo-sysdig.scap" --format scap
printf '\nThe trace is %s; try: npx scapkit replay -r %s -j | head\n' "$trace" "$trace"
# A scapkit command on PATH (README, "Install"): where it is now, else how to get one.
if command -v scapkit >/dev/null 2>&1; then
  printf 'scapkit on PATH: %s\n' "$(command -v scapkit)"
else
  printf 'For a scapkit command on PATH: npm run install-cli (npm install -g of the packed packages), or npm run install-cli -- --link (a link to this checkout)\n'
fi
