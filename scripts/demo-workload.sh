#!/usr/bin/env bash
# The demo's workload: a few files, a loopback TCP connection and child processes, so the recording has
# something of everything to show.
set -euo pipefail
dir=$(mktemp -d /tmp/scapkit-demo-work.XXXXXX)
echo "hello from the scapkit demo" > "$dir/greeting.txt"
cat "$dir/greeting.txt" | wc -c > "$dir/count.txt"
sh -c "grep -c demo '$dir/greeting.txt'" > /dev/null
node -e '
  const net = require("node:net");
  const srv = net.createServer((s) => s.end("pong\n")).listen(0, "127.0.0.1", () => {
    const c = net.connect(srv.address().port, "127.0.0.1", () => c.write("ping\n"));
    c.on("data", () => { c.end(); srv.close(); });
  });
'
rm -rf "$dir"
