#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The bulletin board's paper look-up (cli/site/check.js) under Node.js,
without a browser: the handle h = H("paper"; F, id) it computes with
WebCrypto is the one the independent implementation of SPEC §15.8
(tests/vectors/independent/check_papers.py, written from the text alone)
computes in Python, for identifiers typed every way SPEC §11.1 allows
(lower case, spaces, no dashes, O for 0, I and L for 1); its shard p/XY.js
is the handle's first ten bits; and what it refuses (a mistyped symbol, a
wrong length, a character not of the alphabet, a voting code) it refuses
with the message the page shows for it.

    check-paper-js.py SOURCE_ROOT"""
import hashlib
import json
import os
import random
import shutil
import subprocess
import sys

root = sys.argv[1]
sys.path.insert(0, os.path.join(root, "tests", "vectors", "independent"))
import check_papers as cp  # noqa: E402
from check_vectors import B32  # noqa: E402

node = shutil.which("node") or shutil.which("nodejs")
if node is None:
    print("SKIP: Node.js is not installed")
    sys.exit(77)

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what, flush=True)


# check.js as a page loads it, with no form on the page: it only defines
# its functions. Node's globalThis.crypto is WebCrypto, as a browser's is.
HARNESS = r"""
globalThis.window = globalThis;
globalThis.document = { querySelectorAll: function () { return []; } };
require(process.argv[1]);
const cases = JSON.parse(require("fs").readFileSync(0, "utf8"));
Promise.all(cases.map(c => window.tvPaperHandle(c.election, c.typed).then(
    h => ({ handle: h, shard: window.tvPaperShardOf(h) }),
    e => ({ error: e.message })))).then(out => console.log(JSON.stringify(out)));
"""


def respell(ident, rng):
    """one of the ways SPEC §11.1 lets a tenant type the identifier"""
    printed = cp.cv.grouped(ident)
    way = rng.randrange(5)
    if way == 0:
        return printed
    if way == 1:
        return printed.lower()
    if way == 2:
        return " ".join(ident[i:i + 4] for i in range(0, 20, 4))
    if way == 3:
        return ident.replace("0", "O").replace("1", "l")
    return "  " + ident.lower().replace("1", "I") + " "


def main():
    rng = random.Random(20271)
    cases, want = [], []
    for n in range(40):
        F = hashlib.sha256(b"election %d" % (n % 3)).digest()
        o = hashlib.sha256(b"opening %d" % n).digest()
        ident, printed = cp.paper_id(F, o)
        h = cp.handle(F, printed)
        typed = respell(ident, rng)
        cases.append({"election": F.hex(), "typed": typed})
        # the shard: the handle's first ten bits as two symbols of §11.1
        bits = int.from_bytes(h[:2], "big") >> 6
        want.append({"handle": h.hex(), "shard": B32[bits >> 5] + B32[bits & 31],
                     "what": f"{typed!r} of {F.hex()[:8]}"})
    # the handle of a fixed identifier, written out byte by byte from §3.1,
    # so that a mistake shared by check_papers.py and check.js still shows
    F = bytes(range(32))
    ident = "0123456789ABCDEFGHJ"
    ident += B32[cp.cv.luhn32_symbol([B32.index(c) for c in ident])]
    tag = b"tenantvote/v1/paper"
    pre = (len(tag).to_bytes(4, "big") + tag + (32).to_bytes(4, "big") + F +
           (20).to_bytes(4, "big") + ident.encode("ascii"))
    check(len(pre) == 83, "the preimage of H(\"paper\"; F, id) is 83 bytes")
    h = hashlib.sha256(pre).digest()
    check(h == cp.handle(F, ident), "check_papers.handle is the §3.1 framing")
    bits = int.from_bytes(h[:2], "big") >> 6
    cases.append({"election": F.hex(), "typed": cp.cv.grouped(ident).lower()})
    want.append({"handle": h.hex(), "shard": B32[bits >> 5] + B32[bits & 31],
                 "what": "the identifier 0123-…, by hand"})
    # refused, as the page says
    good = cases[0]["typed"].replace(" ", "").replace("-", "").upper()
    good = good.replace("O", "0").replace("I", "1").replace("L", "1")
    typo = good[:7] + ("0" if good[7] != "0" else "1") + good[8:]
    for typed, error in ((typo, "typo"), (good[:19], "length"), (good + "0", "length"),
                         (good[:10] + "U" + good[11:], "badchar"), (good[:10] + "!" + good[11:], "badchar"),
                         ("QPR6-D0ZG-4E8Q-SP75-Q5NK-1X3B", "secret"), ("  ", "empty")):
        cases.append({"election": "00" * 32, "typed": typed})
        want.append({"error": error, "what": f"{typed!r}"})

    r = subprocess.run([node, "-e", HARNESS, "--", os.path.join(root, "cli", "site", "check.js")],
                       input=json.dumps(cases), capture_output=True, text=True, timeout=120)
    check(r.returncode == 0, f"node ran check.js ({r.stderr.strip()[-500:]})")
    got = json.loads(r.stdout) if r.returncode == 0 else []
    check(len(got) == len(want), f"an answer for each of {len(want)} cases")
    for g, w in zip(got, want):
        what = w.pop("what")
        check(g == w, f"{what}: check.js gives {g}, SPEC §15.8.1 {w}")
    if not failures:
        print(f"check.js: {len(want)} identifiers read and hashed as SPEC §15.8.1 says")


main()
if failures:
    print(f"{len(failures)} failure(s)")
    sys.exit(1)
