# Hot swap: the guest keeps creating, writing, reading back, renaming and deleting files, and
# appending to a file it holds open, while the host updates the provider bundle and swaps the
# provider twice. Any error or wrong byte fails the run. The host creates 'stop' when done.
set -e
cd "$JVFS_MNT"
exec 3>>held
i=0
errors=0
while [ ! -e stop ]; do
  data="round $i $(seq 1 40 | tr '\n' ' ')"
  echo "$data" > "f$i" || errors=$((errors + 1))
  [ "$(cat "f$i")" = "$data" ] || { echo "wrong data in f$i"; errors=$((errors + 1)); }
  mv "f$i" "g$i" || errors=$((errors + 1))
  [ "$(cat "g$i")" = "$data" ] || { echo "wrong data in g$i"; errors=$((errors + 1)); }
  rm "g$i" || errors=$((errors + 1))
  echo "$i" >&3 || errors=$((errors + 1))
  i=$((i + 1))
  [ "$i" -eq 1 ] && touch ready
  [ "$i" -lt 100000 ] && [ "$errors" -lt 10 ] || break
done
exec 3>&-
lines=$(wc -l < held)
echo "rounds=$i errors=$errors held=$lines" > result
cat result
[ "$errors" -eq 0 ] && [ "$lines" -eq "$i" ]
