#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""A whole count through the CLI (intake with a spoilt paper and a revote,
close, tally, 2 of 3 decryptions, declare, export), then the verifier on
the record and on tampered copies of it: each tampering must fail with the
right check number (SPEC §19). First some hand-written tamperings, then a
generated one for every file, every field and every kind of change (see
"The generated layer" below): one line per wrong answer, then a count.

    check-record.py path/to/tenantvote"""
import concurrent.futures
import copy
import csv
import datetime
import hashlib
import json
import re
import os
import shutil
import sqlite3
import struct
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "vectors",
                                "independent"))
import check_vectors as cv  # noqa: E402  the independent checker's H and Ed25519

tv = sys.argv[1]
failures = []
env = dict(os.environ, TENANTVOTE_PASSPHRASE="trustees passphrase", TENANTVOTE_BOX_PASSPHRASE="ballot box passphrase")


def run(*args):
    return subprocess.run([tv, *args], capture_output=True, text=True, env=env)


# why the test ballots close before their advertised end (SPEC §15.4)
EARLY_REASON = "Test ballot: the council withdrew the proposal – tynnwyd y cynnig yn ôl"

def must(*args):
    r = run(*args)
    if r.returncode != 0:
        print(f"FAIL: {' '.join(args[:2])}: {r.stderr.strip()}")
        sys.exit(1)
    return r


def vote(code, choice, *args):
    """tenantvote vote, the code and the choice on standard input"""
    r = subprocess.run([tv, "vote", *args], capture_output=True, text=True, env=env,
                       input=f"{code}\n{choice}\n")
    if r.returncode != 0:
        print(f"FAIL: vote: {r.stderr.strip()}")
        sys.exit(1)
    return r


def check(cond, what):
    if not cond:
        failures.append(what)
        print(f"FAIL: {what}")


# ---------------------------------------------------------------------------
# The generated layer: for every file of the record and every field in it,
# every kind of mutation that applies, each run through the verifier.
#
# Each mutation either must fail or is a documented equivalent spelling:
#
#  - must fail: `verify` exits 1 (never 0; never 2 or 3 or a signal: every
#    tampering is a check failure, cli/count.c and tenantvote-verify(1);
#    3, "could not work", is only for running out of memory and the like,
#    since a missing or unreadable file is itself a failed check), and the
#    FIRST failing check (the lowest number in the report) is in `want`.
#    Later checks may fail as well, since they depend on what failed (the
#    board feeds the close and the count; the manifest feeds nearly
#    everything): that cascade is the verifier's business, but no check
#    before the owner of what was changed may fail, and the owner must be
#    the first to say so. `want` is a single check wherever the code makes
#    it one; the reason is given where it is not the file's own check.
#
#  - tolerated: the file reads to the same values. The verifier reads
#    JSON by value, not by bytes: keys in any order and free whitespace
#    (SPEC §18.2, §19.2; and §9.4.1 for the manifest, §12.4 for the
#    ceremony, §17.4.2 for result.json), while the line structure of
#    board.jsonl (one entry per line, each ending with LF) is significant.
#    Values are not free: an integer is its value, not its value modulo
#    2^32 (§18.2, §15.2: a channel is one TV_CHANNEL_* bit). Documented
#    equivalences beyond spelling, applied by normalise() below: a
#    manifest text's "cy" may be left out when empty and its channels come
#    in any order (§9.4.1); the ceremony's messages of one kind come as an
#    array in any order (§12.5.1); the decryptions are a set, in no set
#    order (§18.9; tv_tally_combine takes any k of them). Only
#    declaration.txt is byte-exact (§19.3 check 15), so every change to it
#    must fail. A tolerated mutation must exit 0 or 1 (it may be refused;
#    it may not crash).
# ---------------------------------------------------------------------------

RECORD_FILES = ["record.json", "manifest.json", "trustees.json", "credentials.json",
                "board.jsonl", "close.json", "tally.json", "result.json", "declaration.txt"]
# the check that owns each file: reading it, or (board) its first check
OWNER = {"record.json": 1, "manifest.json": 2, "trustees.json": 3, "credentials.json": 4,
         "board.jsonl": 5, "close.json": 10, "tally.json": 11, "result.json": 14,
         "declaration.txt": 15}
PRETTY = {"manifest.json", "result.json"}  # Jansson JSON_INDENT(2); the others compact
HEXDIGITS = "0123456789abcdef"


# To keep the run short, some parts that only repeat the shape of another
# are not walked into (their own node still gets its mutations): the
# ceremony messages after the first of each kind (the same reader checks
# every trustee's), and the entries of board lines other than the first
# ballot and the first spoilt paper (every line's envelope is walked).
def deep_trustees(path):
    return not (len(path) == 2 and path[1] != 0)


class Obj(list):
    """A JSON object as [key, value] pairs, so that order and duplicates survive."""


def jload(text):
    return json.loads(text, object_pairs_hook=lambda pairs: Obj([k, v] for k, v in pairs))


def jdump(v, pretty=False, level=0):
    """The bytes Jansson writes (compact, or JSON_INDENT(2)), for any Obj tree."""
    q = lambda x: json.dumps(x, ensure_ascii=False)
    if isinstance(v, (Obj, list)):
        o, c = ("{", "}") if isinstance(v, Obj) else ("[", "]")
        items = ([q(k) + (": " if pretty else ":") + jdump(x, pretty, level + 1) for k, x in v]
                 if isinstance(v, Obj) else [jdump(x, pretty, level + 1) for x in v])
        if not items:
            return o + c
        if pretty:
            pad = "  " * (level + 1)
            return o + "\n" + ",\n".join(pad + i for i in items) + "\n" + "  " * level + c
        return o + ",".join(items) + c
    return q(v)


def canon(v):
    """The value a JSON reader sees: key order ignored, types kept apart."""
    if isinstance(v, Obj):
        keys = [k for k, _ in v]
        if len(set(keys)) != len(keys):
            return ("duplicate keys", id(v))  # never equal to anything
        return ("object", tuple(sorted((k, canon(x)) for k, x in v)))
    if isinstance(v, list):
        return ("array", tuple(canon(x) for x in v))
    return (type(v).__name__, v)  # bool, int, float, str, NoneType: all distinct


def field(obj, key):
    return next((x for k, x in obj if k == key), None) if isinstance(obj, Obj) else None


def normalise(name, doc):
    """The documented equivalences beyond spelling (see above)."""
    doc = copy.deepcopy(doc)
    if name == "manifest.json":
        texts = [field(doc, "title"), field(doc, "question")]
        texts += [field(o, "label") for o in field(doc, "options") or [] if isinstance(o, Obj)]
        for t in texts:
            if isinstance(t, Obj) and "cy" not in [k for k, _ in t]:
                t.append(["cy", ""])
        if isinstance(field(doc, "channels"), list):
            field(doc, "channels").sort(key=repr)
    sets = {"trustees.json": ["commits", "reveals", "results"], "tally.json": ["decryptions"]}
    for key in sets.get(name, []):
        if isinstance(field(doc, key), list):
            field(doc, key).sort(key=lambda x: repr(canon(x)))
    return doc


def same_values(name, old, new):
    """True when @new is a documented equivalent spelling of @old."""
    if name == "declaration.txt":
        return old == new
    try:
        if name == "board.jsonl":
            # JSON lines: each ends with LF (a last line without one is how
            # a cut-off file looks), no blank lines
            a = [canon(jload(l)) for l in old.split("\n")[:-1]]
            b = [canon(jload(l)) for l in new.split("\n")[:-1] if l.strip()]
            return new.endswith("\n") and a == b and len(b) == new.count("\n")
        return canon(normalise(name, jload(old))) == canon(normalise(name, jload(new)))
    except ValueError:
        return False


def walk(v, path=(), deep=lambda path: True):
    """Every node, parents first; not below a path for which deep() is false."""
    yield path, v
    if not deep(path):
        return
    if isinstance(v, Obj):
        for k, x in v:
            yield from walk(x, path + (k,), deep)
    elif isinstance(v, list):
        for i, x in enumerate(v):
            yield from walk(x, path + (i,), deep)


def edited(doc, path, op):
    """A copy of @doc with op(parent, index in parent) applied at @path."""
    new = copy.deepcopy(doc)
    parent = new
    for p in path[:-1]:
        parent = field(parent, p) if isinstance(parent, Obj) else parent[p]
    key = path[-1]
    op(parent, next(i for i, (k, _) in enumerate(parent) if k == key)
       if isinstance(parent, Obj) else key)
    return new


def set_to(value):
    def op(parent, i):
        if isinstance(parent, Obj):
            parent[i][1] = value
        else:
            parent[i] = value
    return op


def drop(parent, i):
    del parent[i]


def dup(parent, i):
    parent.insert(i + 1, copy.deepcopy(parent[i]))


def node_mutations(path, v, in_object):
    """(kind, op) for the node @v at @path; op maps the document to a new one."""
    out = []
    rep = lambda value: (lambda doc: edited(doc, path, set_to(value)))
    if isinstance(v, str):
        if len(v) >= 64 and all(c in HEXDIGITS for c in v):
            flipped = v[:-1] + HEXDIGITS[(HEXDIGITS.index(v[-1]) + 1) % 16]
            out.append(("hex digit changed", rep(flipped)))
            if v.upper() != v:
                out.append(("hex in capitals", rep(v.upper())))
        else:
            out.append(("string changed", rep(v + "x")))
        out.append(("type changed", rep(7)))
    elif isinstance(v, bool):
        out.append(("boolean flipped", rep(not v)))
        out.append(("type changed", rep(int(v))))
    elif isinstance(v, int):
        out.append(("number changed", rep(v + 1)))
        # the same value modulo 2^32: a reader that cuts to 32 bits misses it
        out.append(("number changed by 2^32", rep(v + 2**32)))
        out.append(("type changed", rep(str(v))))
    elif v is None:
        out.append(("type changed", rep(0)))
    elif isinstance(v, Obj):
        added = Obj(copy.deepcopy(v) + [["extra", 1]])
        reordered = Obj(copy.deepcopy(v)[::-1])
        out.append(("field added", rep(added) if path else lambda doc: added))
        if len(v) >= 2:
            out.append(("keys reordered", rep(reordered) if path else lambda doc: reordered))
        if path:
            out.append(("type changed", rep([])))
    elif isinstance(v, list):
        if v:
            out.append(("element duplicated", rep(v[:1] + copy.deepcopy(v[:1]) + v[1:])))
            out.append(("element dropped", rep(v[:-1])))
        if len(v) >= 2 and canon(v[0]) != canon(v[1]):
            out.append(("elements reordered", rep([v[1], v[0]] + v[2:])))
        out.append(("type changed", rep(Obj())))
    if path and in_object:
        out.append(("field dropped", lambda doc: edited(doc, path, drop)))
        out.append(("key duplicated", lambda doc: edited(doc, path, dup)))
    return out


def json_mutations(doc, deep=lambda path: True):
    """(path, kind, value, new document) for every node of @doc (see walk)."""
    parents = {}
    for path, v in walk(doc, (), deep):
        parent_is_obj = bool(path) and isinstance(parents.get(path[:-1]), Obj)
        parents[path] = v
        for kind, op in node_mutations(path, v, parent_is_obj):
            yield path, kind, v, op(doc)


def path_str(path):
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path) or "(root)"


# --- what must fail first, per file and mutation --------------------------

def want_record(path, kind, v):
    # check 1 reads record.json: a malformed header fails it. A well-formed
    # but wrong value is found by the check that uses it: the election by
    # check 2 (the manifest's fingerprint), the box key by check 10 (the
    # close's signature); nothing else uses them.
    if kind == "hex digit changed" and path == ("election",):
        return {2}
    if kind == "hex digit changed" and path == ("box_key",):
        return {10}
    return {1}


def want_tally(path, kind, v):
    # check 11 reads tally.json and its "tally"; check 12 reads each of its
    # "decryptions" (tv_tally_combine). A duplicated key anywhere stops the
    # whole file parsing: check 11. A missing "decryptions" is a malformed
    # tally.json: check 11.
    if kind == "key duplicated" or not path or path[0] != "decryptions":
        return {11}
    if path == ("decryptions",) and kind == "field dropped":
        return {11}
    return {12}


def want_board(path, kind, v):
    # Check 5 parses each line (envelope and entry, tv_ballot_from_json /
    # tv_spoilt_from_json: every key, type, spelling, point, list length)
    # and the channel and time against the manifest; check 7 verifies the
    # entry's signature and proofs (and election, and option count); check
    # 9 the position and the hash chain. A parse failure (5) marks the line
    # bad, so 7 and 9's head check are skipped for it.
    if kind in ("field dropped", "key duplicated", "field added", "type changed",
                "hex in capitals", "string changed", "element dropped"):
        return {5}
    if path[0] != "entry":
        if kind.startswith("number changed"):
            # position + 1, time + 1: the chain. channel + 1 (4 -> 5, 1 -> 2)
            # is not one channel the manifest allows (online, postal), nor
            # is channel + 2^32 a channel at all (§15.2: one TV_CHANNEL_*
            # bit), whatever its low 32 bits are. time + 2^32 is past the
            # close (check 5's window).
            if kind == "number changed by 2^32" and path[0] == "time":
                return {5}
            return {9} if path[0] in ("position", "time") else {5}
        if kind == "hex digit changed":  # prev_head, head
            return {9}
        return {5}
    if kind == "hex digit changed":
        # a point whose y changed is off the curve (parse, 5); a scalar
        # (challenge, response) or the election is checked by 7
        return {5} if len(v) == 130 else {7}
    if kind.startswith("number changed"):  # total.min / max: the proof list no longer fits
        return {5}
    if kind == "element duplicated":  # 3 selections parse, then are not the manifest's 2
        return {7} if path[-1] == "selections" else {5}
    if kind == "elements reordered":  # options or proof branches swapped: signature, proofs
        return {7}
    return {5}


def want_owner(name):
    return lambda path, kind, v: {OWNER[name]}


WANT = {"record.json": want_record, "tally.json": want_tally, "board.jsonl": want_board}


# --- the board's hash chain (SPEC §3.1, §15.1.1, §15.2, §15.6), to write
# boards whose chain is consistent: only the close's signature can catch them

def H(purpose, *fields):
    h = hashlib.sha256()
    for f in (b"tenantvote/v1/" + purpose.encode(),) + fields:
        h.update(struct.pack(">I", len(f)) + f)
    return h.digest()


def tracking(kind, e):
    b = bytes.fromhex
    if kind in ("credential-added", "credential-revoked"):   # SPEC §11.7
        op = 4 if kind == "credential-added" else 5
        return H("credential-change-tracking", struct.pack(">I", op), b(e["credential"]),
                 b(e["signature"]))
    if kind in ("opened", "paper"):  # §18.7, §15.8.4: the T of the unsigned ballot it holds
        return tracking("ballot", e["ballot"])
    F, X = b(e["election"]), b(e["credential"])
    reasons = ["no-official-mark", "more-than-one-answer", "identifies-voter",
               "unmarked-or-void"]
    if kind == "paper-spoilt":  # §15.8.4: T = H("paper-spoilt-tracking"; F, h, u32be(reason))
        h = H("paper", F, e["paper"].encode())
        return H("paper-spoilt-tracking", F, h, struct.pack(">I", reasons.index(e["reason"]) + 1))
    if kind == "spoilt":
        sig = (b(e["signature"]["commitment"]), b(e["signature"]["response"]))
        reasons = ["no-official-mark", "more-than-one-answer", "identifies-voter",
                   "unmarked-or-void"]
        S = H("spoilt", F, X, struct.pack(">I", reasons.index(e["reason"]) + 1))
        return H("spoilt-tracking", S, *sig)
    fields = [F, X, struct.pack(">I", len(e["selections"]))]
    for s in e["selections"]:
        fields += [b(s["alpha"]), b(s["beta"])]
        for p in s["proof"]:
            fields += [b(p[k]) for k in ("a", "b", "challenge", "response")]
    fields += [struct.pack(">I", e["total"]["min"]), struct.pack(">I", e["total"]["max"])]
    for p in e["total"]["proof"]:
        fields += [b(p[k]) for k in ("a", "b", "challenge", "response")]
    # §15.1.1: T is over the unsigned ballot; the signature is over T
    return H("ballot-tracking", H("ballot", *fields))


def rechain(lines, election, start=None):
    """The lines renumbered 1..N with prev_head and head recomputed, from
    head_0 = H("board-start"; F), or @p start (a board with ballot papers
    starts from H("board-start-papers"; F, P), §15.8.2)."""
    head = start or H("board-start", bytes.fromhex(election))
    out = []
    for p, line in enumerate(lines, 1):
        o = json.loads(line)
        t = tracking(o["kind"], o["entry"])
        o["position"], o["prev_head"] = p, head.hex()
        head = H("board", head, struct.pack(">Q", p), t, struct.pack(">I", o["channel"]),
                 struct.pack(">q", o["time"]))
        o["head"] = head.hex()
        out.append(json.dumps(o, separators=(",", ":"), ensure_ascii=False) + "\n")
    return out


# --- the mutations --------------------------------------------------------

def all_mutations(rec):
    orig = {}
    for name in RECORD_FILES:
        with open(os.path.join(rec, name), encoding="utf-8", newline="") as f:
            orig[name] = f.read()
    assert sorted(os.listdir(rec)) == sorted(RECORD_FILES), \
        f"export writes files this test does not know: {sorted(os.listdir(rec))}"
    muts = []  # (label, {file: new text or None (deleted)}, want: set of checks, strict)

    def add(label, name, text, want, strict=False):
        """strict: must fail even though it reads to the same values"""
        muts.append((label, {name: text}, want, strict))

    # every field of every JSON file
    for name in RECORD_FILES:
        if name in ("board.jsonl", "declaration.txt"):
            continue
        doc = jload(orig[name])
        pretty = name in PRETTY
        dump = lambda d: jdump(d, pretty) + "\n"
        assert dump(doc) == orig[name], f"{name} is not written as this test writes JSON"
        want = WANT.get(name, want_owner(name))
        deep = deep_trustees if name == "trustees.json" else (lambda path: True)
        for path, kind, v, new in json_mutations(doc, deep):
            add(f"{name} {path_str(path)}: {kind}", name, dump(new), want(path, kind, v))

    # the board: every field of the walked lines; the envelope of every line
    lines = orig["board.jsonl"].splitlines(True)
    election = json.loads(orig["record.json"])["election"]
    assert rechain(lines, election) == lines, "the board's chain is not the one SPEC §15.2 gives"
    kinds = [json.loads(l)["kind"] for l in lines]
    walked = {kinds.index(k) for k in ("ballot", "spoilt") if k in kinds}
    for i, line in enumerate(lines):
        doc = jload(line)
        assert jdump(doc) + "\n" == line
        for path, kind, v, new in json_mutations(doc, lambda path: i in walked or path == ()):
            text = "".join(lines[:i] + [jdump(new) + "\n"] + lines[i + 1:])
            add(f"board.jsonl line {i + 1} {path_str(path)}: {kind}", "board.jsonl", text,
                want_board(path, kind, v) if path else {5})

    # whole lines of the board
    n = len(lines)
    B = lambda ls: "".join(ls)
    for i in range(n):
        # the last line dropped leaves a good chain one entry short: the close (10)
        add(f"board.jsonl line {i + 1}: dropped", "board.jsonl", B(lines[:i] + lines[i + 1:]),
            {10} if i == n - 1 else {9})
        # the copy is "no entry twice" (8); its position is wrong too (9)
        add(f"board.jsonl line {i + 1}: duplicated", "board.jsonl",
            B(lines[:i + 1] + lines[i:]), {8})
        add(f"board.jsonl line {i + 1}: truncated", "board.jsonl",
            B(lines[:i] + [lines[i][:len(lines[i]) // 2] + "\n"] + lines[i + 1:]), {5})
        # the same, with the chain recomputed over the changed board
        add(f"board.jsonl line {i + 1}: dropped, chain recomputed", "board.jsonl",
            B(rechain(lines[:i] + lines[i + 1:], election)), {10})
        add(f"board.jsonl line {i + 1}: duplicated, chain recomputed", "board.jsonl",
            B(rechain(lines[:i + 1] + lines[i:], election)), {8})
    def time_goes_back(ls):
        """the board's times must never go back (§19.3 check 9 step 3)"""
        t = [json.loads(x)["time"] for x in ls]
        return any(b < a for a, b in zip(t, t[1:]))

    for i in range(n - 1):
        swapped = lines[:i] + [lines[i + 1], lines[i]] + lines[i + 2:]
        add(f"board.jsonl lines {i + 1}, {i + 2}: swapped", "board.jsonl", B(swapped), {9})
        # chained again, only the close's signature over the last head (10)
        # catches it, or the times first where the two were received apart
        add(f"board.jsonl lines {i + 1}, {i + 2}: swapped, chain recomputed", "board.jsonl",
            B(rechain(swapped, election)), {9} if time_goes_back(swapped) else {10})
    add("board.jsonl: a blank line first", "board.jsonl", "\n" + B(lines), {5})
    add("board.jsonl: a blank line last", "board.jsonl", B(lines) + "\n", {5})
    add("board.jsonl: the last line cut off (no newline)", "board.jsonl", B(lines)[:-1], {5})
    add("board.jsonl: CRLF line ends", "board.jsonl", B(lines).replace("\n", "\r\n"), {5})
    # a line is at most 263168 bytes with its LF (TV_RECORD_LINE_MAX, §18.7):
    # padded with spaces to the limit it reads; one byte more is refused
    LINE_MAX = 263168
    pad = lambda k: lines[0][:1] + " " * (k - len(lines[0])) + lines[0][1:]
    add("board.jsonl line 1: padded to the longest line", "board.jsonl",
        B([pad(LINE_MAX)] + lines[1:]), {5})
    add("board.jsonl line 1: padded one byte past the longest line", "board.jsonl",
        B([pad(LINE_MAX + 1)] + lines[1:]), {5}, strict=True)

    # the cases: a ballot duplicated in the middle, a revote swapped,
    # the board emptied
    src = next(i for i in range(1, n - 2) if kinds[i] == "ballot")
    copied = lines[:src + 2] + [lines[src]] + lines[src + 2:]
    add(f"board.jsonl: ballot at {src + 1} copied after line {src + 2}", "board.jsonl",
        B(copied), {8})
    add(f"board.jsonl: ballot at {src + 1} copied after line {src + 2}, chain recomputed",
        "board.jsonl", B(rechain(copied, election)), {8})
    creds = [json.loads(l)["entry"]["credential"] for l in lines]
    revote = next((i, j) for i in range(n) for j in range(i + 1, n) if creds[i] == creds[j])
    i, j = revote
    swapped = list(lines)
    swapped[i], swapped[j] = lines[j], lines[i]
    # the lines hold their positions: check 9
    add(f"board.jsonl: revote swapped (lines {i + 1}, {j + 1})", "board.jsonl", B(swapped), {9})
    # renumbered and rechained, the board is well formed and another entry
    # counts; only the close's signature over the last head (10) catches it,
    # or the times (9) where the two were received in different seconds
    add(f"board.jsonl: revote swapped (lines {i + 1}, {j + 1}), chain recomputed",
        "board.jsonl", B(rechain(swapped, election)), {9} if time_goes_back(swapped) else {10})
    # an empty board is a well-formed board of 0 entries: the close says 6 (10)
    add("board.jsonl: emptied", "board.jsonl", "", {10})
    # another channel the manifest allows, another time in the window
    first = json.loads(lines[0])
    man = json.loads(orig["manifest.json"])
    window = [int(datetime.datetime.strptime(man[k], "%Y-%m-%dT%H:%M:%SZ").replace(
        tzinfo=datetime.timezone.utc).timestamp()) for k in ("opens", "closes")]
    other = 1 if first["channel"] != 1 else 4
    for what, key, value, want in (("channel", "channel", other, {9}),
                                   ("time", "time", first["time"] - 1, {9}),
                                   ("time at the close", "time", window[1], {5}),
                                   ("time before the opening", "time", window[0] - 1, {5})):
        o = dict(first, **{key: value})
        changed = [json.dumps(o, separators=(",", ":")) + "\n"] + lines[1:]
        add(f"board.jsonl line 1: {what} changed", "board.jsonl", B(changed), want)
        if want == {9}:
            add(f"board.jsonl line 1: {what} changed, chain recomputed", "board.jsonl",
                B(rechain(changed, election)), {10})
    # an entry dated before the one before it, the chain made again: the box
    # appends as it receives, so time never goes back along the board (9)
    second = json.loads(lines[1])
    if second["time"] - 1 >= window[0]:
        back = dict(second, time=min(second["time"], first["time"]) - 1)
        if back["time"] >= window[0]:
            later = [lines[0], json.dumps(back, separators=(",", ":")) + "\n"] + lines[2:]
            add("board.jsonl line 2: received before line 1, chain recomputed", "board.jsonl",
                B(rechain(later, election)), {9})
    # the credential authority's changes (SPEC §11.7), made by a key that is
    # not the list's: the signature fails (7); a change with a channel (5)
    seed = hashlib.sha256(b"not the credential authority").digest()
    _, bad_sig = cv.ed_sign(seed, b"a change")
    last = json.loads(lines[-1])
    for kind, cred in (("credential-revoked", creds[0]), ("credential-added", creds[1])):
        change = {"position": 0, "kind": kind, "channel": 0, "time": last["time"],
                  "prev_head": "", "head": "",
                  "entry": {"credential": cred, "signature": bad_sig.hex()}}
        add(f"board.jsonl: a {kind} line not signed by the authority, chain recomputed",
            "board.jsonl", B(rechain(lines + [json.dumps(change) + "\n"], election)), {7})
        change["channel"] = 1
        add(f"board.jsonl: a {kind} line with a channel, chain recomputed",
            "board.jsonl", B(rechain(lines + [json.dumps(change) + "\n"], election)), {5})
    # another listed credential put in a ballot: its signature and proofs fail
    o = json.loads(lines[0])
    o["entry"]["credential"] = next(c for c in creds if c != o["entry"]["credential"])
    add("board.jsonl line 1: another listed credential", "board.jsonl",
        B([json.dumps(o, separators=(",", ":")) + "\n"] + lines[1:]), {7})
    if "spoilt" in kinds:
        k = kinds.index("spoilt")
        o = json.loads(lines[k])
        o["entry"]["reason"] = ("identifies-voter" if o["entry"]["reason"] != "identifies-voter"
                                else "no-official-mark")
        add(f"board.jsonl line {k + 1}: spoilt for another reason", "board.jsonl",
            B(lines[:k] + [json.dumps(o, separators=(",", ":")) + "\n"] + lines[k + 1:]), {7})

    # the credential list kept consistent: a credential taken out, or one
    # added, breaks the credential authority's signature (4); the list
    # changed and signed again by a key the box holds (the authority's key
    # swapped too) is not the list the trustees' ceremony is bound to (3)
    cl = json.loads(orig["credentials.json"])
    election = bytes.fromhex(json.loads(orig["record.json"])["election"])

    def resigned(points):
        seed = hashlib.sha256(b"an insider's own authority key").digest()
        a, _ = cv.ed_sign(seed, b"")
        body = b"".join(bytes.fromhex(x) for x in points)
        digest = cv.H("credential-list", election, struct.pack(">Q", len(points)),
                      *[bytes.fromhex(x) for x in points])
        assert len(body) == 65 * len(points)
        _, sig = cv.ed_sign(seed, cv.H("credential-authority", election, a, digest))
        return json.dumps(dict(cl, electorate=len(points), authority=a.hex(),
                               signature=sig.hex(), credentials=points),
                          separators=(",", ":")) + "\n"

    for c in cl["credentials"]:
        rest = [x for x in cl["credentials"] if x != c]
        text = json.dumps(dict(cl, electorate=len(rest), credentials=rest),
                          separators=(",", ":")) + "\n"
        add(f"credentials.json: {c[:10]}… taken out, electorate kept consistent",
            "credentials.json", text, {4})
    point = jload(orig["trustees.json"])
    point = field(field(point, "commits")[0], "transport_key")  # a valid point
    more = sorted(cl["credentials"] + [point])
    add("credentials.json: a valid point added, electorate kept consistent", "credentials.json",
        json.dumps(dict(cl, electorate=len(more), credentials=more), separators=(",", ":")) + "\n",
        {4})
    add("credentials.json: a point added, signed again by another authority key",
        "credentials.json", resigned(more), {3})
    add("credentials.json: a credential swapped, signed again by another authority key",
        "credentials.json", resigned(sorted([point] + cl["credentials"][1:])), {3})
    add("credentials.json: the same list, signed by another authority key",
        "credentials.json", resigned(cl["credentials"]), {3})

    # whole files, and lines of the multi-line files
    for name in RECORD_FILES:
        text, own = orig[name], OWNER[name]
        add(f"{name}: deleted", name, None, {own})
        cut = len(text) // 2
        add(f"{name}: truncated to half", name, text[:cut], {own})
        # an empty board is well formed: see "emptied" above
        add(f"{name}: emptied", name, "", {10} if name == "board.jsonl" else {own})
        add(f"{name}: last newline removed", name, text[:-1], {own})
        add(f"{name}: a byte appended", name, text + "x", {own})
        add(f"{name}: a space appended", name, text + " ", {own})
        if name != "board.jsonl":
            add(f"{name}: CRLF line ends", name, text.replace("\n", "\r\n"), {own})
        if name in PRETTY or name == "declaration.txt":
            ls = text.splitlines(True)
            for i in range(len(ls)):
                add(f"{name} line {i + 1}: dropped", name, "".join(ls[:i] + ls[i + 1:]), {own})
                add(f"{name} line {i + 1}: duplicated", name, "".join(ls[:i + 1] + ls[i:]), {own})
            for i in range(len(ls) - 1):
                add(f"{name} lines {i + 1}, {i + 2}: swapped", name,
                    "".join(ls[:i] + [ls[i + 1], ls[i]] + ls[i + 2:]), {own})
    # declaration.txt is byte-exact: every figure, every word
    ls = orig["declaration.txt"].splitlines(True)
    for i, l in enumerate(ls):
        for pos, ch in enumerate(l):
            if ch.isdigit():
                add(f"declaration.txt line {i + 1}: a figure changed", "declaration.txt",
                    "".join(ls[:i] + [l[:pos] + str((int(ch) + 1) % 10) + l[pos + 1:]] + ls[i + 1:]),
                    {15})
                break
        for pos, ch in enumerate(l):
            if ch.isalpha():
                add(f"declaration.txt line {i + 1}: a letter's case changed", "declaration.txt",
                    "".join(ls[:i] + [l[:pos] + ch.swapcase() + l[pos + 1:]] + ls[i + 1:]), {15})
                break
        add(f"declaration.txt line {i + 1}: trailing space", "declaration.txt",
            "".join(ls[:i] + [l[:-1] + " \n"] + ls[i + 1:]), {15})

    # tolerated: the same values in another spelling
    out = []
    for label, files, want, strict in muts:
        (name, text), = files.items()
        if text is not None and text == orig[name]:
            continue  # no change at all (e.g. a no-op on this record)
        tolerated = not strict and text is not None and same_values(name, orig[name], text)
        out.append((label, files, None if tolerated else want))
    return out


