#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# The universal verifier side by side with Belenios's: the same number of
# yes/no ballots, one per voter, checked by Debian's belenios-tool
# (`election verify`, group BELENIOS-2048: the only group Debian's build
# accepts) and by `tenantvote verify --threads 1`. Prints each verifier's
# seconds, its cost per ballot in units of OpenSSL's ECDSA-P256 verify
# measured on this machine in the same run (tenantvote-bench's yardstick),
# and the ratio.
#
#   Usage: bench/belenios-compare.sh [TENANTVOTE] [BALLOTS] [RUNS]
#
# BALLOTS defaults to 1000, RUNS (timed verifications of each, alternating,
# the median quoted) to 3. Making the two elections is not timed: each
# belenios ballot is made and appended by its own belenios-tool process,
# about 0.15 s a ballot. Both ballots are alike in what they prove: two
# encrypted 0/1 choices, each with its proof, and a proof that at most one
# is 1 (Belenios: min 0, max 1; tenantvote: blank allowed), signed by the
# voter's credential; Belenios's are over a 2048-bit prime field, where
# tenantvote's are over P-256. Needs belenios-tool (apt install
# belenios-tool). With BELENIOS_COMPARE_KEEP set to a new folder's name,
# both elections are copied there (belenios/ and record/), to time again.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=bench/record-lib.sh
. "$here/bench/record-lib.sh"
TV=${1:-$here/build/plain/cli/tenantvote}
n=${2:-1000}
runs=${3:-3}
bench=$(dirname "$TV")/../bench/tenantvote-bench
export TENANTVOTE_PASSPHRASE=bench-passphrase TENANTVOTE_BOX_PASSPHRASE=bench-box-passphrase
# Belenios's own tests run it so: /dev/random could block a batch run
export BELENIOS_USE_URANDOM=1

