# Direct writes at cache=auto: how much of the guest's page cache a write-only writer fills, alone
# and beside a reader, and whether what it wrote (and appended) is what the host has. Writes
# direct.out to the share for the host to check.
set -e
cd "$JVFS_MNT"
cached() {
  while read -r key value unit; do
    if [ "$key" = Cached: ]; then echo "$value"; return; fi
  done < /proc/meminfo
}
settle() { sync; echo 3 > /proc/sys/vm/drop_caches; }
head -c 3000000 /dev/urandom > /tmp/src
settle
before=$(cached)
dd if=/dev/zero of=big bs=1M count=32 2> /dev/null
alone=$(( $(cached) - before ))
exec 3< big
settle
before=$(cached)
dd if=/dev/zero of=big bs=1M count=32 conv=notrunc 2> /dev/null
beside=$(( $(cached) - before ))
exec 3<&-
cat /tmp/src > data
cat /tmp/src >> data
settle
cat /tmp/src /tmp/src | cmp - data
{
  echo "alone-kib=$alone"
  echo "beside-reader-kib=$beside"
  echo "src=$(md5sum /tmp/src | cut -d' ' -f1)"
} > direct.out
cat direct.out
