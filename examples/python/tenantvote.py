# SPDX-License-Identifier: LGPL-2.1-or-later
"""libtenantvote from Python, over ctypes: verify a public record, check a
tenant's receipt against it, read a manifest's texts, and cast a ballot
into an open ballot box as a voting device and the box's server would.

It copies no C struct layout: what the C API hands back in a struct is read
through the library's accessor functions (tv_receipt_*, tv_verify_event_*,
tv_manifest_*_in), and a receipt is an opaque buffer of tv_receipt_size()
bytes. So a new library release that adds a field breaks nothing here.

    import tenantvote
    with tenantvote.Context() as ctx:
        v = ctx.verify_record("record")
        print(v.valid, [c.name for c in v.checks if not c.passed])
        r = ctx.receipt_from_json(open("receipt.json").read())
        print(r.position, r.tracking_text, ctx.check_receipt("record", r))

The library is found as $TENANTVOTE_LIBRARY if set, else as the system's
libtenantvote.so.0 (ctypes.util.find_library("tenantvote")). Every failure
raises TenantvoteError with the C status and the library's own message.
"""
import ctypes
import ctypes.util
import os
import weakref

__all__ = ["TenantvoteError", "Context", "Receipt", "Manifest", "Check", "Verification",
           "Box", "Ballot", "BoxKey", "library", "version", "CHANNELS"]

# tv_status values (include/tenantvote/common.h): stable, never reused
OK = 0
ERR_IO = 5
ERR_ENCODING = 20
ERR_SIGNATURE_INVALID = 24
ERR_PROOF_INVALID = 23
ERR_WRONG_ELECTION = 36

ERR_PASSPHRASE = 33
ERR_REPLAY = 37

# the TV_CHANNEL_* bits
CHANNELS = {1: "online", 2: "phone", 4: "postal", 8: "in-person"}
_CHANNEL_BITS = {v: k for k, v in CHANNELS.items()}

# bytes of the fixed-size values the API passes by pointer: a tv_point is
# its SEC1 encoding, a tv_ed25519_secret_key its 32-byte seed (group.h,
# signature.h); these are encodings, not struct layouts
POINT_BYTES = 65
BOX_KEY_BYTES = 32

_c_char_p = ctypes.c_char_p
_c_void_p = ctypes.c_void_p
_size_t = ctypes.c_size_t
_status = ctypes.c_int  # an enum is an int in the C ABI

_VERIFY_FN = ctypes.CFUNCTYPE(None, _c_void_p, _c_void_p)

_lib = None


