#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Tests of tenantvote.py against the built library, on a real record made
with the tenantvote command: a one-trustee election, two tenants voting
(one twice), closed, counted, exported.

    TENANTVOTE_LIBRARY=build/lib/libtenantvote.so \\
        python3 test_tenantvote.py path/to/tenantvote"""
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tenantvote  # noqa: E402

TV = None
ENV = dict(os.environ, TENANTVOTE_PASSPHRASE="the trustee's passphrase",
           TENANTVOTE_BOX_PASSPHRASE="the ballot box passphrase")


def must(*args, stdin=None):
    r = subprocess.run([TV, *args], capture_output=True, text=True, env=ENV, input=stdin,
                       timeout=300)
    if r.returncode != 0:
        raise RuntimeError(f"tenantvote {' '.join(args[:2])}: {r.stderr.strip()}")
    return r.stdout


def open_election(d, name):
    """An open one-trustee election of two tenants: (folder, their codes)."""
    e = os.path.join(d, name)
    must("init", e, "--council", "Cyngor", "--landlord", "Tai", "--title", "Stock transfer",
         "--question", "Transfer?", "--option", "Yes", "--option", "No",
         "--trustees", "1", "--threshold", "1",
         "--opens", "2020-01-01T00:00:00Z", "--closes", "2099-01-01T00:00:00Z")
    reg = os.path.join(d, name + "-register.csv")
    with open(reg, "w") as f:
        f.write("tenancy_ref,name,address,tenancy_type\nT1,Ann,1 Lane,secure\n"
                "T2,Bob,2 Lane,secure\n")
    must("register", "import", reg, "-d", e)
    letters = os.path.join(d, name + "-letters.csv")
    must("credentials", "issue", "--letters", letters, "-d", e)
    with open(letters, newline="", encoding="utf-8") as f:
        codes = [row["code"] for row in csv.DictReader(f)]
    must("ceremony", "-d", e)
    must("open", "-d", e)
    return e, codes


def make_record(d):
    """A counted record and the receipts: (record folder, [receipt JSON])."""
    e, codes = open_election(d, "election")
    receipts = [must("vote", "-d", e, "--json", stdin=f"{codes[0]}\n1\n").strip(),
                must("vote", "-d", e, "--json", stdin=f"{codes[1]}\n2\n").strip(),
                must("vote", "-d", e, "--json", stdin=f"{codes[0]}\n2\n").strip()]
    # the window runs to 2099: closing now is early, with a reason (SPEC §15.4)
    must("close", "-d", e, "--early", "--reason", "The binding's test ballot is over")
    must("tally", "-d", e)
    for_trustees = os.path.join(d, "for-trustees")
    must("export", "--record", for_trustees, "--for-trustees", "-d", e)
    must("trustee", "decrypt", "--trustee", "1", "--record", for_trustees, "-d", e)
    must("declare", "-d", e)
    record = os.path.join(d, "record")
    must("export", "--record", record, "-d", e)
    return record, receipts


class TestTenantvote(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="tv-python-")
        cls.record, cls.receipts = make_record(cls.tmp)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def setUp(self):
        self.ctx = tenantvote.Context()

    def tearDown(self):
        self.ctx.close()

    def test_version(self):
        out = subprocess.run([TV, "--version"], capture_output=True, text=True).stdout
        self.assertEqual(out.split()[1], tenantvote.version())

    def test_record_verifies(self):
        v = self.ctx.verify_record(self.record, threads=1)
        self.assertTrue(v.valid, v.failed)
        self.assertEqual(len(v.checks), 15)
        self.assertTrue(all(c.passed and not c.failures for c in v.checks))
        self.assertEqual(v.checks[0].name, "record.json: format and election")

    def test_changed_record_fails_naming_the_check(self):
        bad = os.path.join(self.tmp, "changed")
        shutil.copytree(self.record, bad)
        board = os.path.join(bad, "board.jsonl")
        with open(board) as f:
            lines = [json.loads(x) for x in f]
        lines[1]["time"] += 1
        with open(board, "w") as f:
            f.writelines(json.dumps(x, separators=(",", ":")) + "\n" for x in lines)
        v = self.ctx.verify_record(bad, threads=1)
        self.assertFalse(v.valid)
        self.assertTrue(v.failed)
        positions = [p for c in v.failed for (_, p, _) in c.failures]
        self.assertIn(2, positions)  # the changed line, board position 2
        self.assertTrue(all(m for c in v.failed for (_, _, m) in c.failures))
        shutil.rmtree(bad)

    def test_missing_record_raises(self):
        with self.assertRaises(tenantvote.TenantvoteError) as cm:
            self.ctx.verify_record(os.path.join(self.tmp, "no-such-record"))
        self.assertEqual(cm.exception.status, tenantvote.ERR_IO)
        self.assertFalse(cm.exception.rejection)
        self.assertIn("no-such-record", cm.exception.message)

    def test_receipt_fields(self):
        text = self.receipts[1]
        r = self.ctx.receipt_from_json(text)
        want = json.loads(text)
        self.assertEqual(r.position, want["position"])
        self.assertEqual(r.position, 2)
        self.assertEqual(r.time, want["time"])
        self.assertEqual(r.channel, "online")
        self.assertEqual(r.tracking.hex(), want["tracking"])
        self.assertEqual(r.election.hex(), want["election"])
        self.assertEqual(r.head.hex(), want["head"])
        self.assertRegex(r.tracking_text, r"^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$")
        self.assertEqual(json.loads(r.to_json()), want)
        # the short code is the one the command line finds on the board
        out = subprocess.run([TV, "receipt", "check", r.tracking_text, "--record", self.record,
                              "--json"], capture_output=True, text=True)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertEqual(json.loads(out.stdout)["position"], 2)

    def test_receipts_check_against_the_record(self):
        # tenant 1 voted twice: the first receipt is replaced, the revote counts
        self.assertFalse(self.ctx.check_receipt(self.record,
                                                self.ctx.receipt_from_json(self.receipts[0])))
        self.assertTrue(self.ctx.check_receipt(self.record,
                                               self.ctx.receipt_from_json(self.receipts[1])))
        self.assertTrue(self.ctx.check_receipt(self.record,
                                               self.ctx.receipt_from_json(self.receipts[2])))

    def test_changed_receipt_refused(self):
        forged = dict(json.loads(self.receipts[1]), position=1)
        r = self.ctx.receipt_from_json(json.dumps(forged))
        with self.assertRaises(tenantvote.TenantvoteError) as cm:
            self.ctx.check_receipt(self.record, r)
        self.assertEqual(cm.exception.status, tenantvote.ERR_SIGNATURE_INVALID)
        self.assertTrue(cm.exception.rejection)

    def test_malformed_receipt_refused(self):
        broken = json.loads(self.receipts[1])
        del broken["head"]
        with self.assertRaises(tenantvote.TenantvoteError) as cm:
            self.ctx.receipt_from_json(json.dumps(broken))
        self.assertEqual(cm.exception.status, tenantvote.ERR_ENCODING)
        self.assertIn("head", cm.exception.message)

    def test_manifest_texts(self):
        with open(os.path.join(self.record, "manifest.json"), encoding="utf-8") as f:
            text = f.read()
        m = self.ctx.read_manifest(text)
        self.assertEqual(m.title("en"), "Stock transfer")
        self.assertEqual(m.question("en"), "Transfer?")
        self.assertEqual(m.title("cy"), "")  # no Welsh given
        self.assertEqual(m.options("en"), ["Yes", "No"])
        self.assertEqual(m.election_id, json.loads(text)["election_id"])
        with self.assertRaises(ValueError):
            m.title("fr")
        with self.assertRaises(tenantvote.TenantvoteError) as cm:
            self.ctx.read_manifest(text.replace('"Stock transfer"', '""'))
        self.assertTrue(cm.exception.rejection)

    def test_box_key_file_is_as_spec_says(self):
        """SPEC §13.5.1: 89 bytes, a §13.2 sealed secret of 32 bytes, cost
        15, mode 0600"""
        e, _ = open_election(self.tmp, "key-file")
        path = os.path.join(e, "box-key.secret")
        with open(path, "rb") as f:
            data = f.read()
        self.assertEqual(len(data), 89)
        self.assertEqual(data[:8], b"TVSECRET")
        self.assertEqual(data[8:13], bytes([1, 1, 15, 8, 1]))  # version, scrypt, c, r, p
        self.assertEqual(os.stat(path).st_mode & 0o777, 0o600)

    def test_cast_from_python(self):
        e, codes = open_election(self.tmp, "cast")
        with self.ctx.open_box(e) as box:
            # the device: public data and the tenant's code
            self.assertEqual(box.manifest.title("en"), "Stock transfer")
            key = box.election_key()
            self.assertEqual(len(key), 65)
            self.assertEqual(key[0], 4)
            with self.assertRaises(tenantvote.TenantvoteError) as cm:
                self.ctx.encrypt_ballot(box.manifest, key, "A" + codes[0][1:]
                                        if codes[0][0] != "A" else "B" + codes[0][1:], 1)
            self.assertEqual(cm.exception.status, 32)  # TV_ERR_CREDENTIAL_INVALID
            ballot = self.ctx.encrypt_ballot(box.manifest, key, codes[0], 2)
            self.assertTrue(json.loads(ballot.to_json())["signature"])
            # the box's server: its key from box-key.secret, then the cast
            with self.assertRaises(tenantvote.TenantvoteError) as cm:
                box.load_box_key("not the passphrase")
            self.assertEqual(cm.exception.status, tenantvote.ERR_PASSPHRASE)
            with box.load_box_key(ENV["TENANTVOTE_BOX_PASSPHRASE"]) as box_key:
                receipt = box.cast(ballot, box_key)
                with self.assertRaises(tenantvote.TenantvoteError) as cm:
                    box.cast(ballot, box_key)
                self.assertEqual(cm.exception.status, tenantvote.ERR_REPLAY)
            self.assertEqual(receipt.position, 1)
            self.assertEqual(receipt.tracking_text, ballot.tracking_text)
            self.assertTrue(box.check_receipt(receipt))
            text = receipt.to_json()
        # the command line finds the receipt on the box, at its position
        path = os.path.join(self.tmp, "cast-receipt.json")
        with open(path, "w") as f:
            f.write(text)
        r = subprocess.run([TV, "receipt", "check", path, "-d", e, "--json"],
                           capture_output=True, text=True, env=ENV)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(json.loads(r.stdout)["position"], 1)

    def test_welsh_manifest(self):
        here = os.path.dirname(os.path.abspath(__file__))
        with open(os.path.join(here, "..", "manifest-example.json"), encoding="utf-8") as f:
            want = json.load(f)
        with open(os.path.join(here, "..", "manifest-example.json"), encoding="utf-8") as f:
            m = self.ctx.read_manifest(f.read())
        self.assertEqual(m.title("cy"), want["title"]["cy"])
        self.assertEqual(m.question("cy"), want["question"]["cy"])
        self.assertEqual(m.options("cy"), [o["label"]["cy"] for o in want["options"]])
        # closing the context frees the manifest first
        self.ctx.close()
        self.assertIsNone(m._ptr)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: test_tenantvote.py path/to/tenantvote")
    TV = sys.argv.pop(1)
    unittest.main(verbosity=2)