if ! command -v belenios-tool > /dev/null; then
	echo "belenios-compare: belenios-tool is not installed (apt install belenios-tool)" >&2
	exit 2
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# ---- the Belenios election: n voters, one trustee, each voter votes once ----
bel=$work/belenios
mkdir "$bel"
(
	cd "$bel"
	uuid=$(belenios-tool setup generate-token)
	python3 -c 'import sys; [print(f"voter{i}@example.org") for i in range(int(sys.argv[1]))]' \
		"$n" > voters.txt
	belenios-tool setup generate-credentials --uuid "$uuid" --group BELENIOS-2048 \
		--file voters.txt > /dev/null
	mv ./*.pubcreds public_creds.json
	mv ./*.privcreds private_creds.txt
	belenios-tool setup generate-trustee-key --group BELENIOS-2048 > /dev/null
	cat ./*.pubkey > public_keys.jsons
	belenios-tool setup make-trustees
	rm public_keys.jsons
	cat > questions.json <<'JSON'
{"description": "Stock transfer ballot", "name": "Stock transfer ballot",
 "questions": [{"question": "Do you support the transfer?", "answers": ["Yes", "No"],
                "min": 0, "max": 1}]}
JSON
	belenios-tool setup make-election --uuid "$uuid" --group BELENIOS-2048 \
		--template questions.json
	belenios-tool archive init
	rm -f election.json trustees.json public_creds.json
	i=0
	while read -r _ cred; do
		# 11 Yes to 9 No, as the tenantvote papers below
		if ((i % 20 < 11)); then vote='[[1,0]]'; else vote='[[0,1]]'; fi
		belenios-tool election generate-ballot --privcred <(printf '%s\n' "$cred") \
			--ballot <(printf '%s\n' "$vote") 2> /dev/null |
			belenios-tool archive add-event --type=Ballot 2> /dev/null
		i=$((i + 1))
	done < private_creds.txt
	belenios-tool archive add-event --type=EndBallots < /dev/null 2> /dev/null
	belenios-tool election compute-encrypted-tally 2> /dev/null |
		belenios-tool archive add-event --type=EncryptedTally 2> /dev/null
	belenios-tool election decrypt --privkey ./*.privkey --trustee-id 1 2> /dev/null |
		belenios-tool archive add-event --type=PartialDecryption 2> /dev/null
	belenios-tool election compute-result 2> /dev/null |
		belenios-tool archive add-event --type=Result 2> /dev/null
	# only the public archive stays beside the verifier
	rm -f ./*.privkey private_creds.txt
	belenios-tool election verify > verify.out 2>&1 ||
		{ cat verify.out >&2; echo "belenios-compare: the Belenios election does not verify" >&2; exit 1; }
	grep -q "all checks passed" verify.out ||
		{ cat verify.out >&2; echo "belenios-compare: Belenios did not say all checks passed" >&2; exit 1; }
)
bel_ballots=$(tar -xOf "$bel"/*.bel --wildcards '*.event.json' 2> /dev/null |
	grep -o '"type":"Ballot"' | wc -l || true)

# ---- the tenantvote record: n tenants, each one postal paper ----
e=$work/election
tvr_register "$n" "$work/register.csv"
tvr_init "$e"
"$TV" register import "$work/register.csv" -d "$e" > /dev/null
"$TV" credentials issue --letters "$work/letters.csv" -d "$e" > /dev/null
"$TV" ceremony -d "$e" > /dev/null
"$TV" open -d "$e" > /dev/null
python3 - "$work/letters.csv" "$work/postal.csv" <<'PY'
import csv, sys
with open(sys.argv[1], newline="") as f, open(sys.argv[2], "w") as out:
    out.write("code,choice\n")
    for i, row in enumerate(csv.DictReader(f)):
        out.write(f'{row["code"]},{1 if i % 20 < 11 else 2}\n')
PY
"$TV" intake "$work/postal.csv" --channel postal -d "$e" > /dev/null
tvr_count "$e" "$work"
tv_entries=$(wc -l < "$work/record/board.jsonl")

# ---- the timed part: each verifier RUNS times, in turn ----
# seconds of one command's whole run; it must succeed
timed() {
	python3 - "$@" <<'PY'
import subprocess, sys, time
start = time.monotonic()
r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
wall = time.monotonic() - start
if r.returncode != 0:
    sys.stderr.write(r.stderr)
    sys.exit(1)
print(f"{wall:.3f}")
PY
}
bel_secs=() tv_secs=()
for ((r = 0; r < runs; r++)); do
	bel_secs+=("$(timed belenios-tool election verify --dir "$bel")") ||
		{ echo "belenios-compare: belenios-tool election verify failed" >&2; exit 1; }
	tv_secs+=("$(timed "$TV" verify "$work/record" --threads 1)") ||
		{ echo "belenios-compare: tenantvote verify failed" >&2; exit 1; }
done
yard=$(tvr_yardstick "$bench")
if [[ -n ${BELENIOS_COMPARE_KEEP:-} ]]; then
	mkdir "$BELENIOS_COMPARE_KEEP"
	cp -R "$bel" "$work/record" "$BELENIOS_COMPARE_KEEP"
fi

python3 - "$n" "$bel_ballots" "$tv_entries" "$yard" "$runs" "${bel_secs[*]}" "${tv_secs[*]}" \
	"$(belenios-tool --version 2> /dev/null || echo '?')" "$("$TV" --version 2> /dev/null || echo '?')" <<'PY'
import statistics, sys
n, bel_n, tv_n, yard, runs = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
bel = [float(x) for x in sys.argv[6].split()]
tv = [float(x) for x in sys.argv[7].split()]
bel_v, tv_v = sys.argv[8], sys.argv[9]
b, t = statistics.median(bel), statistics.median(tv)
print(f"# verifier side by side, {n} yes/no ballots, one per voter; median of {runs} runs each")
print(f"# belenios-tool {bel_v} (BELENIOS-2048), {bel_n} ballots; {tv_v}, {tv_n} board entries")
print(f"# unit: one OpenSSL ECDSA-P256 verify on this machine, this run: {yard:.2f} us")
print(f"{'verifier':<40} {'seconds':>9} {'us/ballot':>10} {'ECDSA-vfy':>10}")
for name, s in (("belenios-tool election verify", b), ("tenantvote verify --threads 1", t)):
    us = s * 1e6 / n
    print(f"{name:<40} {s:>9.2f} {us:>10.0f} {us / yard:>10.1f}")
print(f"# ratio belenios / tenantvote: {b / t:.1f}")
print(f"# runs, seconds: belenios {' '.join(f'{x:.2f}' for x in bel)}; tenantvote {' '.join(f'{x:.2f}' for x in tv)}")
PY