# the order of P-256 (SPEC §2.1): a nonce changed at or above it does not decode
N_P256 = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551


def want_opened(path, kind, v, m, channels):
    """The owning check of a mutation of an opened entry's line (SPEC §18.7,
    §19.3): its reading is check 5; its proofs and opening are check 7."""
    if path == ("channel",) and kind == "number changed":
        # another channel the manifest allows is only another head (9)
        return {9} if v + 1 in channels else {5}
    if path[:1] != ("entry",) or len(path) == 1:
        return want_board(path, kind, v) if path else {5}
    if kind in ("field dropped", "key duplicated", "field added", "type changed",
                "hex in capitals", "string changed", "element dropped"):
        return {5}
    if path == ("entry", "choice"):  # the choice shown: another one in [0, m] is a lie (7)
        return {7} if kind == "number changed" and v + 1 <= m else {5}
    if path[:2] == ("entry", "nonces"):
        if kind == "hex digit changed":  # another nonce: 7, unless it is no scalar (5)
            flipped = v[:-1] + HEXDIGITS[(HEXDIGITS.index(v[-1]) + 1) % 16]
            return {7} if 0 < int(flipped, 16) < N_P256 else {5}
        if kind == "elements reordered":
            return {7}
        return {5}  # not m nonces
    inner = ("entry",) + path[2:]  # the ballot inside, read as §15.1.4 reads it
    if kind == "element duplicated" and path[-1] == "selections":
        return {5}  # m + 1 selections, m nonces
    return want_board(inner, kind, v)


