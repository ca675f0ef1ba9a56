#!/bin/sh
# Freezes the scapkit v1.0 readers (the stream reader and the indexed reader as of commit 80868fe, before
# checkpoint records existed) into one ES module, reader-v1.0.mjs, so tests can check that a v1.0 reader
# reads what today's writer writes. Run from the repository root; commit the output.
set -e
commit=80868fe
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
git archive "$commit" packages/scap-format/src | tar -x -C "$tmp"
cat > "$tmp/entry.ts" <<'TS'
export { readScapkit } from './packages/scap-format/src/index.js';
export { IndexedScapkitReader } from './packages/scap-format/src/node/index.js';
TS
node_modules/.bin/esbuild "$tmp/entry.ts" --bundle --format=esm --platform=node --target=node20 \
  --external:@msgpack/msgpack --external:fzstd --external:lz4-napi --external:zstd-napi \
  --external:'zstd-napi/*' --banner:js="// scapkit v1.0 readers, frozen from commit $commit by make-reader-v1.0.sh: do not edit." \
  --outfile=packages/scap-format/test/golden/reader-v1.0.mjs
