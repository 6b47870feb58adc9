# Writes 2 MiB of random data with fsync, tells the host its checksum, then waits: the host
# SIGKILLs the daemon and checks the data on its side. Run with a share named by $JVFS_MNT.
set -e
cd "$JVFS_MNT"
if [ -e data ]; then
  # the second guest, on a restarted daemon: read back what the first one fsync'd
  echo "VMTEST: read back $(md5sum data | cut -d' ' -f1)"
  exit 0
fi
dd if=/dev/urandom of=data bs=64k count=32 conv=fsync 2>/dev/null
echo "VMTEST: fsynced $(md5sum data | cut -d' ' -f1)"
while :; do
  sleep 1
done
