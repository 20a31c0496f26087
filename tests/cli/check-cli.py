#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""CLI behaviour a returning officer's script relies on: every verb has
--help and a man page, usage errors exit 2 with a message, and the demo
runs end to end with consistent figures."""
import json
import os
import re
import subprocess
import sys
import tempfile

exe, man_dir = sys.argv[1], sys.argv[2]
failures = []


def run(*args):
    return subprocess.run([exe, *args], capture_output=True, text=True, timeout=300)


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


r = run("--help")
check(r.returncode == 0, "--help exits 0")
verbs = re.findall(r"^  (\S+)\s{2,}", r.stdout.split("Verbs:")[1], re.M)
check(verbs, "--help lists verbs")
for verb in verbs:
    h = run(verb, "--help")
    check(h.returncode == 0 and "Usage: tenantvote " + verb in h.stdout,
          f"'{verb} --help' prints usage and exits 0")
    check(run("help", verb).stdout == h.stdout, f"'help {verb}' equals '{verb} --help'")
    check(os.path.exists(os.path.join(man_dir, f"tenantvote-{verb}.1")),
          f"man page tenantvote-{verb}.1 exists")
check(os.path.exists(os.path.join(man_dir, "tenantvote.1")), "man page tenantvote.1 exists")

r = run()
check(r.returncode == 2 and "Usage" in r.stderr, "no verb: usage on stderr, exit 2")
r = run("no-such-verb")
check(r.returncode == 2 and "no verb 'no-such-verb'" in r.stderr, "unknown verb named, exit 2")
r = run("--version")
check(r.returncode == 0 and re.match(r"tenantvote \d+\.\d+\.\d+", r.stdout), "--version")
for bad in (["--tenants", "0"], ["--tenants", "abc"], ["--tenants", "-3"], ["stray"], ["--bogus"]):
    r = run("demo", *bad)
    check(r.returncode == 2 and "tenantvote" in r.stderr, f"demo {' '.join(bad)}: exit 2 with message")

with tempfile.TemporaryDirectory() as d:
    r = run("demo", "--tenants", "25", "--dir", d, "--json")
    check(r.returncode == 0, f"demo runs (stderr: {r.stderr.strip()})")
    if r.returncode == 0:
        out = json.loads(r.stdout)
        votes = sum(o["votes"] for o in out["options"])
        check(out["tenants"] == 25 and out["ballots_verified"] == 25, "demo verified every ballot")
        check(votes + out["blank"] == 25, "demo: votes + blank = tenants")
        check(out["tampered_ballots_rejected"] == 1, "demo rejected the tampered ballot")
        with open(os.path.join(d, "demo-result.json")) as f:
            check(json.load(f) == out, "demo-result.json matches --json output")
    r = run("demo", "--dir", os.path.join(d, "no", "such", "parent"))
    check(r.returncode == 3 and "cannot make the folder" in r.stderr, "demo: unwritable folder, exit 3")

print(f"{len(failures)} failure(s)")
sys.exit(1 if failures else 0)
