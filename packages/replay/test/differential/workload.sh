#!/bin/bash
# The workload of the differential check (differential.mjs): what a box does that the state engine must
# follow, on purpose. Directory walks with a dirfd (find, grep -r, tar, rm -r), long argument lists
# (xargs), shell pipelines and exec chains, curl over IPv4 and IPv6 loopback, and the system calls of
# state-workload.c (dup/fcntl, cwd, close-on-exec, threads, fork/vfork/clone3/CLONE_FILES, setuid, prctl,
# eventfd … memfd, TCP/UDP/unix sockets). Run it under `scapkit record -- bash workload.sh`; it cleans up
# after itself. Needs a C compiler (cc), curl, tar, find, grep, xargs.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/scapkit-workload.XXXXXX")
trap 'rm -rf "$work"' EXIT
cc -O1 -o "$work/state-workload" "$here/state-workload.c" -lpthread
cd "$work"

# Directory walks: every openat below a directory fd must get its full path.
mkdir -p tree/etc/ssh tree/c
for i in $(seq 1 40); do echo "PermitRootLogin no # $i" > "tree/etc/ssh/f$i"; echo "x $i" > "tree/c/g$i"; done
find tree -type f -name 'f*' > /dev/null
find /usr/share/doc -maxdepth 2 -type f | head -400 | xargs cat > /dev/null
grep -r -l PermitRootLogin /etc/ssh tree > /dev/null || true
tar cf tree.tar tree
mkdir out && tar xf tree.tar -C out
rm -r tree out tree.tar

# Pipelines and exec chains.
cat /etc/passwd | sort | uniq -c | wc -l > /dev/null
sh -c 'id; date' > /dev/null
bash -c 'exec sh -c "exec /bin/true"'
(cd /usr/share && ls > /dev/null)

# A set-user-ID program: its execve changes the process's effective uid.
cp /usr/bin/id ./suid-id && chown nobody ./suid-id && chmod 4755 ./suid-id
./suid-id -u > /dev/null

# The system calls, one part after another.
./state-workload all "$work"

# curl to a local server on 127.0.0.1 and ::1.
./state-workload http "$work/ports" 2 &
server=$!
until [ -s "$work/ports" ]; do sleep 0.02; done
read -r port4 port6 < "$work/ports"
curl -s -o /dev/null "http://127.0.0.1:$port4/"
curl -s -g -o /dev/null "http://[::1]:$port6/"
wait "$server"
