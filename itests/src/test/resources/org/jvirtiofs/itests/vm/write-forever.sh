# Writes through the share until the host kills the VM: the marker comes after a write and
# its fsync went through, so the host kills QEMU in the middle of the next one.
cd "$JVFS_MNT" || exit 1
n=0
while :; do
  dd if=/dev/zero of="w$((n % 4))" bs=64k count=32 conv=fsync 2>/dev/null || { echo "VMTEST: write failed"; exit 1; }
  n=$((n + 1))
  echo "VMTEST: writing $n"
done
