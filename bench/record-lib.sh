# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Shared by bench/record-figures.sh and bench/belenios-compare.sh: the
# parts of making a tenantvote record through the command that both need.
# Source it; it defines functions only. Each takes the tenantvote command
# as $TV and runs the way the caller says: $tvr_run, if set, is a function
# called as `$tvr_run NAME CMD...` for each step (record-figures measures
# them); unset, each step just runs with its output discarded.

# tvr_step NAME CMD...: one step, through $tvr_run if the caller set one
tvr_step() {
	if [[ -n ${tvr_run:-} ]]; then
		"$tvr_run" "$@"
	else
		shift
		"$@" > /dev/null
	fi
}

# tvr_register N OUT.csv: a register of N tenants, one tenancy each
tvr_register() {
	python3 - "$1" > "$2" <<'PY'
import sys
n = int(sys.argv[1])
with open(sys.stdout.fileno(), "w", buffering=1 << 20, closefd=False) as out:
    out.write("tenancy_ref,name,address,tenancy_type\n")
    for i in range(n):
        out.write(f'HT{i:07d},Tenant {i},"{i} Heol y Bont, Llanfair",secure\n')
PY
}

# tvr_init DIR: the bench election, yes/no with blank allowed, 3 of 5 trustees,
# online, postal and phone, its window wide open
tvr_init() {
	tvr_step "init (3 of 5 trustees)" "$TV" init "$1" --council "Example Council" \
		--landlord "Example Mutual" --title "Stock transfer ballot" \
		--question "Do you support the transfer?" --option Yes --option No --allow-blank \
		--channels online,postal,phone --trustees 5 --threshold 3 \
		--opens 2020-01-01T00:00:00Z --closes 2099-01-01T00:00:00Z \
		--officer "Returning Officer" --officer-address "Civic Centre, Llanfair LL00 1AA" \
		--vote-url https://vote.example.org/ --vote-phone "0800 123 4567" \
		--board-url https://board.example.org/
}

# tvr_count DIR WORK: from a closed election to its public record in WORK/record:
# the encrypted sums, three trustees' decryptions (each checks the board),
# the declaration and the export
tvr_count() {
	local e=$1 work=$2 t
	tvr_step "close" "$TV" close -d "$e" --early \
		--reason "Benchmark ballot: closed as soon as the papers are in"
	tvr_step "tally (encrypted sums)" "$TV" tally -d "$e"
	tvr_step "export --for-trustees" "$TV" export --record "$work/for-trustees" \
		--for-trustees -d "$e"
	for t in 1 3 5; do
		tvr_step "trustee $t decrypt (checks the board)" "$TV" trustee decrypt \
			--trustee "$t" --record "$work/for-trustees" -d "$e"
	done
	tvr_step "declare" "$TV" declare -d "$e"
	tvr_step "export --record" "$TV" export --record "$work/record" -d "$e"
}

# tvr_yardstick BENCH: OpenSSL's ECDSA-P256 verify in microseconds, as
# tenantvote-bench measures it (its quick run: a few seconds)
tvr_yardstick() {
	"$1" --quick --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["yardstick_us"])'
}
