# The battery, its output kept on the share for the host to compare with a host run.
set -e
mkdir "$JVFS_MNT/battery"
fsbattery "$JVFS_MNT/battery" | tee "$JVFS_MNT/battery.out"
rmdir "$JVFS_MNT/battery"