def library():
    """The loaded libtenantvote (ctypes.CDLL), with every prototype set."""
    global _lib
    if _lib is not None:
        return _lib
    path = os.environ.get("TENANTVOTE_LIBRARY") or ctypes.util.find_library("tenantvote")
    if not path:
        raise OSError("libtenantvote not found: set TENANTVOTE_LIBRARY to its path")
    lib = ctypes.CDLL(path)
    protos = {
        "tv_version": (_c_char_p, []),
        "tv_status_str": (_c_char_p, [_status]),
        "tv_status_is_rejection": (ctypes.c_int, [_status]),
        "tv_ctx_new": (_status, [ctypes.POINTER(_c_void_p), _c_void_p]),
        "tv_ctx_free": (None, [_c_void_p]),
        "tv_ctx_last_error": (_c_char_p, [_c_void_p]),
        "tv_free": (None, [_c_void_p, _c_void_p]),
        "tv_verify_check_name": (_c_char_p, [ctypes.c_uint32]),
        "tv_record_verify": (_status, [_c_void_p, _c_char_p, ctypes.c_uint, _VERIFY_FN,
                                       _c_void_p, _c_void_p, _c_void_p, _c_void_p]),
        "tv_verify_event_check": (ctypes.c_uint32, [_c_void_p]),
        "tv_verify_event_name": (_c_char_p, [_c_void_p]),
        "tv_verify_event_status": (_status, [_c_void_p]),
        "tv_verify_event_position": (ctypes.c_uint64, [_c_void_p]),
        "tv_verify_event_message": (_c_char_p, [_c_void_p]),
        "tv_receipt_size": (_size_t, []),
        "tv_receipt_from_json": (_status, [_c_void_p, _c_void_p, _c_char_p, _size_t]),
        "tv_receipt_to_json": (_status, [_c_void_p, ctypes.POINTER(_c_void_p), _c_void_p]),
        "tv_receipt_position": (ctypes.c_uint64, [_c_void_p]),
        "tv_receipt_time": (ctypes.c_int64, [_c_void_p]),
        "tv_receipt_channel": (ctypes.c_uint32, [_c_void_p]),
        "tv_receipt_tracking": (None, [_c_void_p, _c_void_p]),
        "tv_receipt_election": (None, [_c_void_p, _c_void_p]),
        "tv_receipt_head": (None, [_c_void_p, _c_void_p]),
        "tv_tracking_text": (None, [_c_void_p, _c_void_p]),
        "tv_record_check_receipt": (_status, [_c_void_p, ctypes.POINTER(ctypes.c_int),
                                              _c_char_p, _c_void_p]),
        "tv_manifest_from_json": (_status, [_c_void_p, ctypes.POINTER(_c_void_p), _c_char_p,
                                            _size_t]),
        "tv_manifest_free": (None, [_c_void_p]),
        "tv_manifest_election_id": (_c_char_p, [_c_void_p]),
        "tv_manifest_title_in": (_c_char_p, [_c_void_p, _c_char_p]),
        "tv_manifest_question_in": (_c_char_p, [_c_void_p, _c_char_p]),
        "tv_manifest_option_in": (_c_char_p, [_c_void_p, ctypes.c_uint32, _c_char_p]),
        "tv_manifest_option_count": (_size_t, [_c_void_p]),
        "tv_box_open": (_status, [_c_void_p, ctypes.POINTER(_c_void_p), _c_char_p]),
        "tv_box_free": (None, [_c_void_p]),
        "tv_box_manifest": (_c_void_p, [_c_void_p]),
        "tv_box_election_key_point": (_status, [_c_void_p, _c_void_p, _c_void_p]),
        "tv_box_cast": (_status, [_c_void_p, _c_void_p, _c_void_p, _c_void_p, ctypes.c_uint32,
                                  _c_void_p, ctypes.c_int64]),
        "tv_box_check_receipt": (_status, [_c_void_p, ctypes.POINTER(ctypes.c_int), _c_void_p,
                                           _c_void_p]),
        "tv_secretfile_read": (_status, [_c_void_p, ctypes.POINTER(_c_void_p),
                                         ctypes.POINTER(_size_t), _c_char_p, _c_char_p,
                                         _size_t]),
        "tv_secret_free": (None, [_c_void_p, _c_void_p, _size_t]),
        "tv_ballot_encrypt": (_status, [_c_void_p, ctypes.POINTER(_c_void_p), _c_void_p,
                                        _c_void_p, _c_void_p, _c_char_p, _size_t,
                                        ctypes.c_uint32]),
        "tv_ballot_free": (None, [_c_void_p]),
        "tv_ballot_tracking_text": (None, [_c_void_p, _c_void_p]),
        "tv_ballot_to_json": (_status, [_c_void_p, ctypes.POINTER(_c_void_p),
                                        ctypes.POINTER(_size_t), _c_void_p]),
    }
    for name, (restype, argtypes) in protos.items():
        fn = getattr(lib, name)
        fn.restype = restype
        fn.argtypes = argtypes
    _lib = lib
    return lib


def version():
    """The library's version, "MAJOR.MINOR.PATCH"."""
    return library().tv_version().decode()


def _text(b):
    return None if b is None else b.decode("utf-8")


class TenantvoteError(Exception):
    """A libtenantvote failure: .status (the tv_status number), .status_text
    (its constant description), .message (what was wrong and where), and
    .rejection (True when the input was checked and found wrong, False when
    the library could not do its work)."""

    def __init__(self, status, message, doing):
        lib = library()
        self.status = status
        self.status_text = _text(lib.tv_status_str(status))
        self.message = message
        self.rejection = bool(lib.tv_status_is_rejection(status))
        super().__init__(f"{doing}: {self.status_text}: {message}")


