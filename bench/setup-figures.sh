#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Time an election's set-up at a real council's size: a register of N
# tenants (default 20,000; about a third joint tenancies), its import,
# credentials for every tenant, and a 3-of-5 key ceremony, each through the
# tenantvote command. Usage: bench/setup-figures.sh [TENANTVOTE] [N]
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
tv=${1:-$here/build/plain/cli/tenantvote}
n=${2:-20000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 - "$n" > "$work/register.csv" <<'PY'
import sys
n = int(sys.argv[1])
first = ["Siân", "Gareth", "Rhiannon", "Dafydd", "Ffion", "Owain", "Mair", "Aled", "Ann", "John"]
last = ["Ellis", "Jones", "Williams", "Davies", "Evans", "Thomas", "Roberts", "Hughes"]
print("tenancy_ref,name,address,tenancy_type,email,language")
t = 0
for i in range(n):
    if not (i % 3 == 1):
        t += 1
    print(f'HT{t:06d},{first[i % 10]} {last[(i // 10) % 8]} {i},"{t} Heol y Bont, Llanfair",'
          f'{"introductory" if i % 11 == 0 else "secure"},,{"cy" if i % 4 == 0 else "en"}')
PY

# seconds, to millisecond precision, of one command
timed() {
	local start end
	start=$(date +%s.%N)
	"$@" >/dev/null
	end=$(date +%s.%N)
	python3 -c "print(f'{$end - $start:.2f}')"
}

export TENANTVOTE_PASSPHRASE=bench-passphrase
e="$work/election"
t_init=$(timed "$tv" init "$e" --council "Example Council" --landlord "Example Mutual" \
	--title "Stock transfer ballot" --question "Do you support the transfer?" \
	--option Yes --option No --trustees 5 --threshold 3 \
	--opens 2097-03-01T09:00:00Z --closes 2097-03-22T17:00:00Z)
t_reg=$(timed "$tv" register import "$work/register.csv" -d "$e")
t_cred=$(timed "$tv" credentials issue --letters "$work/letters.csv" -d "$e")
t_cer=$(timed "$tv" ceremony -d "$e")
rows=$(($(wc -l < "$work/letters.csv") - 1))

printf '# tenantvote set-up figures, %s, %s tenants, %s cores\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$n" "$(nproc)"
printf '%-40s %8s\n' "step" "seconds"
printf '%-40s %8s\n' "init (manifest, empty ballot box)" "$t_init"
printf '%-40s %8s\n' "register import ($n rows)" "$t_reg"
printf '%-40s %8s\n' "credentials issue ($rows letters)" "$t_cred"
printf '%-40s %8s\n' "key ceremony, 3 of 5 (scrypt N=2^15)" "$t_cer"
