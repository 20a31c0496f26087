#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The record-verifying example (examples/verify_record.c) on a demo record:
every check passes and is printed once; a copy with one board line changed
fails, naming the check, with exit 1; a missing folder is exit 1 and no
argument exit 2.

    check-verify-record.py path/to/example-verify-record path/to/tenantvote"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

example, tv = sys.argv[1:3]
failures = []
checks = 0


def check(cond, what):
    global checks
    checks += 1
    if not cond:
        failures.append(what)
        print(f"FAIL: {what}")


def run(*args):
    return subprocess.run([example, *args], capture_output=True, text=True, timeout=600)


with tempfile.TemporaryDirectory(prefix="tv-verify-example-") as d:
    demo = os.path.join(d, "demo")
    r = subprocess.run([tv, "demo", "--tenants", "3", "--dir", demo], capture_output=True,
                       text=True, timeout=600)
    if r.returncode != 0:
        print(f"FAIL: tenantvote demo: {r.stderr.strip()}")
        sys.exit(1)
    record = os.path.join(demo, "record")

    r = run(record)
    print(r.stdout)
    passed = re.findall(r"^check +(\d+) .* passed$", r.stdout, re.M)
    check(r.returncode == 0 and "the record is valid" in r.stdout,
          f"the demo record verifies (exit {r.returncode}, {r.stderr.strip()})")
    check(sorted(int(c) for c in passed) == list(range(1, 16)),
          f"each of the 15 checks printed once, passed ({passed})")
    check(re.search(r"^15 checks passed, 0 failed; 0 failures; \d+ board entries", r.stdout, re.M),
          "the totals line")

    # one board line changed: its time moved by a second
    bad = os.path.join(d, "bad")
    shutil.copytree(record, bad)
    board = os.path.join(bad, "board.jsonl")
    with open(board) as f:
        lines = [json.loads(x) for x in f]
    lines[-1]["time"] += 1
    with open(board, "w") as f:
        f.writelines(json.dumps(x, separators=(",", ":")) + "\n" for x in lines)
    r = run(bad)
    failed = set(re.findall(r"^check +(\d+) .* FAILED at board position \d+: ", r.stdout, re.M))
    check(r.returncode == 1 and "the record is NOT valid" in r.stdout and
          re.search(r"^\d+ checks passed, [1-9]\d* failed", r.stdout, re.M) and
          failed,
          f"a changed board line fails, naming the position (exit {r.returncode}):\n{r.stdout}")

    r = run(os.path.join(d, "no-such-record"))
    check(r.returncode == 1 and "no-such-record" in r.stderr,
          f"a missing folder: exit 1, named ({r.returncode}, {r.stderr.strip()})")
    r = run()
    check(r.returncode == 2 and "usage" in r.stderr, "no argument: usage, exit 2")

print(f"{checks - len(failures)} passed, {len(failures)} failed")
sys.exit(1 if failures else 0)