class Check:
    """One check of SPEC §19 as the verifier reported it."""

    def __init__(self, number, name):
        self.number = number
        self.name = name
        self.passed = False
        self.failures = []  # (status, board position or 0, message)

    def __repr__(self):
        state = "passed" if self.passed else f"FAILED ({len(self.failures)})"
        return f"<check {self.number} {self.name}: {state}>"


class Verification:
    """The outcome of Context.verify_record(): .valid, and .checks, one
    Check per check of SPEC §19, in order."""

    def __init__(self, valid, checks):
        self.valid = valid
        self.checks = checks

    @property
    def failed(self):
        return [c for c in self.checks if not c.passed]


class Receipt:
    """A signed receipt (SPEC §15.3), held as the library's own bytes."""

    def __init__(self, ctx, buf):
        self._ctx = ctx
        self._buf = buf

    @property
    def _ptr(self):
        return ctypes.cast(self._buf, _c_void_p)

    def _bytes32(self, fn):
        out = ctypes.create_string_buffer(32)
        fn(out, self._ptr)
        return out.raw

    @property
    def position(self):
        return library().tv_receipt_position(self._ptr)

    @property
    def time(self):
        """Seconds since 1970 UTC."""
        return library().tv_receipt_time(self._ptr)

    @property
    def channel(self):
        return CHANNELS.get(library().tv_receipt_channel(self._ptr), "?")

    @property
    def tracking(self):
        """The 32-byte tracking code T."""
        return self._bytes32(library().tv_receipt_tracking)

    @property
    def tracking_text(self):
        """The short typeable code, "XXXX-XXXX-XXXX-XXXX"."""
        t = ctypes.create_string_buffer(self.tracking, 32)
        out = ctypes.create_string_buffer(20)
        library().tv_tracking_text(out, t)
        return out.value.decode()

    @property
    def election(self):
        return self._bytes32(library().tv_receipt_election)

    @property
    def head(self):
        return self._bytes32(library().tv_receipt_head)

    def to_json(self):
        return self._ctx._owned_text(
            lambda out: library().tv_receipt_to_json(self._ctx._ctx, out, self._ptr),
            "the receipt's JSON")


class Manifest:
    """An election manifest read from its JSON (SPEC §9.4)."""

    def __init__(self, ctx, ptr, owner=None):
        self._ctx = ctx  # the context outlives the manifest
        self._ptr = ptr
        self._owner = owner  # a Box that owns it, or None: ours to free

    def close(self):
        if self._ptr and self._owner is None:
            library().tv_manifest_free(self._ptr)
        self._ptr = None

    def __del__(self):
        self.close()

    @staticmethod
    def _lang(lang):
        if lang not in ("en", "cy"):
            raise ValueError(f"language {lang!r}: 'en' or 'cy'")
        return lang.encode()

    @property
    def election_id(self):
        return _text(library().tv_manifest_election_id(self._ptr))

    def title(self, lang="en"):
        """The title in "en" or "cy" ("" when there is no Welsh)."""
        return _text(library().tv_manifest_title_in(self._ptr, self._lang(lang)))

    def question(self, lang="en"):
        return _text(library().tv_manifest_question_in(self._ptr, self._lang(lang)))

    def options(self, lang="en"):
        """The option labels, option 1 first."""
        lib = library()
        n = lib.tv_manifest_option_count(self._ptr)
        return [_text(lib.tv_manifest_option_in(self._ptr, i, self._lang(lang)))
                for i in range(1, n + 1)]


