#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The example board server (examples/board-server.c), with curl, against
127.0.0.1 only, a bounded number of requests, each with a timeout.

A demo record (one challenged ballot, a revote, a spoilt paper) is made
with `tenantvote demo`. Its tracking codes and which entries count are
worked out here from board.jsonl with the independent checker of
tests/vectors/independent (SPEC §15.1.1-2), and the counting one is also
looked up with `tenantvote receipt check CODE --record`. The server must
agree with both, refuse what is not a code, serve a small site without
ever leaving it, refuse other methods, log nothing, stop cleanly on
SIGTERM, and refuse to start on a record that does not verify.

    check-server.py path/to/tenantvote-board-server path/to/tenantvote path/to/curl"""
import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "vectors",
                                "independent"))
import check_vectors as cv  # noqa: E402  SPEC §15.1.1-2 written from the SPEC alone

server, tv, curl = sys.argv[1:4]
failures = []
START_SECONDS = 120  # verifying the record at start; slow under the sanitizers


def check(cond, what):
    if not cond:
        failures.append(what)
        print(f"FAIL: {what}")


def start(record, site=None):
    args = [server, "--record", record, "--port", "0"]
    if site is not None:
        args += ["--site", site]
    return subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def first_line(proc):
    """The server's first line of output, or '' if it ends or takes too long."""
    deadline = time.monotonic() + START_SECONDS
    line = b""
    while not line.endswith(b"\n") and time.monotonic() < deadline:
        ready, _, _ = select.select([proc.stdout], [], [], deadline - time.monotonic())
        if not ready:
            break
        ch = os.read(proc.stdout.fileno(), 1)
        if not ch:
            break
        line += ch
    return line.decode()


def stop(proc):
    """SIGTERM, then at most 20 s to end; killed if it does not."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return proc.returncode


def get(base, path, *extra):
    """One request: (HTTP status, headers in lower case, body)."""
    r = subprocess.run([curl, "-s", "-g", "--path-as-is", "--noproxy", "*", "--max-time", "10",
                        "-D", "-", "-o", hdr_body, *extra, base + path],
                       capture_output=True, timeout=30)
    # the last block of headers (a POST may get a 100 Continue first)
    blocks = [b for b in r.stdout.decode("latin-1").replace("\r", "").split("\n\n") if b.strip()]
    lines = blocks[-1].strip().split("\n") if blocks else []
    status = int(lines[0].split()[1]) if lines and lines[0].startswith("HTTP/") else 0
    headers = {}
    for line in lines[1:]:
        k, _, v = line.partition(":")
        headers[k.strip().lower()] = v.strip()
    with open(hdr_body, "rb") as f:
        body = f.read()
    return status, headers, body


def api(base, path):
    status, headers, body = get(base, path)
    try:
        return status, headers, json.loads(body)
    except ValueError:
        return status, headers, {"unreadable": body[:200].decode("latin-1")}


def expected_board(record):
    """position -> (short code, state, T hex) for the ballots and opened
    ballots, from the record's lines, with SPEC §17.1.1's rule under
    revote "last": a credential's last entry counts."""
    with open(os.path.join(record, "manifest.json")) as f:
        assert json.load(f)["revote"] == "last"
    out, last = {}, {}
    with open(os.path.join(record, "board.jsonl")) as f:
        lines = [json.loads(line) for line in f]
    for o in lines:
        if o["kind"] in ("ballot", "spoilt"):
            last[o["entry"]["credential"]] = o["position"]
    for o in lines:
        if o["kind"] not in ("ballot", "opened"):
            continue
        b = o["entry"] if o["kind"] == "ballot" else o["entry"]["ballot"]
        t = cv.tracking(cv.ballot_read(b))
        state = ("opened" if o["kind"] == "opened" else
                 "counts" if last[b["credential"]] == o["position"] else "replaced")
        out[o["position"]] = (cv.tracking_text(t), state, t.hex())
    return out


