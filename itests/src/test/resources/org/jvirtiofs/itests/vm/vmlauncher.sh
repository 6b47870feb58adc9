# The VM launcher's guest test (VmLauncherGuestTest), run with jvfs.automount=1: the VM boots
# with shares a and b, gets c hot-plugged, loses it again, is typed a line on its console, and
# waits for the ACPI power button.
fail() {
  echo "VMTEST-FAIL: $*"
  exit 1
}
mounted() {
  grep -q " /mnt/$1 virtiofs " /proc/mounts
}
unmounted() {
  ! mounted "$1"
}
# waitfor SECONDS COMMAND...: polls COMMAND every 0.1 s
waitfor() {
  n=$(($1 * 10))
  shift
  while ! "$@"; do
    n=$((n - 1))
    [ "$n" -gt 0 ] || return 1
    usleep 100000
  done
}

[ "$(cat /mnt/a/hello)" = "from host a" ] || fail "share a does not show the host's file"
[ "$(cat /mnt/b/hello)" = "from host b" ] || fail "share b does not show the host's file"
echo seen >/mnt/a/seen
echo seen >/mnt/b/seen
echo "VMTEST: a and b are mounted"

waitfor 180 mounted c || fail "share c was never plugged in"
# where the device sits, asked before the write: the host unplugs it as soon as it sees the file
at=$(virtiofs-tags | awk '$1 == "c" {print $2}')
[ "$(cat /mnt/c/hello)" = "from host c" ] || fail "share c does not show the host's file"
echo "written by the guest into a hot-plugged share" >/mnt/c/from-guest
sync
echo "VMTEST: c is mounted and written; its device is at $at"

waitfor 180 unmounted c || fail "share c was never unplugged"
echo gone >/mnt/a/c-gone
echo "VMTEST: c is gone"

# a line typed on the serial console (the test types it through the console socket)
read -r line
echo "$line" >/mnt/a/typed
echo "VMTEST: waiting for the power button"
while :; do
  sleep 1
done
