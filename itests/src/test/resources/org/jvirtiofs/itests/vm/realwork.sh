# Real work on the share: untar a real source tree the host put there, checksum every file
# for the host to compare, then remove the tree.
set -e
cd "$JVFS_MNT"
mkdir work
tar -C work -xf src.tar
(cd work && find . -type f -exec md5sum {} + | sort -k2) > guest-sums.txt
echo "JVFS-FILES: $(wc -l < guest-sums.txt)"
rm -rf work
