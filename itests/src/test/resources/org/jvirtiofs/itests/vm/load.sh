# Load: four processes hammer the share with mixed operations for $LOAD_SECONDS (set by the
# host in front of this text), each recording the md5 of every file it wrote; then the guest's
# caches are dropped and every file is checked again, as read from the daemon. The host checks
# the same sums on its side.
cd "$JVFS_MNT" || exit 1
work() {
  w=$1
  i=0
  end=$(($(date +%s) + LOAD_SECONDS))
  mkdir -p "w$w"
  : >"w$w.sums"
  while [ "$(date +%s)" -lt "$end" ]; do
    d="w$w/d$((i % 8))"
    mkdir -p "$d" || return 1
    dd if=/dev/urandom of="$d/t" bs=4k count=$((i % 16 + 1)) 2>/dev/null || return 1
    sum=$(md5sum "$d/t" | cut -d' ' -f1)
    mv "$d/t" "$d/f$i" || return 1
    got=$(md5sum "$d/f$i" | cut -d' ' -f1)
    [ "$got" = "$sum" ] || { echo "VMTEST: w$w: $d/f$i reads $got, wrote $sum"; return 1; }
    echo "$sum  $d/f$i" >>"w$w.sums"
    ln "$d/f$i" "$d/h$i" && rm "$d/h$i" || return 1
    ln -s "f$i" "$d/s$i" && [ "$(readlink "$d/s$i")" = "f$i" ] && rm "$d/s$i" || return 1
    chmod 0600 "$d/f$i" && [ "$(stat -c %a "$d/f$i")" = 600 ] || return 1
    mkdir "$d/x$i" && rmdir "$d/x$i" || return 1
    ls -l "$d" >/dev/null || return 1
    i=$((i + 1))
  done
  echo "$i" >"w$w.count"
}
pids=
for w in 1 2 3 4; do
  work "$w" &
  pids="$pids $!"
done
failed=0
for p in $pids; do
  wait "$p" || failed=1
done
[ "$failed" = 0 ] || { echo "VMTEST: a worker failed"; exit 1; }
sync
echo 3 >/proc/sys/vm/drop_caches
cat w1.sums w2.sums w3.sums w4.sums >all.sums
md5sum -c all.sums >/tmp/check 2>&1 || { grep -v ': OK$' /tmp/check | head; exit 1; }
echo "VMTEST: load $(cat w1.count w2.count w3.count w4.count | awk '{n += $1} END {print n}') rounds, $(wc -l <all.sums) files checked"
