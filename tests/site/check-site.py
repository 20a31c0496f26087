#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The bulletin board (tenantvote publish --site) in headless Chromium, at
phone width, in English and Welsh: a receipt's code counts at its position,
the revoted-away code is "replaced", a well-formed unknown code is "not
found" with the officer's telephone, a mistyped one is caught by its check
character, the long code and a typed code (keyboard only) work; the voting
code check; every page type passes axe-core (WCAG 2.2 AA); the home page
reads without JavaScript; the site works over http:// and file://; an
officer's <script> in the title comes out inert; and the CLI refuses a
record that does not verify, an OUT in use, and an unreadable record.

Ballot papers (SPEC §15.8.5): the browser's handle of an identifier
(WebCrypto) is the independent Python's; a site without papers has no
paper page. In the demo's record and in a small election made to have
every kind of paper (make_papers_record(), skipped, saying so, when the
CLI has no `papers` verb): every paper's handle is in its index file, and
a tenant who types their paper's identifier reads what `tenantvote papers
find` finds: the code of its ballot and whether it counts, its reason if
rejected, or each answer's code if it was not cast, in English and Welsh,
with axe-core on the page.
Screenshots go to BUILD/tests/site/screenshots/.

    check-site.py path/to/tenantvote BUILD_DIR"""
import base64
import csv
import hashlib
import http.client
import json
import os
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time

tv, build = sys.argv[1], sys.argv[2]
here = os.path.join(build, "tests", "site")
shots = os.path.join(here, "screenshots")
os.makedirs(shots, exist_ok=True)
env = dict(os.environ, TENANTVOTE_PASSPHRASE="trustees passphrase", TENANTVOTE_BOX_PASSPHRASE="ballot box passphrase")
failures = []
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "vectors",
                                "independent"))
import check_papers  # noqa: E402  (SPEC §15.8 from the text alone)
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what, flush=True)


def run(*args, **kw):
    return subprocess.run([tv, *args], capture_output=True, text=True, env=env, timeout=600, **kw)


def must(*args):
    r = run(*args)
    if r.returncode != 0:
        print(f"FAIL: {' '.join(args[:2])}: {r.stderr.strip()}")
        sys.exit(1)
    return r


def luhn32(values):
    """SPEC §11.1's check symbol, written again here from the text"""
    total, factor = 0, 2
    for v in reversed(values):
        a = factor * v
        total += a // 32 + a % 32
        factor = 3 - factor
    return (32 - total % 32) % 32


def with_check(symbols15):
    v = [ALPHABET.index(c) for c in symbols15]
    return symbols15 + ALPHABET[luhn32(v)]


def grouped(code):
    return "-".join(code[i:i + 4] for i in range(0, 16, 4))


# ------------------------------------------------------------ axe-core

def axe_source():
    node = os.path.join(here, "node")
    path = os.path.join(node, "node_modules", "axe-core", "axe.min.js")
    if not os.path.exists(path):
        if shutil.which("npm") is None:
            print("SKIP: npm is not installed, so axe-core cannot be installed")
            sys.exit(77)
        r = subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--prefix", node,
                            "axe-core@4"], capture_output=True, text=True, timeout=300)
        if r.returncode != 0 or not os.path.exists(path):
            print("SKIP: npm could not install axe-core (no registry?):", r.stderr.strip()[-500:])
            sys.exit(77)
    with open(path, encoding="utf-8") as f:
        return f.read()


# ------------------------------------------- the DevTools Protocol, by hand

class WebSocket:
    """just enough of RFC 6455 for the DevTools Protocol: text frames"""

    def __init__(self, port, path):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=60)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                           "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                           f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise OSError("the browser closed the WebSocket handshake")
            head += chunk
        if b" 101 " not in head.split(b"\r\n")[0]:
            raise OSError(f"no WebSocket: {head[:200]!r}")
        self.buf = head.split(b"\r\n\r\n", 1)[1]

    def send(self, text):
        data = text.encode()
        n = len(data)
        head = bytes([0x81])
        if n < 126:
            head += bytes([0x80 | n])
        elif n < 65536:
            head += bytes([0x80 | 126]) + struct.pack(">H", n)
        else:
            head += bytes([0x80 | 127]) + struct.pack(">Q", n)
        mask = os.urandom(4)
        m = int.from_bytes((mask * (n // 4 + 1))[:n], "big")
        body = (int.from_bytes(data, "big") ^ m).to_bytes(n, "big") if n else b""
        self.sock.sendall(head + mask + body)

    def _read(self, n):
        while len(self.buf) < n:
            chunk = self.sock.recv(1 << 16)
            if not chunk:
                raise OSError("the browser closed the WebSocket")
            self.buf += chunk
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def recv(self):
        message = b""
        while True:
            b0, b1 = self._read(2)
            n = b1 & 0x7F
            if n == 126:
                n = struct.unpack(">H", self._read(2))[0]
            elif n == 127:
                n = struct.unpack(">Q", self._read(8))[0]
            payload = self._read(n)
            opcode = b0 & 0x0F
            if opcode == 8:
                raise OSError("the browser closed the WebSocket")
            if opcode in (0, 1, 2):
                message += payload
                if b0 & 0x80:
                    return message.decode()


class Browser:
    def __init__(self, profile):
        self.proc = subprocess.Popen(
            ["chromium", "--headless=new", "--no-sandbox", "--disable-gpu",
             "--remote-debugging-port=0", f"--user-data-dir={profile}", "--no-first-run",
             "--allow-file-access-from-files", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        port_file = os.path.join(profile, "DevToolsActivePort")
        for _ in range(300):
            if os.path.exists(port_file) and open(port_file).read().count("\n") >= 1:
                break
            time.sleep(0.1)
        port = int(open(port_file).read().split("\n")[0])
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("GET", "/json/list")
        pages = [t for t in json.loads(conn.getresponse().read()) if t["type"] == "page"]
        path = "/" + pages[0]["webSocketDebuggerUrl"].split("/", 3)[3]
        self.ws = WebSocket(port, path)
        self.id = 0

    def call(self, method, **params):
        self.id += 1
        self.ws.send(json.dumps({"id": self.id, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == self.id:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})

    def eval(self, expr, wait=False):
        r = self.call("Runtime.evaluate", expression=expr, returnByValue=True, awaitPromise=wait)
        if "exceptionDetails" in r:
            raise RuntimeError(f"{expr[:80]}: {r['exceptionDetails']}")
        return r["result"].get("value")

    def go(self, url):
        self.call("Page.navigate", url="about:blank")
        self.call("Page.navigate", url=url)
        for _ in range(200):
            try:
                if self.eval("document.readyState") == "complete" and \
                        self.eval("location.href") != "about:blank":
                    return
            except RuntimeError:
                pass
            time.sleep(0.05)
        raise RuntimeError(f"{url} did not load")

    def result(self):
        """the look-up's answer: (state, text), once it has one"""
        for _ in range(200):
            state = self.eval("(document.getElementById('result')||{getAttribute(){}})"
                              ".getAttribute('data-state')")
            if state and state != "wait":
                return state, self.eval("document.getElementById('result').textContent")
            time.sleep(0.05)
        return None, ""

    def shot(self, name):
        data = self.call("Page.captureScreenshot", format="png", captureBeyondViewport=True)
        with open(os.path.join(shots, name + ".png"), "wb") as f:
            f.write(base64.b64decode(data["data"]))

    def close(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


# ----------------------------------------------------------- the records

def xss_record(d):
    """a whole small count through the CLI, its title an officer's <script>"""
    e = os.path.join(d, "x")
    must("init", e, "--council", "C <b>&amp;", "--landlord", "L", "--title",
         "<script>alert(1)</script>", "--question", "Q \"quoted\" 'too'?",
         "--option", "Yes", "--option", "No", "--channels", "online,postal",
         "--trustees", "2", "--threshold", "2",
         "--opens", "2020-01-01T00:00:00Z", "--closes", "2099-01-01T00:00:00Z")
    reg = os.path.join(d, "r.csv")
    with open(reg, "w") as f:
        f.write("tenancy_ref,name,address,tenancy_type\n" +
                "".join(f"T{i},N{i},{i} Lane,secure\n" for i in range(3)))
    must("register", "import", reg, "-d", e)
    letters = os.path.join(d, "l.csv")
    must("credentials", "issue", "--letters", letters, "-d", e)
    with open(letters, newline="") as f:
        codes = [row["code"] for row in csv.DictReader(f)]
    must("ceremony", "-d", e)
    must("open", "-d", e)
    intake = os.path.join(d, "in.csv")
    with open(intake, "w") as f:
        f.write(f"code,choice\n{codes[0]},1\n{codes[1]},2\n")
    must("intake", intake, "--channel", "postal", "-d", e)
    must("close", "-d", e, "--early", "--reason", "Test ballot: every tenant has voted")
    must("tally", "-d", e)
    ft = os.path.join(d, "x-trustees")
    must("export", "--record", ft, "--for-trustees", "-d", e)
    for t in ("1", "2"):
        must("trustee", "decrypt", "--trustee", t, "--record", ft, "-d", e)
    must("declare", "-d", e)
    rec = os.path.join(d, "x-record")
    must("export", "--record", rec, "-d", e)
    return rec


def make_papers_record(d):
    """A small election with ballot papers (SPEC §15.8) run through the
    CLI, as tests/cli/check-papers.py runs one: a postal paper cast (Yes),
    one rejected, one phoned in (blank) then replaced by its tenant's
    online vote, and one kept by a tenant who voted online (opened after
    close). Gives the record folder and the papers' identifiers, or None
    when this tenantvote has no `papers` verb."""
    if run("papers", "--help").returncode != 0:
        print("SKIP: the small papers election: this tenantvote has no `papers` verb")
        return None
    pw = os.path.join(d, "ca-pw")
    with open(pw, "w") as f:
        f.write("the credential authority passphrase\n")
    os.chmod(pw, 0o600)
    e = os.path.join(d, "p")
    must("init", e, "--council", "C", "--landlord", "L", "--title", "T|Teitl", "--question",
         "Q?|C?", "--option", "Yes|Ydw", "--option", "No|Nac ydw", "--allow-blank",
         "--channels", "online,phone,postal", "--trustees", "1", "--threshold", "1",
         "--opens", "2020-01-01T00:00:00Z", "--closes", "2099-01-01T00:00:00Z")
    manifest = os.path.join(e, "manifest.json")
    reg = os.path.join(d, "p-register.csv")
    with open(reg, "w") as f:
        f.write("tenancy_ref,name,address,tenancy_type\n" +
                "".join(f"T{i},N{i},{i} Lane,secure\n" for i in range(1, 5)))
    must("register", "import", reg, "-d", e)
    ca = os.path.join(d, "p-ca")
    must("credentials", "make", "--manifest", manifest, "--register", reg, "--out", ca,
         "--passphrase-file", pw)
    with open(os.path.join(ca, "letters.csv"), newline="") as f:
        codes = [row["code"] for row in csv.DictReader(f)]
    must("credentials", "import", os.path.join(ca, "credentials-issue.json"), "-d", e)
    key = json.loads(must("ceremony", "-d", e, "--json").stdout)["election_key"]
    pdir = os.path.join(d, "p-papers")
    auth = ["--manifest", manifest, "--authority", ca, "--passphrase-file", pw]
    must("papers", "make", *auth, "--election-key", key, "--out", pdir)
    with open(os.path.join(pdir, "papers.csv"), newline="") as f:
        rows = list(csv.reader(f))[1:]   # number, paper, code Yes, code No, code blank
    must("papers", "import", os.path.join(pdir, "papers-box.jsonl"), "-d", e)
    must("open", "-d", e)

    def intake(name, text, channel):
        path = os.path.join(d, name)
        with open(path, "w") as f:
            f.write("paper,code\n" + text)
        must("intake", path, "--channel", channel, "-d", e)

    intake("p-postal.csv", f"{rows[0][1]},{rows[0][2]}\n{rows[1][1]},rejected:identifies-voter\n",
           "postal")
    intake("p-phone.csv", f"{rows[2][1]},{rows[2][4]}\n", "phone")
    for tenant in (2, 3):   # tenant 3 after phoning; tenant 4 keeps their paper
        r = run("vote", "-d", e, input=f"{codes[tenant]}\n1\n")
        check(r.returncode == 0, f"papers election: tenant {tenant + 1} votes ({r.stderr.strip()})")
    must("close", "-d", e, "--early", "--reason", "Test ballot: every tenant has voted")
    must("tally", "-d", e)
    board = os.path.join(d, "p-board")
    must("export", "--record", board, "--for-trustees", "-d", e)
    openings = os.path.join(d, "p-openings.json")
    must("papers", "open", *auth, "--papers", pdir, "--election-key", key, "--record", board,
         "--out", openings)
    must("papers", "openings", openings, "-d", e)
    ft = os.path.join(d, "p-trustees")
    must("export", "--record", ft, "--for-trustees", "-d", e)
    must("trustee", "decrypt", "--trustee", "1", "--record", ft, "-d", e)
    must("declare", "-d", e)
    rec = os.path.join(d, "p-record")
    must("export", "--record", rec, "-d", e)
    return rec, [row[1] for row in rows]


def paper_words(lang):
    """what the paper page says, in the words the test expects"""
    return {
        "en": {"cast": "was cast: it is on the board at position", "counts": "the one that counts",
               "replaced": "replaced by a later ballot", "rejected": "was rejected",
               "counted-rejected": "counted among the rejected ballot papers",
               "opened": "was not cast", "notfound": "Not found", "typo": "mistyped",
               "blank": "Blank ballot paper", "paper": "identifier of a ballot paper"},
        "cy": {"cast": "ei fwrw: mae ar y bwrdd yn safle", "counts": "Dyma'r un sy'n cyfrif",
               "replaced": "disodli gan bleidlais ddiweddarach", "rejected": "ei wrthod",
               "counted-rejected": "ymhlith y papurau a wrthodwyd",
               "opened": "Ni chafodd eich papur pleidleisio", "notfound": "Heb ei ganfod",
               "typo": "gamdeipio", "blank": "Papur pleidleisio gwag",
               "paper": "god adnabod papur pleidleisio"},
    }[lang]


REASONS = ["no-official-mark", "more-than-one-answer", "identifies-voter", "unmarked-or-void"]


def papers_part(d, b, name, rec, ids, every):
    """the paper page of a site whose record has ballot papers: each paper
    typed by a tenant shows what `tenantvote papers find` finds (all of
    them when @every, else one of each kind)"""
    with open(os.path.join(rec, "record.json"), encoding="utf-8") as f:
        election = json.load(f)["election"]
    with open(os.path.join(rec, "manifest.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    F = bytes.fromhex(election)
    out = os.path.join(d, name + "-site")
    r = run("publish", "--site", out, rec, "--json")
    check(r.returncode == 0, f"{name}: publish of a record with papers ({r.stderr.strip()[-300:]})")
    if r.returncode != 0:
        return
    check(json.loads(r.stdout).get("papers") == len(ids),
          f"{name}: publish --json: {len(ids)} papers ({r.stdout.strip()})")
    # the CLI's own look-up says what each paper should show
    found = {}
    for ident in ids:
        r = must("papers", "find", ident, "--record", rec, "--json")
        found[ident] = json.loads(r.stdout)

    # ---- the files: every paper's handle in the index file of its first ten
    # bits, by the independent Python of SPEC §15.8
    check(len(os.listdir(os.path.join(out, "p"))) == 32 * 32, f"{name}: p/ has every XY.js")
    for ident in ids:
        h = check_papers.handle(F, ident)
        bits = int.from_bytes(h[:2], "big") >> 6
        with open(os.path.join(out, "p", ALPHABET[bits >> 5] + ALPHABET[bits & 31] + ".js")) as f:
            shard = f.read()
        check(f'["{h.hex()}",' in shard and ident.replace("-", "") not in shard,
              f"{name}: paper {ident}: its handle is in its index file, its identifier is not")
    reasons = {}
    for lang, suffix in (("en", ""), ("cy", ".cy")):
        with open(os.path.join(out, f"paper{suffix}.html"), encoding="utf-8") as f:
            html = f.read()
        check(f'<html lang="{lang}">' in html and "<script>" not in html and "style=" not in
              html and 'aria-current="page"' in html, f"{name}: paper{suffix}.html: as the others")
        with open(os.path.join(out, f"index{suffix}.html"), encoding="utf-8") as f:
            index = f.read()
        check(f'href="paper{suffix}.html"' in index, f"{name}: index{suffix}.html links it")
        # the reasons in the words of the declaration the home page shows
        # (in Welsh when the ballot has Welsh: else the declaration is English)
        for n, slug in enumerate(REASONS, 1):
            reasons[lang, slug] = html.split(f'data-reason-{n}="', 1)[1].split('"', 1)[0]
            check(reasons[lang, slug] and (reasons[lang, slug] in index or
                                           lang == "cy" and "DATGANIAD" not in index),
                  f"{name}: {lang}: reason {n} ({reasons[lang, slug]}) is the declaration's")

    def label(lang, answer):
        if answer == 0:
            return paper_words(lang)["blank"]
        o = manifest["options"][answer - 1]["label"]
        return o["cy"] if lang == "cy" and o["cy"] else o["en"]

    def look_up(page, typed, by_keyboard=False):
        b.go(page)
        if by_keyboard:
            b.eval("document.getElementById('paper-id').focus()")
            b.call("Input.insertText", text=typed)
            for kind in ("keyDown", "keyUp"):
                b.call("Input.dispatchKeyEvent", type=kind, key="Enter", code="Enter",
                       windowsVirtualKeyCode=13, text="\r" if kind == "keyDown" else "")
        else:
            b.eval(f"document.getElementById('paper-id').value = {json.dumps(typed)};"
                   "document.querySelector('#paper-form button').click()")
        state, text = b.result()
        rows = b.eval("JSON.stringify(Array.from(document.querySelectorAll('#result tbody tr'))"
                      ".map(r => [r.cells[0].textContent, r.cells[1].textContent]))")
        return state, text, json.loads(rows or "[]")

    kinds, sample = set(), []
    for ident in ids:
        kind = (found[ident]["state"], found[ident].get("counts"))
        if every or kind not in kinds:
            sample.append(ident)
            kinds.add(kind)
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind",
                               "127.0.0.1", "--directory", out],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        base = f"http://127.0.0.1:{port}/"
        for lang, suffix in (("en", ""), ("cy", ".cy")):
            w, page = paper_words(lang), f"{base}paper{suffix}.html"
            for n, ident in enumerate(sample):
                want = found[ident]
                # typed every way §11.1 allows: lower case, spaces, by keyboard
                typed = [ident, ident.lower(), ident.replace("-", " ")][n % 3]
                state, text, rows = look_up(page, typed, by_keyboard=n % 2 == 1)
                what = f"{name}: {lang}: paper {ident} ({want['state']})"
                codes = [[label(lang, c["answer"]), c["code"]] for c in want.get("opened", [])]
                if want["state"] == "cast":
                    check(state == "cast" and w["cast"] in text and
                          f" {want['position']}," in text and want["code"] in text and
                          (w["counts"] in text) == want["counts"] and
                          (want["counts"] or w["replaced"] in text) and not rows,
                          f"{what}: position {want['position']}, code {want['code']}, "
                          f"counts {want['counts']} ({state}: {text})")
                elif want["state"] == "rejected":
                    check(state == "rejected" and w["rejected"] in text and
                          reasons[lang, want["reason"]] in text and
                          (w["counted-rejected"] in text) == want["counts"] and rows == codes,
                          f"{what}: its reason and its codes ({state}: {text} {rows})")
                else:
                    check(state == "opened" and w["opened"] in text and rows == codes and codes,
                          f"{what}: each answer's code ({state}: {text} {rows} {codes})")
                b.shot(f"{name}-paper-{want['state']}-{'counts' if want.get('counts') else 'not'}"
                       f"-{lang}")
            one = ids[0].replace("-", "")
            typo = one[:6] + ("0" if one[6] != "0" else "1") + one[7:]
            state, text, _ = look_up(page, typo)
            check(state == "typo" and w["typo"] in text,
                  f"{name}: {lang}: a mistyped identifier ({text})")
            v = [ALPHABET.index(c) for c in ("Z" if one[0] != "Z" else "Y") + one[1:19]]
            absent = "".join(ALPHABET[x] for x in v) + ALPHABET[luhn32(v)]
            state, text, _ = look_up(page, absent)
            check(state == "notfound" and w["notfound"] in text,
                  f"{name}: {lang}: an identifier of no paper is not found ({state}: {text})")
            b.shot(f"{name}-paper-notfound-{lang}")
            # the paper's stub points at the board: check.html says where to go
            b.go(f"{base}check{suffix}.html")
            b.eval(f"document.getElementById('code').value = {json.dumps(ids[0])};"
                   "document.querySelector('#vote-form button').click()")
            state, text = b.result()
            check(state == "paper" and w["paper"] in text,
                  f"{name}: {lang}: check.html sends a paper identifier to paper.html ({text})")
            # axe-core with an opening's table on show
            opened = [i for i in ids if found[i].get("opened")] or ids
            look_up(page, opened[0])
            b.eval(axe_source())
            got = json.loads(b.eval(
                "axe.run(document, {runOnly: {type: 'tag', values: %s}})"
                ".then(r => JSON.stringify(r.violations.map(v => ({id: v.id, help: v.help,"
                " nodes: v.nodes.slice(0, 3).map(n => n.target)}))))" % json.dumps(TAGS),
                wait=True))
            check(not got, f"{name}: {lang}: axe-core on paper{suffix}.html: {got}")
        # from the disk too
        b.go(f"file://{out}/paper.cy.html")
        b.eval(f"document.getElementById('paper-id').value = {json.dumps(ids[-1])};"
               "document.querySelector('#paper-form button').click()")
        state, _ = b.result()
        check(state == found[ids[-1]]["state"], f"{name}: file://: a paper is found ({state})")
    finally:
        server.terminate()
        server.wait(timeout=10)


def main(d):
    demo = json.loads(must("demo", "--dir", os.path.join(d, "demo"), "--tenants", "30",
                           "--json").stdout)
    rec, site = demo["record"], demo["site"]["dir"]
    counts, replaced = demo["site"]["tracking_counts"], demo["site"]["tracking_replaced"]
    long_code = demo["site"]["tracking_counts_long"]
    check(demo["site"]["check_url"].endswith("/check.html#" + counts), "demo: the check address")
    # the position from the CLI's own look-up, not from the site
    where = json.loads(must("receipt", "check", counts, "--record", rec, "--json").stdout)
    position = where["position"]
    gone = json.loads(must("receipt", "check", replaced, "--record", rec, "--json").stdout)
    check(gone["found"] and not gone["counts"], "the revoted-away code does not count (CLI)")
    plain = counts.replace("-", "")
    # a well-formed code of no entry: other symbols, its own check symbol
    absent = grouped(with_check(("Z" if plain[0] != "Z" else "Y") + plain[1:15]))
    # one symbol changed: the check symbol catches it
    typo = grouped(plain[:5] + ("0" if plain[5] != "0" else "1") + plain[6:])
    cred = json.loads(must("credentials", "codes", "--record", rec, "--json").stdout)["check_codes"]

    # ---- the CLI
    out = os.path.join(d, "out")
    r = run("publish", "--site", out, rec, "--json")
    check(r.returncode == 0, f"publish exits 0 ({r.stderr.strip()})")
    info = json.loads(r.stdout) if r.returncode == 0 else {}
    check(info.get("entries") == demo["verify"]["entries"] and info.get("credentials") == 30,
          f"publish --json: the board's figures ({info})")
    r = run("publish", "--site", out, rec)
    check(r.returncode == 1 and "--force" in r.stderr, "publish: an existing site is kept without --force")
    r = run("publish", "--site", out, rec, "--force")
    check(r.returncode == 0 and os.path.exists(os.path.join(out, "check.html")),
          f"publish --force replaces an earlier site ({r.stderr.strip()})")
    used = os.path.join(d, "used")
    os.makedirs(used)
    open(os.path.join(used, "mine.txt"), "w").close()
    r = run("publish", "--site", used, rec, "--force")
    check(r.returncode == 1 and os.path.exists(os.path.join(used, "mine.txt")),
          "publish --force never replaces a folder it did not write")
    bad = os.path.join(d, "bad-record")
    shutil.copytree(rec, bad)
    with open(os.path.join(bad, "result.json"), "r+") as f:
        t = f.read().replace('"votes": 1', '"votes": 2', 1)
        f.seek(0)
        f.write(t)
        f.truncate()
    r = run("publish", "--site", os.path.join(d, "bad-site"), bad)
    check(r.returncode == 1 and "does NOT verify" in r.stderr and
          not [x for x in os.listdir(d) if x.startswith("bad-site")],
          f"publish refuses a record that does not verify, leaving nothing ({r.stderr.strip()[-300:]})")
    r = run("publish", "--site", os.path.join(d, "none-site"), os.path.join(d, "no-such-record"))
    check(r.returncode not in (0, 2) and r.stderr.strip() and
          not [x for x in os.listdir(d) if x.startswith("none-site")],
          f"publish refuses an unreadable record ({r.returncode} {r.stderr.strip()})")
    r = run("publish", rec)
    check(r.returncode == 2, "publish without --site is a usage error")
    with open(os.path.join(out, "record", "SHA256SUMS")) as f:
        sums = f.read()
    r = subprocess.run(["sha256sum", "-c", "--quiet", "SHA256SUMS"], cwd=os.path.join(out, "record"),
                       capture_output=True, text=True)
    check(r.returncode == 0 and "board.jsonl" in sums, f"record/SHA256SUMS checks ({r.stdout})")
    r = run("verify", os.path.join(out, "record"))
    check(r.returncode == 0, "the record copied onto the site verifies")
    # the demo's tenants have ballot papers: the board has their page
    demo_papers = os.path.join(demo["dir"], "papers.csv")
    with_papers = os.path.exists(demo_papers)
    check(with_papers == os.path.exists(os.path.join(out, "paper.html")) and
          (info.get("papers") or 0) == (demo["tenants"] if with_papers else 0),
          f"a paper page when the record has papers ({info.get('papers')})")
    for page in ("index", "check", "credential", "codes-1", "record", "maths") + \
            (("paper",) if with_papers else ()):
        for lang, suffix in (("en", ""), ("cy", ".cy")):
            with open(os.path.join(out, f"{page}{suffix}.html"), encoding="utf-8") as f:
                html = f.read()
            check(f'<html lang="{lang}">' in html and "hreflang=" in html and
                  "<script>" not in html and "style=" not in html and "http" not in
                  html.replace("https://bwrdd", "").replace("http-equiv", ""),
                  f"{page}{suffix}.html: lang, a language link, no inline script or style, "
                  "nothing from elsewhere")

    axe = axe_source()
    profile = os.path.join(d, "profile")
    os.makedirs(profile)
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind",
                               "127.0.0.1", "--directory", out],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    b = None
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        b = Browser(profile)
        b.call("Page.enable")
        b.call("Runtime.enable")
        b.call("Emulation.setDeviceMetricsOverride", width=390, height=844,
               deviceScaleFactor=2, mobile=True)
        base = f"http://127.0.0.1:{port}/"
        words = {
            "en": {"counts": f"position {position} and is the one that counts",
                   "replaced": "replaced by a later ballot", "notfound": "Not found",
                   "typo": "mistyped", "found": "is on the published list"},
            "cy": {"counts": f"safle {position} a dyma'r un sy'n cyfrif",
                   "replaced": "disodli gan bleidlais ddiweddarach", "notfound": "Heb ei chanfod",
                   "typo": "gamdeipio", "found": "ar y rhestr gyhoeddedig"},
        }
        for lang, suffix in (("en", ""), ("cy", ".cy")):
            w = words[lang]
            page = f"{base}check{suffix}.html"
            b.go(f"{page}#{counts}")
            state, text = b.result()
            check(state == "counts" and w["counts"] in text,
                  f"{lang}: a receipt's code counts at position {position} ({state}: {text})")
            check(b.eval("document.getElementById('code').value") == counts,
                  f"{lang}: the check address fills the input")
            b.shot(f"check-counts-{lang}")
            b.go(f"{page}#{replaced}")
            state, text = b.result()
            check(state == "replaced" and w["replaced"] in text,
                  f"{lang}: the revoted-away code is replaced ({state}: {text})")
            b.shot(f"check-replaced-{lang}")
            b.go(f"{page}#{absent}")
            state, text = b.result()
            check(state == "notfound" and w["notfound"] in text and "01234 567890" in text,
                  f"{lang}: an unknown code is not found, with the officer's phone ({state}: {text})")
            b.shot(f"check-notfound-{lang}")
            b.go(f"{page}#{typo}")
            state, text = b.result()
            check(state == "typo" and w["typo"] in text,
                  f"{lang}: a mistyped code is caught ({state}: {text})")
            b.shot(f"check-typo-{lang}")
            # typed, keyboard only: lowercase, no hyphens, Enter
            b.go(page)
            b.eval("document.getElementById('code').focus()")
            b.call("Input.insertText", text=plain.lower())
            for kind in ("keyDown", "keyUp"):
                b.call("Input.dispatchKeyEvent", type=kind, key="Enter", code="Enter",
                       windowsVirtualKeyCode=13, text="\r" if kind == "keyDown" else "")
            state, text = b.result()
            check(state == "counts", f"{lang}: a typed code and Enter ({state}: {text})")
            b.shot(f"check-typed-{lang}")
            # the long code, and its short form computed in the page
            check(b.eval(f"tvShortFromLong('{long_code}')") == plain,
                  f"{lang}: the page's short form of the long code is tv_tracking_text's")
            b.go(f"{page}#{long_code}")
            state, text = b.result()
            check(state == "counts", f"{lang}: the long code counts ({state}: {text})")
            for typed, want in (("ABC", "length"), ("ABCD-EFGH-JKMN-PQR!", "badchar"),
                                (json.dumps({"election": "00" * 32, "tracking": long_code}), "other"),
                                (plain[:12], "length")):
                b.go(page)
                b.eval(f"document.getElementById('code').value = {json.dumps(typed)};"
                       "document.querySelector('#vote-form button').click()")
                state, text = b.result()
                check(state == want and text, f"{lang}: {typed[:30]!r} says {want} ({state}: {text})")
            # the voting code's check code
            cpage = f"{base}credential{suffix}.html"
            b.go(cpage)
            b.eval(f"document.getElementById('check-code').value = '{cred[0].lower()}';"
                   "document.querySelector('#credential-form button').click()")
            state, text = b.result()
            check(state == "found" and w["found"] in text, f"{lang}: a check code is found ({state}: {text})")
            b.shot(f"credential-found-{lang}")
            other = ("Z" if cred[0][0] != "Z" else "Y") + cred[0][1:]
            b.go(cpage)
            b.eval(f"document.getElementById('check-code').value = '{other}';"
                   "document.querySelector('#credential-form button').click()")
            state, text = b.result()
            check(state == ("notfound" if other not in cred else "found"),
                  f"{lang}: an unknown check code is not found ({state}: {text})")
            # axe-core on every page type, and on a shown result
            for name in ("index", "check", "credential", "codes-1", "record", "maths"):
                b.go(f"{base}{name}{suffix}.html" + (f"#{absent}" if name == "check" else ""))
                if name == "check":
                    b.result()
                else:
                    b.shot(f"{name}-{lang}")
                b.eval(axe)
                got = json.loads(b.eval(
                    "axe.run(document, {runOnly: {type: 'tag', values: %s}})"
                    ".then(r => JSON.stringify(r.violations.map(v => ({id: v.id, help: v.help,"
                    " nodes: v.nodes.slice(0, 3).map(n => n.target)}))))" % json.dumps(TAGS),
                    wait=True))
                check(not got, f"{lang}: axe-core on {name}{suffix}.html: {got}")
        # the paper look-up's handle, by the browser's WebCrypto: the
        # independent Python's (§15.8.1), over http://127.0.0.1 and file://
        F = bytes.fromhex(info.get("election", "00" * 32))
        ident, printed = check_papers.paper_id(F, hashlib.sha256(b"a paper").digest())
        want = check_papers.handle(F, printed).hex()
        for url in (f"{base}check.html", f"file://{out}/check.cy.html"):
            b.go(url)
            got = b.eval(f"tvPaperHandle({json.dumps(info.get('election'))}, "
                         f"{json.dumps(ident.lower())})", wait=True)
            check(got == want, f"{url}: the browser's handle of {printed} is {got}, not {want}")
        # a tenant checks their ballot paper: the demo's papers, and a small
        # election's made to have every kind (a paper replaced by a later
        # online vote, too)
        if with_papers:
            with open(demo_papers, newline="") as f:
                ids = [row["paper"] for row in csv.DictReader(f)]
            papers_part(d, b, "demo", rec, ids, every=False)
        made = make_papers_record(d)
        if made is not None:
            papers_part(d, b, "small", *made, every=True)
        # readable without JavaScript
        b.call("Emulation.setScriptExecutionDisabled", value=True)
        for lang, suffix, word in (("en", "", "Yes."), ("cy", ".cy", "Ydy.")):
            b.go(f"{base}index{suffix}.html")
            text = b.eval("document.body.innerText") or ""
            check("Llanfair" in text and word in text and "63.6%" in text,
                  f"{lang}: the home page reads without JavaScript")
            b.shot(f"index-nojs-{lang}")
        b.go(f"{base}check.html")
        check("JavaScript" in (b.eval("document.body.innerText") or ""),
              "without JavaScript the check page says what to do instead")
        b.call("Emulation.setScriptExecutionDisabled", value=False)
        # from the disk, as an observer's downloaded copy
        b.go(f"file://{out}/check.html#{counts}")
        state, text = b.result()
        check(state == "counts", f"file://: a receipt's code counts ({state}: {text})")
        b.go(f"file://{out}/check.cy.html#{absent}")
        state, text = b.result()
        check(state == "notfound", f"file://: an unknown code is not found ({state}: {text})")

        # the officer's <script> in the title is text
        xrec = xss_record(d)
        xout = os.path.join(d, "x-site")
        r = run("publish", "--site", xout, xrec)
        check(r.returncode == 0, f"publish of a format-1 record ({r.stderr.strip()})")
        with open(os.path.join(xout, "index.html"), encoding="utf-8") as f:
            html = f.read()
        check("&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert" not in html and
              "<b>" not in html, "the manifest's HTML is escaped")
        # an election without ballot papers has no page for them, nor links
        with open(os.path.join(xout, "site.json"), encoding="utf-8") as f:
            check(json.load(f).get("papers") == 0 and
                  not os.path.exists(os.path.join(xout, "paper.html")) and
                  not os.path.exists(os.path.join(xout, "p")), "no papers: no paper page, no p/")
        for page in ("index", "check", "credential", "codes-1", "record", "maths"):
            for suffix in ("", ".cy"):
                with open(os.path.join(xout, f"{page}{suffix}.html"), encoding="utf-8") as f:
                    check("paper.html" not in (text := f.read()) and "paper.cy.html" not in text
                          and "data-paper=" not in text,
                          f"no papers: {page}{suffix}.html names no paper page")
        b.go(f"file://{xout}/index.cy.html")
        check(b.eval("document.querySelector('h1').textContent") == "<script>alert(1)</script>" and
              b.eval("document.scripts.length") == 0,
              "the title shows as text and runs nothing")
        check(b.eval("document.querySelector('h1 span[lang=en]') !== null"),
              "a Welsh page marks English manifest text lang=en")
        b.go(f"file://{xout}/check.html#{absent}")
        state, text = b.result()
        check(state == "notfound" and "returning officer of C <b>&amp;" in text,
              f"without contact details, not found names the council ({text})")
    finally:
        if b is not None:
            b.close()
        server.terminate()
        server.wait(timeout=10)


with tempfile.TemporaryDirectory() as tmp:
    main(tmp)
if failures:
    print(f"{len(failures)} failure(s)")
    sys.exit(1)
print("the bulletin board: all checks passed; screenshots in", shots)
