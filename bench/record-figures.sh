#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# A whole count at a real council's size, through the tenantvote command:
# an electorate of N tenants (default 20,000), a 3-of-5 key ceremony, B
# ballots (default: N) cast as a postal and a phone intake batch with blank
# and spoilt papers, a few online revotes, close, the encrypted sums, three
# trustees' decryptions, the declaration, the public record, and then the
# universal verifier on one thread and on every core, every receipt checked
# in one reading of the board, and the bulletin board published. The letters
# are written as CSV and, up to RECORD_FIGURES_PDF_MAX tenants (default
# 50,000), as the mailing house's PDF too: a PDF of a million letters is a
# mailing house's job in parts, not one file, and it would dominate the run.
#
# Prints, per step, the wall time, the processor time (user + system, all
# threads: on a shared machine the steadier figure) and the peak resident
# memory of the command, and the verifier's cost per board entry in units
# of OpenSSL's own ECDSA-P256 verify measured by tenantvote-bench in the
# same run.
#
#   Usage: bench/record-figures.sh [TENANTVOTE] [N] [B]
#
# Run it twice with the same N and different B to see that the verifier's
# memory does not grow with the number of ballots. It runs at N = 1,000,000
# (the register's and an intake file's limit); to estimate that run's time,
# run it at two sizes such as 20,000 and 50,000 and scale each step
# (README, "Benchmark"). With RECORD_FIGURES_KEEP
# set to a new folder's name, the record is copied there.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=bench/record-lib.sh
. "$here/bench/record-lib.sh"
tv=${1:-$here/build/plain/cli/tenantvote}
TV=$tv
n=${2:-20000}
b=${3:-$n}
bench=$(dirname "$tv")/../bench/tenantvote-bench
pdf_max=${RECORD_FIGURES_PDF_MAX:-50000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export TENANTVOTE_PASSPHRASE=bench-passphrase TENANTVOTE_BOX_PASSPHRASE=bench-box-passphrase

if ((b > n)); then
	echo "record-figures: B ($b) cannot exceed N ($n)" >&2
	exit 2
fi

# measure NAME CMD...: run CMD; record its wall seconds, processor seconds
# and peak RSS (MiB)
declare -a names secs cpus rss
measure() {
	local name=$1 out wall cpu peak
	shift
	out=$(python3 - "$@" <<'PY'
import resource, subprocess, sys, time
start = time.monotonic()
r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
wall = time.monotonic() - start
if r.returncode != 0:
    sys.stderr.write(r.stderr)
    sys.exit(r.returncode)
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"{wall:.2f} {usage.ru_utime + usage.ru_stime:.2f} {usage.ru_maxrss / 1024:.1f}")
PY
	) || { echo "record-figures: failed: $name" >&2; exit 1; }
	read -r wall cpu peak <<< "$out"
	names+=("$name")
	secs+=("$wall")
	cpus+=("$cpu")
	rss+=("$peak")
	# as it goes, for a long run: the table comes at the end
	printf 'record-figures: %-44s %9s s %9s s cpu %8s MiB\n' "$name" "$wall" "$cpu" "$peak" >&2
}
tvr_run=measure
load_start=$(cut -d' ' -f1-3 /proc/loadavg)

start=$(date +%s.%N)
tvr_register "$n" "$work/register.csv"
reg_secs=$(python3 -c "import time; print(f'{time.time() - $start:.2f}')")
echo "record-figures: register.csv written ($n rows, $reg_secs s)" >&2

e="$work/election"
tvr_init "$e"
measure "register import ($n tenants)" "$tv" register import "$work/register.csv" -d "$e"
if ((n <= pdf_max)); then
	measure "credentials issue ($n letters, CSV + PDF)" "$tv" credentials issue \
		--letters "$work/letters.csv" --letters-pdf "$work/letters.pdf" -d "$e"
	pdf_note=""
else
	measure "credentials issue ($n letters, CSV only)" "$tv" credentials issue \
		--letters "$work/letters.csv" -d "$e"
	pdf_note="no PDF letters: $n tenants is above RECORD_FIGURES_PDF_MAX ($pdf_max)"
fi
measure "key ceremony, 3 of 5" "$tv" ceremony -d "$e"
measure "open" "$tv" open -d "$e"