class Context:
    """A library context (tv_ctx): one per thread; close it, or use with."""

    def __init__(self):
        lib = library()
        self._ctx = _c_void_p()
        self._owned = weakref.WeakSet()  # freed before the context
        status = lib.tv_ctx_new(ctypes.byref(self._ctx), None)
        if status != OK:
            raise TenantvoteError(status, "", "making a context")

    def close(self):
        for o in list(getattr(self, "_owned", ())):
            o.close()
        if self._ctx:
            library().tv_ctx_free(self._ctx)
            self._ctx = _c_void_p()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        self.close()

    def _raise(self, status, doing):
        raise TenantvoteError(status, _text(library().tv_ctx_last_error(self._ctx)), doing)

    def _owned_text(self, call, doing):
        out = _c_void_p()
        status = call(ctypes.byref(out))
        if status != OK:
            self._raise(status, doing)
        try:
            return ctypes.string_at(out).decode("utf-8")
        finally:
            library().tv_free(self._ctx, out)

    def verify_record(self, record_dir, threads=0):
        """Every check of SPEC §19 on the record in record_dir. Raises
        TenantvoteError only when the record could not be checked at all
        (a missing folder, memory); a record that fails a check gives a
        Verification with valid False."""
        lib = library()
        checks = [Check(c, _text(lib.tv_verify_check_name(c))) for c in range(1, 16)]
        seen = []

        def on_event(event, _payload):
            c = lib.tv_verify_event_check(event)
            status = lib.tv_verify_event_status(event)
            if not 1 <= c <= len(checks):
                seen.append(f"an event for check {c}")
                return
            if status == OK:
                checks[c - 1].passed = True
            else:
                checks[c - 1].failures.append(
                    (status, lib.tv_verify_event_position(event),
                     _text(lib.tv_verify_event_message(event))))

        fn = _VERIFY_FN(on_event)  # kept alive for the call
        status = lib.tv_record_verify(self._ctx, os.fsencode(record_dir), threads, fn, None,
                                      None, None, None)
        if status not in (OK, ERR_PROOF_INVALID):
            self._raise(status, f"verifying {record_dir}")
        if seen:
            raise RuntimeError(f"the verifier reported {seen[0]}")
        return Verification(status == OK, checks)

    def receipt_from_json(self, text):
        """A receipt from its JSON (SPEC §15.3); its fields are checked for
        form, not yet against anything."""
        lib = library()
        data = text.encode("utf-8") if isinstance(text, str) else bytes(text)
        buf = ctypes.create_string_buffer(lib.tv_receipt_size())
        status = lib.tv_receipt_from_json(self._ctx, buf, data, len(data))
        if status != OK:
            self._raise(status, "reading a receipt")
        return Receipt(self, buf)

    def check_receipt(self, record_dir, receipt):
        """Check a receipt against the record: signed by its box key, for
        its election, and on its board as the receipt says. True when that
        entry is the one that counts for its credential, False when a later
        one replaced it. Raises TenantvoteError when it does not check."""
        counts = ctypes.c_int(-1)
        status = library().tv_record_check_receipt(self._ctx, ctypes.byref(counts),
                                                   os.fsencode(record_dir), receipt._ptr)
        if status != OK:
            self._raise(status, "checking the receipt")
        return counts.value == 1

    def open_box(self, folder):
        """Open the ballot box of the election folder."""
        out = _c_void_p()
        status = library().tv_box_open(self._ctx, ctypes.byref(out), os.fsencode(folder))
        if status != OK:
            self._raise(status, f"opening {folder}")
        box = Box(self, out, folder)
        self._owned.add(box)
        return box

    def encrypt_ballot(self, manifest, election_key, code, choice):
        """A voting device's ballot (tv_ballot_encrypt): choice is an option
        number, or 0 for blank; code the tenant's credential code, checked
        here (a mistyped code raises). Python cannot wipe the code's str:
        keep it no longer than needed."""
        if len(election_key) != POINT_BYTES:
            raise ValueError(f"an election key is {POINT_BYTES} bytes")
        key = ctypes.create_string_buffer(bytes(election_key), POINT_BYTES)
        c = code.encode("ascii") if isinstance(code, str) else bytes(code)
        out = _c_void_p()
        status = library().tv_ballot_encrypt(self._ctx, ctypes.byref(out), None, manifest._ptr,
                                             key, c, len(c), choice)
        if status != OK:
            self._raise(status, "making the ballot")
        b = Ballot(self, out)
        self._owned.add(b)
        return b

    def read_manifest(self, text):
        """A Manifest from its JSON (SPEC §9.4), validated."""
        data = text.encode("utf-8") if isinstance(text, str) else bytes(text)
        out = _c_void_p()
        status = library().tv_manifest_from_json(self._ctx, ctypes.byref(out), data, len(data))
        if status != OK:
            self._raise(status, "reading the manifest")
        m = Manifest(self, out)
        self._owned.add(m)
        return m