def opened_mutations(rec):
    """Every field of the first opened entry's line, and the attacks on it."""
    with open(os.path.join(rec, "board.jsonl"), encoding="utf-8", newline="") as f:
        lines = f.read().splitlines(True)
    election = json.loads(open(os.path.join(rec, "record.json")).read())["election"]
    kinds = [json.loads(l)["kind"] for l in lines]
    assert "opened" in kinds, "the demo record has no opened ballot on its board"
    i = kinds.index("opened")
    doc = jload(lines[i])
    m = len(json.loads(lines[i])["entry"]["nonces"])
    names = {"online": 1, "phone": 2, "postal": 4, "in-person": 8, "in_person": 8}
    channels = {names.get(c, 0) for c in
                json.loads(open(os.path.join(rec, "manifest.json")).read())["channels"]}
    B = "".join
    muts = []
    orig = B(lines)
    for path, kind, v, new in json_mutations(doc):
        text = B(lines[:i] + [jdump(new) + "\n"] + lines[i + 1:])
        if text == orig:
            continue
        # the same values in another spelling (key order) must still read
        want = None if same_values("board.jsonl", orig, text) else want_opened(path, kind, v, m, channels)
        muts.append((f"board.jsonl opened line {i + 1} {path_str(path)}: {kind}",
                     {"board.jsonl": text}, want))
    o = json.loads(lines[i])
    # the opened ballot published twice (8), or cast as it is: kind ballot,
    # without a signature, is no cast ballot (5)
    twice = lines[:i + 1] + [lines[i]] + lines[i + 1:]
    start = bytes.fromhex(json.loads(lines[0])["prev_head"])  # the demo's board has papers
    # (8; and, the demo having ballot papers, the authority's seal of the
    # openings is over the board as it was: check 7 names that first)
    muts.append((f"board.jsonl: opened line {i + 1} published twice, chain recomputed",
                 {"board.jsonl": B(rechain(twice, election, start))}, {7}))
    cast = dict(o, kind="ballot", entry=o["entry"]["ballot"])
    muts.append((f"board.jsonl: opened line {i + 1}'s ballot as a cast ballot, chain recomputed",
                 {"board.jsonl": B(rechain(lines[:i] + [json.dumps(cast, separators=(",", ":"),
                                                                   ensure_ascii=False) + "\n"]
                                           + lines[i + 1:], election, start))}, {5}))
    signed = json.loads(lines[i])
    signed["entry"]["ballot"]["signature"] = {"commitment": o["entry"]["ballot"]["credential"],
                                              "response": "01" * 32}
    muts.append((f"board.jsonl: opened line {i + 1} with a signature", {"board.jsonl": B(
        lines[:i] + [json.dumps(signed, separators=(",", ":"), ensure_ascii=False) + "\n"]
        + lines[i + 1:])}, {5}))
    # another choice, chain untouched (the choice is not in T): the opening fails (7)
    lie = json.loads(lines[i])
    lie["entry"]["choice"] = (lie["entry"]["choice"] + 1) % (m + 1)
    muts.append((f"board.jsonl: opened line {i + 1} shows another choice", {"board.jsonl": B(
        lines[:i] + [json.dumps(lie, separators=(",", ":"), ensure_ascii=False) + "\n"]
        + lines[i + 1:])}, {7}))
    return muts


