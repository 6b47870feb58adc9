# Runs the filesystem battery on the share (PID 1 runs this with the share as working dir).
set -e
mkdir "$JVFS_MNT/battery"
fsbattery "$JVFS_MNT/battery"
rmdir "$JVFS_MNT/battery"