class Ballot:
    """An encrypted, proven, signed ballot (opaque), as a voting device
    makes it with Context.encrypt_ballot()."""

    def __init__(self, ctx, ptr):
        self._ctx = ctx
        self._ptr = ptr

    def close(self):
        if self._ptr:
            library().tv_ballot_free(self._ptr)
            self._ptr = None

    def __del__(self):
        self.close()

    @property
    def tracking_text(self):
        out = ctypes.create_string_buffer(20)
        library().tv_ballot_tracking_text(out, self._ptr)
        return out.value.decode()

    def to_json(self):
        return self._ctx._owned_text(
            lambda out: library().tv_ballot_to_json(self._ctx._ctx, out, None, self._ptr),
            "the ballot's JSON")


class BoxKey:
    """The ballot box's signing key, read from box-key.secret (SPEC
    §13.5.1). Call wipe() (or use with) as soon as the work is done."""

    def __init__(self, buf):
        self._buf = buf

    def wipe(self):
        ctypes.memset(self._buf, 0, BOX_KEY_BYTES)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.wipe()

    def __del__(self):
        self.wipe()


class Box:
    """An open ballot box (election.db in an election folder); one thread
    at a time. Close it, or use with."""

    def __init__(self, ctx, ptr, folder):
        self._ctx = ctx
        self._ptr = ptr
        self.folder = folder
        self.manifest = Manifest(ctx, library().tv_box_manifest(ptr), owner=self)

    def close(self):
        if self._ptr:
            self.manifest._ptr = None
            library().tv_box_free(self._ptr)
            self._ptr = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        self.close()

    def election_key(self):
        """The election key K, its 65 SEC1 bytes: public, for devices."""
        out = ctypes.create_string_buffer(POINT_BYTES)
        status = library().tv_box_election_key_point(self._ctx._ctx, out, self._ptr)
        if status != OK:
            self._ctx._raise(status, "reading the election key")
        return out.raw

    def load_box_key(self, passphrase):
        """The box's signing key from FOLDER/box-key.secret (SPEC §13.5.1)."""
        lib = library()
        plain, n = _c_void_p(), _size_t(0)
        pw = passphrase.encode("utf-8") if isinstance(passphrase, str) else bytes(passphrase)
        path = os.fsencode(os.path.join(self.folder, "box-key.secret"))
        status = lib.tv_secretfile_read(self._ctx._ctx, ctypes.byref(plain), ctypes.byref(n),
                                        path, pw, len(pw))
        if status != OK:
            self._ctx._raise(status, "reading the ballot box key")
        try:
            if n.value != BOX_KEY_BYTES:
                raise TenantvoteError(ERR_ENCODING, "box-key.secret does not hold a ballot "
                                      "box key (SPEC §13.5.1: 32 bytes)", "reading the key")
            buf = ctypes.create_string_buffer(BOX_KEY_BYTES)
            ctypes.memmove(buf, plain, BOX_KEY_BYTES)
            return BoxKey(buf)
        finally:
            lib.tv_secret_free(self._ctx._ctx, plain, n.value)  # wipes, then frees

    def cast(self, ballot, box_key, channel="online", now=None):
        """Check and append a ballot, then sign its receipt (tv_box_cast):
        the ballot is on disk when this returns its Receipt."""
        import time
        buf = ctypes.create_string_buffer(library().tv_receipt_size())
        status = library().tv_box_cast(self._ctx._ctx, buf, self._ptr, ballot._ptr,
                                       _CHANNEL_BITS[channel], box_key._buf,
                                       int(time.time()) if now is None else int(now))
        if status != OK:
            self._ctx._raise(status, "casting")
        return Receipt(self._ctx, buf)

    def check_receipt(self, receipt):
        """True when the receipt's ballot is on the board as it says and
        counts; False when a revote replaced it; raises if it does not check."""
        counts = ctypes.c_int(-1)
        status = library().tv_box_check_receipt(self._ctx._ctx, ctypes.byref(counts),
                                                self._ptr, receipt._ptr)
        if status != OK:
            self._ctx._raise(status, "checking the receipt against the box")
        return counts.value == 1