def papers_mutations(rec):
    """Every field of papers.json changed, dropped, duplicated (SPEC §18.7a):
    the list's own fields fail check 4, the openings and their seal check 7;
    papers.json taken away fails check 6 (no paper entry is on a list)."""
    with open(os.path.join(rec, "papers.json"), encoding="utf-8") as f:
        orig = f.read()
    doc = jload(orig)
    muts = []
    for path, kind, v, new in json_mutations(doc):
        text = jdump(new) + "\n"
        if text == orig:
            continue
        if same_values("papers.json", orig, text):
            want = None
        elif path and path[0] in ("opened", "seal"):
            want = {4, 7}
        else:
            want = {4}
        muts.append((f"papers.json {path_str(path)}: {kind}", {"papers.json": text}, want))
    muts.append(("papers.json taken away", {"papers.json": None}, {6}))
    return muts


def generated_tampering(rec, d, muts=None):
    muts = all_mutations(rec) if muts is None else muts
    # Under the sanitizers (meson sets TV_TAMPER_EVERY there) every k-th
    # mutation is run: memory errors need the code paths, not all 2,000
    # verdicts, which the plain build checks in full.
    every = int(os.environ.get("TV_TAMPER_EVERY", "1"))
    if every > 1:
        print(f"running 1 in {every} of {len(muts)} mutations (TV_TAMPER_EVERY)")
        muts = muts[::every]
    start = time.monotonic()

    def one(m):
        label, files, want = m
        t = tempfile.mkdtemp(dir=d)
        try:
            # papers.json is there only in an election with ballot papers
            for name in RECORD_FILES + ["papers.json"]:
                if name not in files and name == "papers.json" and \
                        not os.path.exists(os.path.join(rec, name)):
                    continue
                if name not in files:  # never written to: a link will do
                    os.link(os.path.join(rec, name), os.path.join(t, name))
                elif files[name] is not None:
                    with open(os.path.join(t, name), "wb") as f:
                        f.write(files[name].encode("utf-8"))
            r = subprocess.run([tv, "verify", t, "--json", "--threads", "1"],
                               capture_output=True, text=True, env=env, timeout=120)
        finally:
            shutil.rmtree(t, ignore_errors=True)
        try:
            out = json.loads(r.stdout) if r.returncode in (0, 1) else {}
        except ValueError:
            out = {}
        # the owning check is the first that failed, not one left undone
        # because it needs what failed (check 3 needs check 4's list)
        fails = out.get("failures", [])
        done = [x for x in fails if not str(x.get("message", "")).startswith("not done")]
        checks = sorted({x["check"] for x in (done or fails)})
        if want is None:
            ok = r.returncode in (0, 1) and out != {}
            expect = "exit 0 or 1 (the same values)"
        else:
            ok = (r.returncode == 1 and out.get("valid") is False and checks != [] and
                  checks[0] in want)
            expect = f"exit 1, first failing check {'/'.join(map(str, sorted(want)))}"
        got = (f"exit {r.returncode}" if r.returncode >= 0 else f"signal {-r.returncode}")
        return ok, want is None, r.returncode, f"{label}: want {expect}, got {got}, " \
                                              f"failing checks {checks} {r.stderr.strip()[:200]}"

    workers = max(2, min(8, os.cpu_count() or 2))
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        results = list(pool.map(one, muts))
    bad = 0
    for ok, tolerated, rc, line in results:
        if not ok:
            bad += 1
            failures.append(line)
            print(f"FAIL: {line}")
    tol = [r for r in results if r[1]]
    print(f"generated: {len(results)} mutations ({len(results) - len(tol)} must fail, "
          f"{len(tol)} equivalent spellings of which {sum(r[2] == 0 for r in tol)} pass), "
          f"{bad} wrong, in {time.monotonic() - start:.1f} s")



