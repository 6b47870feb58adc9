#!/usr/bin/env bash
# Everything observable about the tree under the current directory, in a stable order: types,
# modes, link counts, owners, link targets, file sizes and contents, xattrs, copied mtimes.
set -u
export LC_ALL=C TZ=UTC
find . -mindepth 1 -printf '%p %y %m %U %G %l\n' | sort
echo "== link counts"
find . -mindepth 1 -printf '%p %n\n' | sort
echo "== sizes"
find . -mindepth 1 ! -type d -printf '%p %s\n' | sort
echo "== contents"
find . -type f -print0 | sort -z | xargs -0 -r sha256sum
echo "== xattrs"
find . -mindepth 1 ! -type l -print0 | sort -z | xargs -0 -r getfattr -d -m - --absolute-names 2>&1
echo "== copied times"
find zi -mindepth 1 ! -type d -printf '%p %T@\n' 2>/dev/null | sort
