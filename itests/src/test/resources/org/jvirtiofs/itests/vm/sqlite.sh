# SQLite in the guest writes a database on the share while the host reads it.
set -e
touch "$JVFS_MNT/start"
sqlhammer "$JVFS_MNT/test.db" 3000