def report_hygiene(rec, d):
    """What the verifier prints about a tampered record."""
    def tamper(edits):
        t = os.path.join(d, "hygiene")
        shutil.rmtree(t, ignore_errors=True)
        shutil.copytree(rec, t)
        for name, fn in edits.items():
            with open(os.path.join(t, name), encoding="utf-8", newline="") as f:
                text = f.read()
            with open(os.path.join(t, name), "w", encoding="utf-8", newline="") as f:
                f.write(fn(text))
        return t

    # Bytes of the record never reach the terminal raw (the reason SPEC
    # §9.1 gives for escaping untrusted bytes in messages: they "could hide
    # or rewrite text on the terminal of whoever reads a record"): here an
    # unknown key holding ESC and BEL, in a board entry and in the tally.
    t = tamper({
        "board.jsonl": lambda s: s.replace('"entry":{', '"entry":{"\\u001b[2J\\u001b[31m":1,', 1),
        "tally.json": lambda s: s.replace('"tally":{', '"tally":{"\\u001b]0;x\\u0007":1,', 1)})
    r = run("verify", t)
    raw = sorted({hex(ord(c)) for c in r.stdout + r.stderr if ord(c) < 0x20 and c != "\n"})
    check(r.returncode == 1 and not raw,
          f"verify copies control characters from the record to the terminal: {raw}")

    # Each failure is reported once: a malformed board line is check 5's,
    # and the recount for check 11 must not report it again.
    t = tamper({"board.jsonl": lambda s: s.replace('"kind":"ballot"', '"kind":"ballotx"', 1)})
    r = run("verify", t, "--json")
    got = json.loads(r.stdout)["failures"] if r.stdout.strip() else []
    seen = [(x["check"], x["position"], x["message"]) for x in got]
    twice = sorted({x for x in seen if seen.count(x) > 1})
    check(r.returncode == 1 and not twice, f"verify reports a failure more than once: {twice}")

    # a board of many bad lines: --json lists at most 100 failures of a
    # check and counts the rest, so its output (and memory) stay bounded
    t = tamper({"board.jsonl": lambda s: s + "x\n" * 5000})
    r = run("verify", t, "--json")
    out = json.loads(r.stdout) if r.stdout.strip() else {}
    per = {}
    for x in out.get("failures", []):
        per[x["check"]] = per.get(x["check"], 0) + 1
    check(r.returncode == 1 and per and max(per.values()) <= 100 and
          out.get("failures_not_listed", 0) >= 4900,
          f"verify --json bounds its failures ({per}, {out.get('failures_not_listed')})")


