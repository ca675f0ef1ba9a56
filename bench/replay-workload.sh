#!/bin/bash
# The mixed workload bench/replay.bench.mjs records: file reads (find | xargs cat over /usr/lib), a tar of
# /usr/share/doc, and short-lived processes (python3, sh -c 'id; date'), for $1 seconds (default 25).
end=$((SECONDS + ${1:-25}))
( while [ $SECONDS -lt $end ]; do find /usr/lib -type f 2>/dev/null | head -3000 | xargs cat > /dev/null 2>&1; done ) &
( while [ $SECONDS -lt $end ]; do tar cf - /usr/share/doc 2>/dev/null > /dev/null; done ) &
( while [ $SECONDS -lt $end ]; do python3 -c 'import json,os; [os.stat("/etc") for _ in range(1000)]'; sh -c 'id; date' > /dev/null; done ) &
wait
