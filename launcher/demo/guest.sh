# The demo guest's script: PID 1 runs it with the share mounted on $JVFS_MNT.
echo
echo "== the guest mounted the share: mount -t virtiofs $JVFS_TAG $JVFS_MNT"
grep virtiofs /proc/mounts
echo "== ls -la $JVFS_MNT"
ls -la "$JVFS_MNT"
for f in "$JVFS_MNT"/*.txt; do
  [ -f "$f" ] && { echo "== cat $f"; cat "$f"; }
done
echo "hello from the guest, kernel $(uname -r)" > "$JVFS_MNT/from-the-guest.txt"
echo "== wrote $JVFS_MNT/from-the-guest.txt"
if grep -q 'jvfs.interactive=1' /proc/cmdline; then
  echo "== a shell in the guest: the share is $JVFS_MNT; 'exit' powers the VM off"
  setsid cttyhack sh
fi