def luhn_code(body):
    """A well-formed short code with these 15 symbols (SPEC §15.1.2)."""
    vals = [cv.B32.index(ch) for ch in body]
    return cv.grouped(body + cv.B32[cv.luhn32_symbol(vals)])


d = tempfile.mkdtemp(prefix="tv-board-server-")
hdr_body = os.path.join(d, "body")
procs = []
try:
    demo = os.path.join(d, "demo")
    r = subprocess.run([tv, "demo", "--tenants", "3", "--dir", demo], capture_output=True,
                       text=True, timeout=600)
    if r.returncode != 0:
        print(f"FAIL: tenantvote demo: {r.stderr.strip()}")
        sys.exit(1)
    record = os.path.join(demo, "record")
    want = expected_board(record)
    counting = next(p for p, (_, s, _) in sorted(want.items()) if s == "counts")
    replaced = [p for p, (_, s, _) in want.items() if s == "replaced"]
    opened = [p for p, (_, s, _) in want.items() if s == "opened"]
    check(replaced and opened, f"the demo record has a revote and a challenge ({want})")
    code = want[counting][0]
    r = subprocess.run([tv, "receipt", "check", code, "--record", record, "--json"],
                       capture_output=True, text=True, timeout=120)
    lib = json.loads(r.stdout) if r.returncode == 0 else {}
    check(lib.get("position") == counting and lib.get("counts") is True,
          f"the library finds {code} at {counting} ({r.stdout} {r.stderr})")

    # a small site, with a file outside it and links to it planted inside
    site = os.path.join(d, "site")
    outside = os.path.join(d, "outside")
    os.makedirs(os.path.join(site, "sub"))
    os.makedirs(outside)
    secret = b"NOT-FOR-THE-WEB\n"
    with open(os.path.join(outside, "secret.txt"), "wb") as f:
        f.write(secret)
    with open(os.path.join(d, "secret.txt"), "wb") as f:
        f.write(secret)
    with open(os.path.join(site, "index.html"), "w") as f:
        f.write("<!doctype html><title>Board</title><p>The board</p>\n")
    with open(os.path.join(site, "sub", "index.html"), "w") as f:
        f.write("<!doctype html><title>Sub</title>\n")
    with open(os.path.join(site, "style.css"), "w") as f:
        f.write("p{}\n")
    os.symlink(os.path.join(outside, "secret.txt"), os.path.join(site, "link.txt"))
    os.symlink(outside, os.path.join(site, "linkdir"))
    os.symlink(os.path.join(outside, "secret.txt"), os.path.join(site, "sub", "rel.txt"))
    os.mkfifo(os.path.join(site, "fifo.txt"))

    proc = start(record, site)
    procs.append(proc)
    line = first_line(proc)
    ok = line.startswith("listening on http://127.0.0.1:") and line.endswith("/\n")
    check(ok, f"the server says where it listens ({line!r})")
    if not ok:
        stop(proc)
        print(proc.stderr.read().decode(errors="replace"))
        sys.exit(1)
    base = line.split()[-1].rstrip("/")
    port = int(base.rsplit(":", 1)[1])
    check(0 < port < 65536, f"a real port ({port})")

    # --- /api/check
    status, headers, out = api(base, "/api/check?code=" + code.lower().replace("-", "+"))
    check(status == 200 and out.get("status") == "counts" and out.get("position") == counting
          and out.get("code") == code and out.get("tracking") == want[counting][2],
          f"a counting code, typed in lower case with spaces: {status} {out}")
    msg = out.get("message", {})
    check(f"position {counting}" in msg.get("en", "") and f"safle {counting}" in msg.get("cy", ""),
          f"the message names the position, in English and Welsh ({msg})")
    check(headers.get("content-type") == "application/json; charset=utf-8" and
          headers.get("cache-control") == "no-store" and
          headers.get("referrer-policy") == "no-referrer" and
          headers.get("x-content-type-options") == "nosniff" and
          "default-src 'self'" in headers.get("content-security-policy", ""),
          f"the look-up's headers ({headers})")
    for p in replaced:
        status, _, out = api(base, "/api/check?code=" + want[p][0])
        check(status == 200 and out.get("status") == "replaced" and out.get("position") == p and
              "replaced" in out.get("message", {}).get("en", ""),
              f"the code of a ballot a revote replaced: {status} {out}")
    for p in opened:
        status, _, out = api(base, "/api/check?code=" + want[p][0])
        check(status == 200 and out.get("status") == "opened" and out.get("position") == p and
              "not cast" in out.get("message", {}).get("en", ""),
              f"the code of a challenged ballot: {status} {out}")
    status, _, out = api(base, "/api/check?code=" + want[counting][2].upper())
    check(status == 200 and out.get("status") == "counts" and out.get("position") == counting and
          out.get("code") == code, f"the whole tracking code T: {status} {out}")

    # one symbol changed (not the check symbol): every such typo is caught (SPEC §11.1)
    k = 5
    typo = code[:k] + next(c for c in cv.B32 if c != code[k]) + code[k + 1:]
    status, _, out = api(base, "/api/check?code=" + typo)
    check(status == 400 and out.get("status") == "mistyped" and out.get("code") == typo and
          "mistyped" in out.get("message", {}).get("en", "") and out.get("message", {}).get("cy"),
          f"a code with one symbol changed: {status} {out}")
    for bad in ["hello", "", "ZZZZ-ZZZZ-ZZZZ-ZZZZ-Z", "UUUU-UUUU-UUUU-UUUU", code + "%00",
                "%00" + code[1:], code[:-1] + "%", "x" * 300]:
        status, _, out = api(base, "/api/check?code=" + bad)
        check(status == 400 and out.get("status") == "malformed" and "code" not in out,
              f"not a code ({bad[:40]!r}): {status} {out}")
    status, _, out = api(base, "/api/check")
    check(status == 400 and out.get("status") == "malformed", f"no code at all: {status} {out}")
    absent = next(c for c in (luhn_code(b) for b in ["ZZZZZZZZZZZZZZZ", "YYYYYYYYYYYYYYY"])
                  if c not in [w[0] for w in want.values()])
    status, _, out = api(base, "/api/check?code=" + absent)
    check(status == 200 and out.get("status") == "not_found" and "position" not in out and
          "returning officer" in out.get("message", {}).get("en", "") and
          "swyddog canlyniadau" in out.get("message", {}).get("cy", ""),
          f"a well-formed code of no entry: {status} {out}")

    # --- /api/board
    status, _, out = api(base, "/api/board?page=1")
    listed = {e["position"]: (e["code"], e["state"]) for e in out.get("board", [])}
    check(status == 200 and out.get("pages") == 1 and len(listed) == out.get("entries") and
          all(listed.get(p) == (c, s) for p, (c, s, _) in want.items()),
          f"the board's page 1 agrees with the record: {status} {out}")
    status, _, out = api(base, "/api/board?page=2")
    check(status == 404, f"no page 2: {status} {out}")
    status, _, out = api(base, "/api/board?page=-1")
    check(status == 400, f"page -1: {status} {out}")

    # --- the site
    status, headers, body = get(base, "/")
    check(status == 200 and b"The board" in body and
          headers.get("content-type") == "text/html; charset=utf-8" and
          headers.get("x-content-type-options") == "nosniff" and
          "default-src 'self'" in headers.get("content-security-policy", ""),
          f"/ serves index.html with its headers: {status} {headers}")
    status, _, body = get(base, "/index.html")
    check(status == 200 and b"The board" in body, f"/index.html: {status}")
    status, headers, _ = get(base, "/style.css")
    check(status == 200 and headers.get("content-type") == "text/css; charset=utf-8",
          f"a stylesheet's type: {status} {headers}")
    status, headers, _ = get(base, "/sub")
    check(status == 301 and headers.get("location") == "/sub/", f"/sub to /sub/: {status} {headers}")
    status, _, body = get(base, "/sub/")
    check(status == 200 and b"Sub" in body, f"/sub/ serves its index.html: {status}")
    status, headers, body = get(base, "/index.html", "--head")  # curl writes the headers as body
    check(status == 200 and b"The board" not in body, f"HEAD: {status} {body[:40]}")
    for path in ["/../secret.txt", "/%2e%2e/secret.txt", "/sub/../../secret.txt",
                 "/sub/%2E%2E/%2E%2E/secret.txt", "/..%2fsecret.txt", "/link.txt", "/linkdir/secret.txt",
                 "/sub/rel.txt", "/fifo.txt", "/index.html%00.png", "/index.html/", "/.", "/%2e",
                 "//etc/passwd", "/nope.html", "/api/nope", "/%"]:
        status, _, body = get(base, path)
        check(status in (400, 403, 404) and secret not in body,
              f"{path} is refused: {status} {body[:60]}")
    status, headers, _ = get(base, "/api/check?code=" + code, "-X", "POST", "--data", "x=1")
    check(status == 405 and "GET" in headers.get("allow", ""), f"POST refused: {status} {headers}")
    status, _, _ = get(base, "/index.html", "-X", "DELETE")
    check(status == 405, f"DELETE refused: {status}")

    rc = stop(proc)
    err = proc.stderr.read().decode(errors="replace")
    check(rc == 0, f"SIGTERM stops it cleanly (exit {rc}, {err.strip()[:300]})")
    check(code not in err and code.lower() not in err and err == "",
          f"the server logs nothing, and no code ({err[:300]})")

    # --- a record that does not verify is never served
    bad = os.path.join(d, "tampered")
    shutil.copytree(record, bad)
    path = os.path.join(bad, "board.jsonl")
    with open(path, "rb") as f:
        data = bytearray(f.read())
    # one hex digit of the second entry's head: the board still reads (as
    # tv_record_list_board reads it), only the verifier's chain check fails
    at = data.index(b'"head":"', data.index(b"\n") + 1) + len(b'"head":"') + 10
    data[at] = ord("0") if data[at] != ord("0") else ord("1")
    with open(path, "wb") as f:
        f.write(data)
    proc = start(bad, site)
    procs.append(proc)
    line = first_line(proc)
    if line:
        stop(proc)  # it serves: the check below fails, no need to wait
    try:
        rc = proc.wait(timeout=START_SECONDS)
    except subprocess.TimeoutExpired:
        stop(proc)
        rc = None
    err = proc.stderr.read().decode(errors="replace")
    check(rc == 1 and line == "" and "does NOT verify" in err and "check" in err,
          f"a tampered record is refused (exit {rc}, {line!r}, {err.strip()[:300]})")

    r = subprocess.run([server, "--port", "0"], capture_output=True, text=True, timeout=30)
    check(r.returncode == 2 and "--record" in r.stderr, f"--record is required ({r.stderr})")
    r = subprocess.run([server, "--record", record, "--port", "70000"], capture_output=True,
                       text=True, timeout=30)
    check(r.returncode == 2, f"a port out of range ({r.stderr})")
    missing = os.path.join(d, "no-such-record")
    r = subprocess.run([server, "--record", missing, "--port", "0"], capture_output=True,
                       text=True, timeout=30)
    check(r.returncode == 1 and "no-such-record" in r.stderr and not r.stdout,
          f"a record folder that is not there (exit {r.returncode}, {r.stderr.strip()})")
    r = subprocess.run([server, "--record", record, "--site", missing, "--port", "0"],
                       capture_output=True, text=True, timeout=START_SECONDS)
    check(r.returncode == 1 and "no-such-record" in r.stderr and not r.stdout,
          f"a site folder that is not there (exit {r.returncode}, {r.stderr.strip()})")
finally:
    for p in procs:
        if p.poll() is None:
            p.kill()
            p.wait()
    shutil.rmtree(d, ignore_errors=True)

if failures:
    print(f"{len(failures)} failed")
    sys.exit(1)
print("board server: all checks passed")
