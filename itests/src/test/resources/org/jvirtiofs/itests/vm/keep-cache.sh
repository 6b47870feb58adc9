# cache=auto keeps the guest's pages of a file the host has not changed: the guest reads one
# file many times, the host then rewrites it at the same size with its old mtime put back (so
# only its ctime tells the change), and the guest must read the new data.
set -e
cd "$JVFS_MNT"
# the first opens drop the pages: the host wrote the file moments ago
cat data > /dev/null
sleep 2.5
cat data > /dev/null
i=0
while [ "$i" -lt 20 ]; do
  cat data > /dev/null
  i=$((i + 1))
done
head -c 4 data > seen-before
touch ready
i=0
while [ ! -e go ]; do
  sleep 0.1
  i=$((i + 1))
  [ "$i" -lt 600 ] || { echo "the host never said go"; exit 1; }
done
# past the one-second timeouts, so the open looks the name up again
sleep 1.5
head -c 4 data > seen-after
cat seen-after
