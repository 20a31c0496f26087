#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# The cost of ballot papers (SPEC §15.8), through the tenantvote command:
# an electorate of N tenants (default 2,000) with a credential authority
# apart from the box, the papers made for every tenant once the key is
# known, imported by the box, and B of them (default: N) cast as one postal
# `paper,code` intake batch; then the record is counted, the papers not
# cast opened by the authority and the record verified.
#
# Prints, per step, the wall time, the processor time (user + system) and
# the peak resident memory, and the per-paper costs in units of OpenSSL's
# own ECDSA-P256 verify measured by tenantvote-bench in the same run.
#
#   Usage: bench/paper-figures.sh [TENANTVOTE] [N] [B]
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=bench/record-lib.sh
. "$here/bench/record-lib.sh"
tv=${1:-$here/build/plain/cli/tenantvote}
TV=$tv
n=${2:-2000}
b=${3:-$n}
bench=$(dirname "$tv")/../bench/tenantvote-bench
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
e=$work/ballot
ca=$work/ca
export TENANTVOTE_PASSPHRASE="the bench's trustee passphrase"
export TENANTVOTE_BOX_PASSPHRASE="the bench's ballot box passphrase"
printf 'the bench credential authority passphrase\n' > "$work/ca-pw"
chmod 600 "$work/ca-pw"

declare -A cpu
# measure NAME CMD...: one step, timed by GNU time
measure() {
	local name=$1
	shift
	/usr/bin/time -f '%e %U %S %M' -o "$work/time" "$@" > "$work/out" 2> "$work/err" || {
		cat "$work/err" >&2
		echo "bench/paper-figures.sh: failed: $name" >&2
		exit 1
	}
	read -r wall user sys rss < "$work/time"
	cpu[$name]=$(python3 -c "print($user + $sys)")
	printf '%-40s %9.1f s %9.1f s %9.1f MiB\n' "$name" "$wall" "${cpu[$name]}" \
		"$(python3 -c "print($rss / 1024)")"
}
tvr_run=measure

printf '%-40s %11s %11s %13s\n' "step ($n tenants, $b papers cast)" "wall" "cpu" "peak"
tvr_init "$e"
tvr_register "$n" "$work/register.csv"
measure "register import" "$tv" register import "$work/register.csv" -d "$e"
measure "credentials make (the authority)" "$tv" credentials make \
	--manifest "$e/manifest.json" --register "$work/register.csv" --out "$ca" \
	--passphrase-file "$work/ca-pw"
measure "credentials import" "$tv" credentials import "$ca/credentials-issue.json" -d "$e"
measure "ceremony (one machine)" "$tv" ceremony -d "$e" --json
key=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["election_key"])' "$work/out")
auth=(--manifest "$e/manifest.json" --authority "$ca" --passphrase-file "$work/ca-pw")
measure "papers make" "$tv" papers make "${auth[@]}" --election-key "$key" --out "$work/papers"
measure "papers import" "$tv" papers import "$work/papers/papers-box.jsonl" -d "$e"
measure "open" "$tv" open -d "$e"
python3 - "$work/papers/papers.csv" "$b" > "$work/postal.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1])))[1:int(sys.argv[2]) + 1]
print("paper,code")
for i, r in enumerate(rows):
    print(f"{r[1]},{r[2 + i % 3]}")  # Yes, No, blank in turn
PY
measure "intake, postal (paper,code)" "$tv" intake "$work/postal.csv" --channel postal -d "$e"
measure "close" "$tv" close -d "$e" --early --reason "Benchmark: closed once the papers are in"
measure "export (the board, for the authority)" "$tv" export --record "$work/board" \
	--for-trustees -d "$e"
measure "papers open (checks the record)" "$tv" papers open "${auth[@]}" --papers "$work/papers" \
	--election-key "$key" --record "$work/board" --out "$work/openings.json"
measure "papers openings" "$tv" papers openings "$work/openings.json" -d "$e"
# the count (tvr_count's steps, voting being closed already)
measure "tally (encrypted sums)" "$tv" tally -d "$e"
measure "export --for-trustees" "$tv" export --record "$work/for-trustees" --for-trustees -d "$e"
for t in 1 3 5; do
	measure "trustee $t decrypt (checks the board)" "$tv" trustee decrypt --trustee "$t" \
		--record "$work/for-trustees" -d "$e"
done
measure "declare" "$tv" declare -d "$e"
measure "export --record" "$tv" export --record "$work/record" -d "$e"
measure "verify --threads 1" "$tv" verify "$work/record" --threads 1
u=$(tvr_yardstick "$bench")
python3 - "$u" "$n" "$b" "${cpu[papers make]}" "${cpu[intake, postal (paper,code)]}" \
	"${cpu[papers open (checks the record)]}" "${cpu[verify --threads 1]}" <<'PY'
import sys
u, n, b = float(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
make, intake, open_, verify = map(float, sys.argv[4:8])
print(f"u = {u:.1f} us (OpenSSL's ECDSA-P256 verify)")
print(f"papers make:  {make / n * 1e6:8.0f} us a paper  = {make / n * 1e6 / u:6.1f} u")
print(f"intake:       {intake / b * 1e6:8.0f} us a row    = {intake / b * 1e6 / u:6.1f} u")
print(f"papers open:  {open_ / n * 1e6:8.0f} us a paper  = {open_ / n * 1e6 / u:6.1f} u (with its check of the record)")
print(f"verify:       {verify / n * 1e6:8.0f} us a paper  = {verify / n * 1e6 / u:6.1f} u (every paper cast or opened)")
PY
