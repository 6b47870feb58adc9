# The benchmark workloads, run by busybox sh in the guest on the mounted share ($JVFS_MNT), or
# on the host's own filesystem for the physical limit. Each phase prints
# "JVFS-BENCH: PHASE SECONDS"; the first failing step ends the run with a non-zero status.
# The harness puts its settings in front of this text (WORKLOADS, META_FILES, ...).
M=${JVFS_MNT:?}
BT=${BENCH_TOOL:-/bench/benchtool}
FIO=${BENCH_FIO:-/bench/fio}
TREE=${BENCH_TREE:-/bench/tree.tar}

report() {
  echo "JVFS-BENCH: $1 $2"
}

# timed PHASE COMMAND...: the command's wall time
timed() {
  name=$1
  shift
  t0=$($BT now)
  "$@" || { echo "JVFS-BENCH-FAIL: $name"; exit 1; }
  t1=$($BT now)
  report "$name" "$(awk "BEGIN { printf \"%.3f\", $t1 - $t0 }")"
}

# tool ARGS...: benchtool's own phases
tool() {
  $BT "$@" >/tmp/phases || { echo "JVFS-BENCH-FAIL: benchtool $1"; exit 1; }
  while read -r phase seconds; do
    report "$phase" "$seconds"
  done </tmp/phases
}

# cold caches: the guest's (or the host's) page cache, dentries and inodes
drop() {
  sync
  echo 3 >/proc/sys/vm/drop_caches
}

untar() {
  tar -xf "$TREE" -C "$M/src" && sync
}

count() {
  find "$M/src" | wc -l >/tmp/count
}

# fio RW: 4 KiB psync I/O at random offsets of the big file; prints fio's own runtime
randio() {
  $FIO --name="$1" --filename="$M/big" --size="${BIG_MIB}M" --rw="$1" --bs=4k --ioengine=psync \
    --io_size="${RAND_MIB}M" --randrepeat=1 --end_fsync=1 --output-format=terse --terse-version=3 >/tmp/fio \
    || { echo "JVFS-BENCH-FAIL: fio $1"; cat /tmp/fio; exit 1; }
  # terse v3: field 9 is the read runtime in ms, field 50 the write runtime
  if [ "$1" = randread ]; then field=9; else field=50; fi
  report "fio-$1" "$(awk -F';' -v f=$field '{ printf "%.3f", $f / 1000 }' /tmp/fio)"
}

# Untimed, in the guest: touch as much of its RAM as the workloads fill, then free it. A fresh
# guest's first use of a page costs a host page fault in QEMU and in the daemon, which a VM that
# has run a while has paid. Without this, that cost lands on whichever phase first fills the page
# cache: a write through it, or the read after a direct write (2026-12-07: seq-read 1.5-2.1 s
# after a direct write against 0.8-1.0 s with the pages touched first).
if [ -z "$BENCH_ON_HOST" ]; then
  dd if=/dev/zero of=/tmp/touch bs=1M count=$((BIG_MIB + 64)) 2>/dev/null
  rm -f /tmp/touch
fi

for w in $WORKLOADS; do
  case $w in
    smallfiles)
      mkdir "$M/src"
      drop
      timed untar untar
      timed find count
      tool statall "$M/src"
      drop
      tool readall "$M/src" read-cold
      tool readall "$M/src" read-warm
      timed rm-rf rm -rf "$M/src"
      ;;
    bigfile)
      tool seqwrite "$M/big" "$BIG_MIB"
      drop
      tool seqread "$M/big"
      drop
      randio randread
      randio randwrite
      rm -f "$M/big"
      ;;
    metadata)
      mkdir "$M/meta"
      tool meta "$M/meta" "$META_FILES"
      tool dirs "$M/meta" "$META_DIRS"
      tool links "$M/meta" "$LINK_FILES"
      rmdir "$M/meta"
      ;;
    roundtrip)
      tool openclose "$M/rt" "$RT_OPENS"
      ;;
  esac
done
echo "JVFS-BENCH-DONE"
