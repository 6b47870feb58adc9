# Coherency: the guest caches what it sees, signals the host, which then edits the share; the
# guest reports what it sees afterwards. The host compares per cache mode.
set -e
cd "$JVFS_MNT"
mode=$(cat mode)
cat data > seen-before
ls > /dev/null
stat old a > /dev/null
# 'same' is read 22 times: its first open comes within 2 s of the host writing it, so cache=auto
# drops the guest's pages at the first two opens; every later read may come from the page cache
cat same > /dev/null
[ "$mode" = auto ] && sleep 2.5
i=0
while [ "$i" -lt 21 ]; do
  cat same > /dev/null
  i=$((i + 1))
done
touch ready
# the host edits, then creates 'go'
i=0
while [ ! -e go ]; do
  sleep 0.1
  i=$((i + 1))
  [ "$i" -lt 600 ] || { echo "the host never said go"; exit 1; }
done
# cache=auto promises changes within its one-second timeouts
[ "$mode" = auto ] && sleep 1.5
{
  echo "data=$(cat data)"
  echo "same=$(head -c 4 same)"
  [ -e new ] && echo "new=yes" || echo "new=no"
  [ -e old ] && echo "old=yes" || echo "old=no"
  [ -e b ] && echo "b=yes" || echo "b=no"
} > seen-after
cat seen-after
