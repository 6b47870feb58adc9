# A share on a 4 MiB tmpfs: filling it gives the guest ENOSPC; once the file is removed, the
# share takes writes again. dd's messages go to the guest's own /tmp: the share is full.
set -e
cd "$JVFS_MNT"
if dd if=/dev/zero of=fill bs=64k count=256 conv=fsync 2>/tmp/dd.err; then
  echo "VMTEST: 16 MiB fitted on a 4 MiB share"
  exit 1
fi
cat /tmp/dd.err
grep -q "No space left on device" /tmp/dd.err
echo "VMTEST: ENOSPC seen"
rm fill
echo "after the space was freed" > after
sync
[ "$(cat after)" = "after the space was freed" ]
echo "VMTEST: written after freeing"