with tempfile.TemporaryDirectory() as d:
    e = os.path.join(d, "e")
    must("init", e, "--council", "C", "--landlord", "L", "--title", "T", "--question", "Q",
         "--option", "Yes", "--option", "No", "--allow-blank", "--channels", "online,postal",
         "--trustees", "3", "--threshold", "2",
         "--opens", "2020-01-01T00:00:00Z", "--closes", "2099-01-01T00:00:00Z")
    reg = os.path.join(d, "r.csv")
    with open(reg, "w") as f:
        f.write("tenancy_ref,name,address,tenancy_type\n" +
                "".join(f"T{i},N{i},{i} Lane,secure\n" for i in range(6)))
    must("register", "import", reg, "-d", e)
    letters = os.path.join(d, "l.csv")
    must("credentials", "issue", "--letters", letters, "-d", e)
    with open(letters, newline="") as f:
        codes = [row["code"] for row in csv.DictReader(f)]
    must("ceremony", "-d", e)
    must("open", "-d", e)
    intake = os.path.join(d, "in.csv")
    with open(intake, "w") as f:
        f.write(f"code,choice\n{codes[0]},1\n{codes[1]},1\n{codes[2]},2\n"
                f"{codes[3]},rejected:no-official-mark\n{codes[4]},blank\n")
    intake_receipts = os.path.join(d, "intake-receipts.jsonl")
    must("intake", intake, "--channel", "postal", "--receipts", intake_receipts, "-d", e)
    r1_text = vote(codes[1], "2", "-d", e).stdout  # a revote, its receipt as printed
    r1_json = next(l for l in r1_text.splitlines() if l.startswith("{"))
    # the insider's copy of the box before the close, to cut its board
    cut_box = os.path.join(d, "cut-box")
    shutil.copytree(e, cut_box)
    # before the advertised end: refused unless early, with a reason (SPEC §15.4)
    r = run("close", "-d", e)
    check(r.returncode == 1 and "advertised to close" in r.stderr and "--early" in r.stderr,
          f"close before the advertised end refused ({r.stderr.strip()})")
    must("close", "-d", e, "--early", "--reason", EARLY_REASON)
    # the insider edits the stored reason and time with sqlite3 after the close:
    # the record carries them under the box's signature, so check 10 fails
    for box_edit in ("UPDATE election SET close_reason = 'Turnout was already high'",
                 "UPDATE election SET closed_at = closed_at + 86400 * 30",
                 "UPDATE election SET close_reason = ''"):
        box_copy = os.path.join(d, "edited-box")
        shutil.rmtree(box_copy, ignore_errors=True)
        shutil.copytree(e, box_copy)
        db = sqlite3.connect(os.path.join(box_copy, "election.db"))
        db.execute(box_edit)
        db.commit()
        db.close()
        rec_copy = os.path.join(d, "edited-record")
        shutil.rmtree(rec_copy, ignore_errors=True)
        must("export", "--record", rec_copy, "--for-trustees", "-d", box_copy)
        r = run("verify", rec_copy, "--json")
        got = json.loads(r.stdout) if r.stdout.strip() else {}
        fails = {x["check"] for x in got.get("failures", [])}
        check(r.returncode == 1 and 10 in fails,
              f"close edited in the box with sqlite3 ({box_edit}): check 10 fails ({sorted(fails)})")
    r = run("declare", "-d", e)
    check(r.returncode == 1 and "tally" in r.stderr, "declare before tally refused")
    must("tally", "-d", e)
    # a trustee never decrypts a tally it is handed: only the sums it adds
    # up itself from the board it checked (SPEC §16.3)
    r = run("trustee", "decrypt", "--trustee", "2", "-d", e)
    check(r.returncode == 2 and "--record" in r.stderr, "trustee decrypt without a record refused")
    for_trustees = os.path.join(d, "for-trustees")
    must("export", "--record", for_trustees, "--for-trustees", "-d", e)
    check(not os.path.exists(os.path.join(for_trustees, "tally.json")),
          "the record for the trustees holds no count")
    # the officer aims the trustees at one tenant's ballot: a board line
    # changed to hold only that ballot, or a tally.json of it, gets nothing
    aimed = os.path.join(d, "aimed")
    shutil.copytree(for_trustees, aimed)
    with open(os.path.join(aimed, "board.jsonl")) as f:
        board_lines = f.readlines()
    with open(os.path.join(aimed, "board.jsonl"), "w") as f:
        f.writelines(board_lines[:1])
    r = run("trustee", "decrypt", "--trustee", "2", "--record", aimed, "-d", e)
    check(r.returncode == 1 and "check 10" in r.stderr and
          not os.path.exists(os.path.join(e, "decryptions", "trustee-2.json")),
          f"trustee decrypt refuses a board cut to one ballot ({r.stderr.strip()[:200]})")
    r = must("trustee", "decrypt", "--trustee", "2", "--record", for_trustees, "-d", e, "--json")
    x = json.loads(r.stdout)
    check(x["step"] == "decrypt" and os.path.exists(x["decryption"]) and
          x["counted"] == x["ballots"] + x["spoilt"] and x["entries"] >= x["counted"] > 0,
          f"trustee decrypt --json: the file and the record's figures ({x})")
    # the insider with sqlite3 and the box key: a second, honestly closed
    # board holding only tenant 1's ballot (SPEC §16.3). Each trustee
    # decrypts the count of one board only: trustee 2, who counted the real
    # board, refuses; trustee 1, who counts the cut board first, cannot
    # then count the real one, and the declared figures would show one
    # ballot against the receipts every other tenant holds (THREATS.md).
    db = sqlite3.connect(os.path.join(cut_box, "election.db"))
    db.execute("DELETE FROM intake_row WHERE position > 1")
    db.execute("DELETE FROM board WHERE position > 1")
    db.commit()
    db.close()
    must("close", "-d", cut_box, "--early", "--reason", EARLY_REASON)
    cut = os.path.join(d, "cut")
    must("export", "--record", cut, "--for-trustees", "-d", cut_box)
    r = run("trustee", "decrypt", "--trustee", "2", "--record", cut, "-d", e)
    check(r.returncode == 1 and "one closed board only" in r.stderr,
          f"a trustee refuses a second board of the same election ({r.stderr.strip()[:200]})")
    r = must("trustee", "decrypt", "--trustee", "1", "--record", cut, "-d", e)
    check("1 counted: 1 ballots" in r.stdout, f"the cut board shows its one ballot ({r.stdout})")
    r = run("trustee", "decrypt", "--trustee", "1", "--record", for_trustees, "-d", e)
    check(r.returncode == 1 and "one closed board only" in r.stderr,
          f"...and then refuses the real one ({r.stderr.strip()[:200]})")
    os.remove(os.path.join(e, "decryptions", "trustee-1.json"))  # not for the declaration
    r = run("declare", "-d", e)
    check(r.returncode == 1 and "needed" in r.stderr, "declare with 1 of 3 decryptions refused")
    must("trustee", "decrypt", "--trustee", "3", "--record", for_trustees, "-d", e)
    # an editor's or officer's copies beside them are not read (tenantvote-declare(1))
    for junk in ("trustee-3.json.bak", "trustee-3.json~", "trustee-1.json.old"):
        with open(os.path.join(e, "decryptions", junk), "w") as f:
            f.write("not a decryption\n")
    res = json.loads(must("declare", "-d", e, "--json").stdout)
    check([o["votes"] for o in res["options"]] == [1, 2] and res["blank"] == 1 and
          res["rejected"]["no-official-mark"] == 1 and res["ballots"] == 5,
          f"declared figures ({res})")
    eml = must("declare", "-d", e, "--eml", "510").stdout
    check(eml.startswith("<?xml") and "510" in eml, "EML 510")
    rec = os.path.join(d, "rec")
    must("export", "--record", rec, "-d", e)
    r = run("export", "--record", rec, "-d", e)
    check(r.returncode == 1 and "already exists" in r.stderr, "export never overwrites")
    r = run("verify", rec, "--json", "--threads", "2")
    out = json.loads(r.stdout) if r.stdout else {}
    check(r.returncode == 0 and out.get("valid") is True and out.get("passed") == 15,
          f"the record verifies ({r.stdout[-300:]})")
    cl = out.get("close") or {}
    check(cl.get("early") is True and cl.get("reason") == EARLY_REASON and cl.get("closed"),
          f"verify --json says when and why voting closed early ({cl})")
    r = run("verify", rec)
    check(r.returncode == 0 and "Voting was closed early on " in r.stdout and
          "because: " + EARLY_REASON in r.stdout, "verify says the close was early, and why")

    def tampered(name, edit, want, note):
        t = os.path.join(d, "t")
        shutil.rmtree(t, ignore_errors=True)
        shutil.copytree(rec, t)
        path = os.path.join(t, name)
        with open(path) as f:
            text = f.read()
        new = edit(text)
        assert new != text, note
        with open(path, "w") as f:
            f.write(new)
        r = run("verify", t, "--json")
        got = json.loads(r.stdout) if r.stdout.strip() else {}
        checks = sorted({x["check"] for x in got.get("failures", [])})
        check(r.returncode == 1 and want in checks, f"tampered {note}: want check {want}, got {checks}")

    def board_edit(fn):
        def edit(text):
            lines = text.splitlines(True)
            return "".join(fn(lines))
        return edit

    def swap_choice(lines):
        a = json.loads(lines[0])
        b = json.loads(lines[1])
        a["entry"]["selections"] = b["entry"]["selections"]
        lines[0] = json.dumps(a, separators=(",", ":")) + "\n"
        return lines

    tampered("record.json", lambda s: s.replace("tenantvote-record/1", "tenantvote-record/9"), 1,
             "record format")
    tampered("manifest.json", lambda s: s.replace('"Yes"', '"Yes!"', 1), 2, "manifest text")
    tampered("trustees.json", lambda s: s.replace('"trustee":1', '"trustee":2', 1), 3,
             "ceremony transcript")
    tampered("credentials.json", lambda s: s.replace('"electorate":6', '"electorate":7'), 4,
             "electorate")
    tampered("board.jsonl", board_edit(lambda l: l[:-1]), 10, "last entry dropped")
    tampered("board.jsonl", board_edit(lambda l: l + [l[-1]]), 9, "entry duplicated")
    tampered("board.jsonl", board_edit(lambda l: [l[1], l[0]] + l[2:]), 9, "entries reordered")
    tampered("board.jsonl", board_edit(lambda l: l[:-1] + [l[-1][:40] + "\n"]), 5, "entry truncated")
    tampered("board.jsonl", board_edit(swap_choice), 7, "ballot's votes swapped for another's")
    tampered("board.jsonl", board_edit(lambda l: [x.replace('"channel":4', '"channel":1', 1) for x in l]),
             9, "channel changed")
    tampered("close.json", lambda s: s.replace('"signature":"', '"signature":"00', 1).replace('"}', '"}', 1)[:-6] + s[-4:],
             10, "close signature")
    # close/2 (SPEC §18.8): the early close's time and reason are signed
    def close_edit(**fields):
        def edit(text):
            o = json.loads(text)
            o.update(fields)
            return json.dumps(o, separators=(",", ":"), ensure_ascii=False) + "\n"
        return edit
    tampered("close.json", close_edit(reason="The turnout was high enough"), 10,
             "early close's reason changed")
    tampered("close.json", lambda s: close_edit(closed=json.loads(s)["closed"] + 86400)(s), 10,
             "close time changed")
    tampered("close.json", close_edit(reason=""), 10, "early close's reason dropped")
    tampered("close.json", lambda s: close_edit(closed=json.loads(s)["closed"] - 10**9)(s), 10,
             "close dated before the last ballot")
    tampered("tally.json", lambda s: s.replace('"ballots":', '"ballots":1', 1), 11, "tally count")
    tampered("tally.json", lambda s: s.replace('"trustee":2', '"trustee":1', 1), 12,
             "decryption claimed by another trustee")
    tampered("result.json", lambda s: s.replace('"votes": 2', '"votes": 3', 1), 14, "result votes")
    tampered("declaration.txt", lambda s: s.replace("NOT CARRIED", "CARRIED", 1), 15,
             "declaration outcome")
    # a ballot inserted without a credential on the list
    tampered("credentials.json",
             lambda s: json.dumps(dict(json.loads(s), electorate=5,
                                       credentials=[c for c in json.loads(s)["credentials"]
                                                    if c not in open(os.path.join(rec, "board.jsonl")).read()][:0] +
                                       [c for c in json.loads(s)["credentials"]
                                        if c != json.loads(open(os.path.join(rec, "board.jsonl")).readline())["entry"]["credential"]]),
                                  separators=(",", ":")) + "\n",
             6, "a credential removed from the list")
    # the receipt of the revote checks against the record
    rcpt = os.path.join(d, "rcpt.json")
    with open(rcpt, "w") as f:
        f.write(r1_text)  # the receipt exactly as vote printed it
    r = run("receipt", "check", rcpt, "--record", rec, "--json")
    check(r.returncode == 0 and json.loads(r.stdout)["counts"] is True, f"receipt against the record ({r.stderr})")
    # the short tracking code printed on the receipt, looked up on the record
    short = re.search(r"Tracking code:\s+(\S+)", r1_text).group(1)
    r = run("receipt", "check", short.lower(), "--record", rec, "--json")
    out = json.loads(r.stdout) if r.returncode == 0 else {}
    check(out.get("found") is True and out.get("counts") is True and
          out.get("position") == json.loads(r1_json)["position"],
          f"receipt check: the short tracking code is found ({r.stdout} {r.stderr})")
    alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
    typo = short[:-1] + next(c for c in alphabet if c != short[-1])
    r = run("receipt", "check", typo, "--record", rec)
    check(r.returncode == 1 and "mistyped" in r.stderr, f"a mistyped tracking code ({r.stderr})")

    def luhn32(v):  # SPEC §11.1's check symbol
        total, factor = 0, 2
        for x in reversed(v):
            a = factor * x
            total += a // 32 + a % 32
            factor = 3 - factor
        return (32 - total % 32) % 32
    body = [alphabet.index(c) for c in "ZZZZZZZZZZZZZZZ"]
    absent = "".join(alphabet[x] for x in body + [luhn32(body)])
    absent = "-".join(absent[i:i + 4] for i in range(0, 16, 4))
    r = run("receipt", "check", absent, "--record", rec)
    check(r.returncode == 1 and "NOT on the board" in r.stdout,
          f"a tracking code not on the board ({r.stdout} {r.stderr})")
    # every receipt at once, in one reading of the board (SPEC §19.6): the
    # five intake papers' and the revote's; tenant 2's paper was replaced
    many = os.path.join(d, "receipts.jsonl")
    with open(intake_receipts) as f:
        lines_in = [l for l in f.read().splitlines() if l.strip()]
    with open(many, "w") as f:
        f.write("\n".join(lines_in + [r1_json]) + "\n")
    r = run("receipt", "check", many, "--record", rec, "--json")
    out = json.loads(r.stdout) if r.returncode in (0, 1) and r.stdout else {}
    check(r.returncode == 0 and out.get("receipts") == 6 and out.get("counting") == 5 and
          out.get("replaced") == 1 and out.get("failed") == 0,
          f"receipt check: six receipts in one pass ({r.stdout} {r.stderr})")
    bad = json.loads(lines_in[0])
    bad["signature"] = bad["signature"][:-2] + ("00" if bad["signature"][-2:] != "00" else "11")
    with open(many, "a") as f:
        f.write(json.dumps(bad) + "\n")
    r = run("receipt", "check", many, "--record", rec)
    check(r.returncode == 1 and "line 7" in r.stdout and "not signed" in r.stdout and
          "6 check" in r.stdout, f"receipt check: a forged one among them is named ({r.stdout})")
    with open(many, "a") as f:
        f.write("not a receipt\n")
    r = run("receipt", "check", many, "--record", rec)
    check(r.returncode == 1 and "line 8" in r.stderr, f"receipt check: a line that is no receipt ({r.stderr})")

    generated_tampering(rec, d)
    report_hygiene(rec, d)

