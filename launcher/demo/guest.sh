# The demo guest's script. PID 1 runs it once every share the VM has is mounted at /mnt/TAG
# (launcher/guest/init, jvfs.automount=1).
echo
echo "== the guest mounted its shares with mount -t virtiofs TAG /mnt/TAG:"
grep virtiofs /proc/mounts
for d in /mnt/*/; do
  echo "== ls -la $d"
  ls -la "$d"
  for f in "$d"*.txt; do
    [ -f "$f" ] && { echo "== cat $f"; cat "$f"; }
  done
done
echo "hello from the guest, kernel $(uname -r)" > /mnt/demo/from-the-guest.txt
echo "== wrote /mnt/demo/from-the-guest.txt"
if grep -q 'jvfs.interactive=1' /proc/cmdline; then
  echo "== a shell in the guest: the shares are under /mnt; 'exit' powers the VM off"
  setsid cttyhack sh
fi