# B papers: 60% postal, 40% phone; 3% blank, 1% rejected, the rest 55:45
python3 - "$work/letters.csv" "$b" "$work/postal.csv" "$work/phone.csv" "$work/revotes" <<'PY'
import csv, sys
letters, b, postal, phone, revotes = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
with open(letters, newline="") as f:
    codes = [row["code"] for row in csv.DictReader(f)][:b]
reasons = ["no-official-mark", "more-than-one-answer", "identifies-voter", "unmarked-or-void"]
with open(postal, "w") as p, open(phone, "w") as q:
    p.write("code,choice\n")
    q.write("code,choice\n")
    for i, code in enumerate(codes):
        if i % 100 < 3:
            choice = "blank"
        elif i % 100 == 3:
            choice = "rejected:" + reasons[(i // 100) % 4]
        else:
            choice = "1" if i % 20 < 11 else "2"
        (p if i % 5 < 3 else q).write(f"{code},{choice}\n")
# ten tenants change their minds online afterwards
with open(revotes, "w") as r:
    for code in codes[10:20 * 100:100][:10]:
        r.write(code + "\n")
PY
postal_rows=$(($(wc -l < "$work/postal.csv") - 1))
phone_rows=$(($(wc -l < "$work/phone.csv") - 1))
measure "intake, postal ($postal_rows papers)" "$tv" intake "$work/postal.csv" --channel postal \
	--receipts "$work/postal-receipts.jsonl" -d "$e"
measure "intake, phone ($phone_rows papers)" "$tv" intake "$work/phone.csv" --channel phone \
	--receipts "$work/phone-receipts.jsonl" -d "$e"
revoted=0
while read -r code; do
	printf '%s\n2\n' "$code" | "$tv" vote -d "$e" > /dev/null
	revoted=$((revoted + 1))
done < "$work/revotes"
measure "backup of the box ($n tenants, every paper)" "$tv" backup -d "$e" "$work/backup.db"
measure "log (the audit log)" "$tv" log -d "$e"
tvr_count "$e" "$work"
entries=$(wc -l < "$work/record/board.jsonl")
measure "verify --threads 1" "$tv" verify "$work/record" --threads 1
v1=${secs[-1]}
measure "verify --threads $(nproc)" "$tv" verify "$work/record" --threads "$(nproc)"
vn=${secs[-1]}
# kept before the steps after it, so that a failure there loses no record
if [[ -n ${RECORD_FIGURES_KEEP:-} ]]; then
	cp -R "$work/record" "$RECORD_FIGURES_KEEP"
fi
cat "$work/postal-receipts.jsonl" "$work/phone-receipts.jsonl" > "$work/receipts.jsonl"
measure "receipt check, every intake receipt, one pass" "$tv" receipt check \
	"$work/receipts.jsonl" --record "$work/record"
measure "publish --site (verifies, then writes)" "$tv" publish --site "$work/site" "$work/record"

yard=$(tvr_yardstick "$bench")

printf '# tenantvote record figures, %s, %s cores\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$(nproc)"
printf '# electorate %s, %s papers by intake, %s online revotes, %s board entries\n' \
	"$n" "$b" "$revoted" "$entries"
if [[ -n $pdf_note ]]; then
	printf '# %s\n' "$pdf_note"
fi
printf '# register.csv written by python in %s s (not a tenantvote step)\n' "$reg_secs"
# the machine's load (1, 5, 15 minutes): a busy machine stretches wall times
printf '# load average at the start %s, at the end %s\n' "$load_start" \
	"$(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-44s %9s %9s %10s\n' "step" "seconds" "cpu s" "peak MiB"
for i in "${!names[@]}"; do
	printf '%-44s %9s %9s %10s\n' "${names[$i]}" "${secs[$i]}" "${cpus[$i]}" "${rss[$i]}"
done
python3 - "$v1" "$vn" "$entries" "$yard" "$(nproc)" <<'PY'
import sys
v1, vn, entries, yard, cores = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
print(f"# ECDSA-P256 verify (OpenSSL, this run): {yard:.1f} us")
print(f"# verify, one thread: {v1 * 1e6 / entries:.0f} us per board entry = "
      f"{v1 * 1e6 / entries / yard:.1f} ECDSA-P256 verifies")
print(f"# verify, {cores} threads: {vn * 1e6 / entries:.0f} us per board entry (wall) = "
      f"{vn * 1e6 / entries / yard:.1f} ECDSA-P256 verifies")
PY