# an opened (challenged) ballot on the board (SPEC §15.1.5, §18.7): the
# demo publishes one; every change to its line fails the check that owns it
with tempfile.TemporaryDirectory() as d:
    demo = os.path.join(d, "demo")
    r = run("demo", "--dir", demo, "--tenants", "6")
    check(r.returncode == 0, f"demo: exit {r.returncode} {r.stderr[-300:]}")
    if r.returncode == 0:
        generated_tampering(os.path.join(demo, "record"), d,
                            opened_mutations(os.path.join(demo, "record")) +
                            papers_mutations(os.path.join(demo, "record")))

# an election in which nobody votes is counted, declared and verified too
# (SPEC §17.1.2: every sum starts from an encryption of 0)
with tempfile.TemporaryDirectory() as d:
    e = os.path.join(d, "e")
    must("init", e, "--council", "C", "--landlord", "L", "--title", "T", "--question", "Q",
         "--option", "Yes", "--option", "No", "--channels", "online",
         "--trustees", "2", "--threshold", "2",
         "--opens", "2020-01-01T00:00:00Z", "--closes", "2099-01-01T00:00:00Z")
    reg = os.path.join(d, "r.csv")
    with open(reg, "w") as f:
        f.write("tenancy_ref,name,address,tenancy_type\nT1,N1,1 Lane,secure\nT2,N2,2 Lane,secure\n")
    must("register", "import", reg, "-d", e)
    must("credentials", "issue", "--letters", os.path.join(d, "l.csv"), "-d", e)
    must("ceremony", "-d", e)
    must("open", "-d", e)
    must("close", "-d", e, "--early", "--reason", "Nobody voted in this test ballot")
    must("tally", "-d", e)
    must("export", "--record", os.path.join(d, "nv-trustees"), "--for-trustees", "-d", e)
    must("trustee", "decrypt", "--trustee", "1", "--record", os.path.join(d, "nv-trustees"), "-d", e)
    must("trustee", "decrypt", "--trustee", "2", "--record", os.path.join(d, "nv-trustees"), "-d", e)
    res = json.loads(must("declare", "-d", e, "--json").stdout)
    check(res["ballots"] == 0 and [o["votes"] for o in res["options"]] == [0, 0] and
          res["outcome"]["decision"] == "no_majority",
          f"no votes: declared as none, no majority ({res.get('outcome')})")
    with open(os.path.join(e, "declaration.txt")) as f:
        check("NOT CARRIED" in f.read(), "no votes: the declaration says NOT CARRIED")
    rec = os.path.join(d, "rec")
    must("export", "--record", rec, "-d", e)
    r = run("verify", rec, "--json")
    out = json.loads(r.stdout) if r.stdout else {}
    check(r.returncode == 0 and out.get("passed") == 15 and out.get("entries") == 0,
          f"no votes: the record verifies ({r.stdout[-200:]})")
    # "OUT/" names the folder OUT
    must("export", "--record", rec + "-again/", "-d", e)
    check(os.path.isfile(os.path.join(rec + "-again", "board.jsonl")) and
          not os.path.exists(rec + "-again.partial"), "export --record OUT/ writes OUT")

print(f"{len(failures)} failure(s)")
sys.exit(1 if failures else 0)
