#!/bin/bash
# An ordinary workload for the default ruleset's false-positive check: what an admin and a build do on a
# box all day (list, read, search, copy, archive, compress, hash, edit files in their own directory,
# run an interpreter), none of which any default rule is about. Works in a directory of its own.
# Argument: PIDFILE, where the script writes its pid first.
set -eu
echo $$ > "$1"
work=$(mktemp -d /var/tmp/scapkit-benign.XXXX)
cd "$work"
uname -a > /dev/null
id > /dev/null
hostname > /dev/null
date > /dev/null
ls -la /etc > /dev/null
cat /etc/hostname /etc/os-release > /dev/null
grep -r "root" /etc/passwd /etc/group > /dev/null
head -n 5 /etc/services > /dev/null
find /usr/share/doc -maxdepth 1 -name 'b*' > /dev/null
ps aux > /dev/null
mkdir -p src/a src/b
for i in 1 2 3 4 5; do seq 1 1000 > "src/a/file$i.txt"; done
cp -r src/a src/c
sort -r src/a/file1.txt | uniq | wc -l > /dev/null
sed 's/1/one/g' src/a/file2.txt > src/b/edited.txt
awk '{ s += $1 } END { print s }' src/a/file3.txt > /dev/null
tar -czf src.tar.gz src
mkdir out && tar -xzf src.tar.gz -C out
gzip -k src/a/file4.txt && gunzip -c src/a/file4.txt.gz > /dev/null
sha256sum src/a/* > sums.txt
base64 src/a/file5.txt > /dev/null
perl -e 'my $n = 0; $n += $_ for 1..1000; print "$n\n"' > /dev/null
node -e 'require("fs").readdirSync("src")' 2>/dev/null || true
rm -rf "$work"
