#!/bin/sh
# The columnar benchmarks' workload (scale $1): a loopback web server answering curl, file reads across
# /usr/share, process starts, an archive of /usr/share/doc, a large write. Loopback only.
scale=${1:-1}
dir=$(mktemp -d)
cd "$dir" || exit 1
python3 -m http.server 18765 --bind 127.0.0.1 >/dev/null 2>&1 &
srv=$!
sleep 1
for i in $(seq 1 $((600 * scale))); do curl -s -o /dev/null http://127.0.0.1:18765/ ; done
find /usr/share -type f 2>/dev/null | head -$((80000 * scale)) | xargs cat > /dev/null 2>&1
for i in $(seq 1 $((600 * scale))); do ls /etc > /dev/null; /bin/true; done
tar cf - /usr/share/doc 2>/dev/null | cat > /dev/null
dd if=/dev/zero of="$dir/zero" bs=512 count=$((900000 * scale)) 2>/dev/null
kill $srv
cd / && rm -rf "$dir"
