#!/bin/bash
# Each behaviour scapkit's default ruleset looks for, done for real on this box and undone after: the
# default-rules integration test records this script with `scapkit record -- bash behaviours.sh PORT`
# and checks that every rule fires for the step that does what it describes, and that the rules of
# Falco's stock ruleset that describe a step fire for it. Everything it creates is
# named scapkit-test-<pid> and removed. Arguments: PORT, a TCP listener on 127.0.0.1 (the test's), and
# PIDFILE, where the script writes its pid first (the test judges only this script's processes: the
# recording holds the whole box).
set -u
port=$1
echo $$ > "$2"
tag=scapkit-test-$$
work=$(mktemp -d /run/$tag.XXXX)

# Sensitive file read
cat /etc/shadow > /dev/null
# Write below /etc (and remove it)
touch /etc/$tag && rm -f /etc/$tag
# Crontab changed
: > /etc/cron.d/$tag && rm -f /etc/cron.d/$tag
# SSH authorized keys changed
mkdir -p /root/.ssh && : >> /root/.ssh/authorized_keys_$tag && rm -f /root/.ssh/authorized_keys_$tag
# Write below a system directory, then run the modified binary
cp /bin/true /usr/local/bin/$tag && /usr/local/bin/$tag && rm -f /usr/local/bin/$tag
# Log file truncated, then deleted
echo x > /var/log/$tag.log && : > /var/log/$tag.log && rm -f /var/log/$tag.log
# Program run from a temporary directory
cp /bin/true /tmp/$tag && /tmp/$tag && rm -f /tmp/$tag
# Fileless execution: /bin/true copied into a memfd (memfd_create, 319) and executed from it
perl -e '
  my $name = "payload";
  my $fd = syscall(319, $name, 0);
  die "memfd_create: $!" if $fd < 0;
  open(my $m, ">&=", $fd) or die;
  open(my $t, "<", "/bin/true") or die;
  binmode $t; binmode $m; local $/; my $elf = <$t>; print {$m} $elf; close $t; $m->flush;
  exec { "/proc/self/fd/$fd" } "payload" or die "exec: $!";'
# Privileges changed with su
su nobody -s /bin/sh -c true
# Namespace changed
unshare --uts true
# Ptrace attached to a process
sleep 30 & victim=$!
timeout 2 strace -qq -p $victim -e trace=none 2>/dev/null
kill $victim 2>/dev/null; wait $victim 2>/dev/null
# Kernel module load attempt (finit_module on a file that is not a module: refused, still attempted)
perl -e 'open(my $f, "<", "/etc/hostname") or die; my $params = ""; syscall(313, fileno($f), $params, 0);'
# Netcat run (busybox's nc under its own name)
ln -s /bin/busybox "$work/nc" && "$work/nc" -h > /dev/null 2>&1
# Reverse shell: a shell whose stdin/stdout/stderr are a TCP connection (bash's /dev/tcp)
bash -c "exec 3<>/dev/tcp/127.0.0.1/$port; exec 0<&3 1>&3 2>&3; echo $tag; exit 0"
# For Falco's stock ruleset (the test judges the same recording with it too):
# a symlink over a sensitive file,
ln -s /etc/shadow "$work/shadow-link"
# a search for AWS credentials and one for private keys (nothing to find),
grep -r aws_secret_access_key "$work" > /dev/null
find "$work" -name id_rsa > /dev/null
# a program run from /dev/shm,
cp /bin/true /dev/shm/$tag && /dev/shm/$tag && rm -f /dev/shm/$tag
# bulk data removal
echo x > "$work/data" && shred "$work/data"
rm -rf "$work"
