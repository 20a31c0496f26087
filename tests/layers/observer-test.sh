#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# The observer's verifier (no box in it) checks a real record as the full
# tool does, and refuses one that was changed.
set -eu
cli=$1 observer=$2
dir=$(mktemp -d "${TMPDIR:-/tmp}/tv-observer.XXXXXX")
trap 'rm -rf -- "$dir"' EXIT
"$cli" demo --tenants 8 --dir "$dir/e" >/dev/null
"$observer" "$dir/e/record"
# a counted ballot's line removed: the observer's build must see it too
sed -i '3d' "$dir/e/record/board.jsonl"
if "$observer" "$dir/e/record"; then
	echo "FAIL: a board with a line removed verified" >&2
	exit 1
fi
rc=0
"$observer" "$dir/no-such-record" || rc=$?
[ "$rc" -eq 3 ] || { echo "FAIL: a missing record gave exit $rc, not 3" >&2; exit 1; }
echo "observer verifier: OK"
