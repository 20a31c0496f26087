#!/usr/bin/env python3
"""Independent checker for the tenantvote test vectors (tests/vectors/*.json).

Written from docs/SPEC.md (§1-§8, §9, §10.8, §11, §15.1, §18.6, §19.3 check 4,
Appendix A) alone, without the C sources, to show that the specification
suffices.  Standard library only.

    python3 check_vectors.py <vectors-dir>

For every file: checks each case's `expect` (decoding the JSON as §2.3, §5.3
and §6.2 say, so that a decoding fault is a status too), recomputes every
honest value, replays the deterministic generator of §7.3 with the draw tables
of §8.1 and compares the honest values byte for byte, and rebuilds every
tampered case and Ed25519 edge case from §8.4 and compares it, name and
expected status included, with the file.  For ballot.json (§8.3): recomputes
the manifest fingerprint (§9.4, §9.5) and the credential (§11), reads and
checks every ballot (§15.1.4, §15.1.3), the tracking codes (§15.1.1-2) and the
opened ballot (§15.1.5), and regenerates every ballot from the seed.  For
credential_list.json (§8.3): recomputes the credentials and their check codes
(§11.2, §11.8), the list digest, the signed digest and the authority's
signature (§11.5), the ceremony context (§11.6), the issue file and the
sorted list of credentials.json (§18.6), and checks each list as §19.3 check 4
does.
"""
import copy
import hashlib
import json
import os
import re
import sys
import unicodedata


# --- Statuses (§1.5, Appendix A): a failing check raises Status(name) --------

class Status(Exception):
    def __init__(self, name):
        super().__init__(name)
        self.name = name


def status_of(fn, *args):
    """Run a verifier; give 'ok' or the lower-case status name (§8.2)."""
    try:
        fn(*args)
        return 'ok'
    except Status as s:
        return s.name


# --- §2 The group: NIST P-256 -------------------------------------------------

P = 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffff
N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551
B = 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b
G = (0x6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296,
     0x4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5)
INF = (1, 1, 0)             # O in Jacobian coordinates; affine O is None


def _dbl(p):                # Jacobian doubling, a = -3
    x, y, z = p
    if z == 0 or y == 0:
        return INF
    zz = z * z % P
    m = 3 * (x - zz) * (x + zz) % P
    yy = y * y % P
    s = 4 * x * yy % P
    x3 = (m * m - 2 * s) % P
    return x3, (m * (s - x3) - 8 * yy * yy) % P, 2 * y * z % P


def _add(p, q):             # Jacobian addition, handles every special case
    if p[2] == 0:
        return q
    if q[2] == 0:
        return p
    z1z1, z2z2 = p[2] * p[2] % P, q[2] * q[2] % P
    u1, u2 = p[0] * z2z2 % P, q[0] * z1z1 % P
    s1, s2 = p[1] * z2z2 * q[2] % P, q[1] * z1z1 * p[2] % P
    if u1 == u2:
        return _dbl(p) if s1 == s2 else INF
    h, r = (u2 - u1) % P, (s2 - s1) % P
    hh = h * h % P
    hhh, v = h * hh % P, u1 * hh % P
    x3 = (r * r - hhh - 2 * v) % P
    return x3, (r * (v - x3) - s1 * hhh) % P, h * p[2] * q[2] % P


def msm(*terms):
    """Σ k_i·Q_i for (k_i, affine Q_i); scalars reduced mod n; None is O."""
    terms = [(k % N, (q[0], q[1], 1)) for k, q in terms]
    acc = INF
    for i in range(max(k.bit_length() for k, _ in terms) - 1, -1, -1):
        acc = _dbl(acc)
        for k, q in terms:
            if (k >> i) & 1:
                acc = _add(acc, q)
    if acc[2] == 0:
        return None
    zi = pow(acc[2], -1, P)
    return acc[0] * zi * zi % P, acc[1] * zi * zi * zi % P


def decode_point(b):        # §2.2.2, the four steps in order
    if len(b) != 65:
        raise Status('encoding')
    if b[0] != 0x04:
        raise Status('encoding')
    x, y = int.from_bytes(b[1:33], 'big'), int.from_bytes(b[33:], 'big')
    if x >= P or y >= P:
        raise Status('point_invalid')
    if (y * y - (x ** 3 - 3 * x + B)) % P:
        raise Status('point_invalid')
    return x, y


def decode_scalar(b):       # §2.2.1, in order
    if len(b) != 32:
        raise Status('encoding')
    k = int.from_bytes(b, 'big')
    if k >= N:
        raise Status('scalar_range')
    return k


def pt(q):                  # §2.2.2: O has no encoding -> point_invalid
    if q is None:
        raise Status('point_invalid')
    return b'\x04' + q[0].to_bytes(32, 'big') + q[1].to_bytes(32, 'big')


def sc(k):
    return k.to_bytes(32, 'big')


def u32(v):
    return v.to_bytes(4, 'big')


def base_mul(k):            # tv_point_base_mul: k = 0 refused (§2.2.1)
    if not 0 < k < N:
        raise Status('scalar_range')
    return pt(msm((k, G)))


# --- §3 Hashing ---------------------------------------------------------------

def preimage(purpose, *fields):
    out = b''
    for f in (b'tenantvote/v1/' + purpose.encode(),) + fields:
        if len(f) > 0xffffffff:
            raise Status('invalid_argument')
        out += u32(len(f)) + f
    return out


def H(purpose, *fields):
    return hashlib.sha256(preimage(purpose, *fields)).digest()


def Hs(purpose, *fields):
    return int.from_bytes(H(purpose, *fields), 'big') % N


# --- §7.3 Deterministic test generator, §7.2 scalar draws ---------------------

class Drbg:
    def __init__(self, seed):
        self.key, self.i = H('test-drbg-seed', seed), 0

    def raw(self, n):       # ceil(n/32) blocks, first n bytes
        out = b''
        while len(out) < n:
            out += H('test-drbg', self.key, self.i.to_bytes(8, 'big'))
            self.i += 1
        return out[:n]

    def scalar(self):       # §7.2: up to 64 tries of one block each
        for _ in range(64):
            k = int.from_bytes(self.raw(32), 'big')
            if 1 <= k < N:
                return k
        raise Status('random')


# --- §4 Exponential ElGamal ---------------------------------------------------

def encrypt(K_b, v, rng, r=None):
    """tv_elgamal_encrypt (r=None: draws r then t) or _with_nonce (draws t)."""
    K = decode_point(K_b)
    if r is None:
        r = rng.scalar()
    elif not 0 < r < N:
        raise Status('scalar_range')
    if rng is not None:
        rng.scalar()        # blinding scalar t (§4.5): drawn, output unchanged
    return pt(msm((r, G))), pt(msm((v, G), (r, K))), r


def ct_add(c1, c2):         # §4.3: decode alpha1, beta1, alpha2, beta2
    a1, b1, a2, b2 = (decode_point(x) for x in (c1[0], c1[1], c2[0], c2[1]))
    return pt(msm((1, a1), (1, a2))), pt(msm((1, b1), (1, b2)))


def decrypt(x, a_b, b_b, vmax):  # §4.4: x < n, x != 0, then alpha, beta
    if not 0 < x < N:
        raise Status('scalar_range')
    alpha, beta = decode_point(a_b), decode_point(b_b)
    m = msm((1, beta), (N - x, alpha))
    for v in range(vmax + 1):           # 0·G = O (None)
        if msm((v, G)) == m:
            return v
    raise Status('range_invalid')


# --- §5 Proofs ----------------------------------------------------------------

def check_context(ctx):     # §3.5
    if len(ctx) > 65536:
        raise Status('invalid_argument')


def eq(lhs, stored, status='proof_invalid'):
    if lhs != stored:
        raise Status(status)


def schnorr_verify(ctx, X_b, A_b, v_b):                      # §5.1
    check_context(ctx)
    X, A, v = decode_point(X_b), decode_point(A_b), decode_scalar(v_b)
    c = Hs('pok', ctx, X_b, A_b)
    eq(msm((v, G), (-c, X)), A)


def schnorr_prove(ctx, x, rng):                              # §5.1 prover
    check_context(ctx)
    if not 0 < x < N:
        raise Status('scalar_range')
    X_b = pt(msm((x, G)))
    w = rng.scalar()
    A_b = pt(msm((w, G)))
    c = Hs('pok', ctx, X_b, A_b)
    return X_b, A_b, sc((w + c * x) % N)


def cp_verify(ctx, g1_b, h1_b, g2_b, h2_b, a1_b, a2_b, v_b):   # §5.2
    check_context(ctx)
    g1, h1, g2, h2, a1, a2 = map(decode_point, (g1_b, h1_b, g2_b, h2_b, a1_b, a2_b))
    v = decode_scalar(v_b)
    c = Hs('cp', ctx, g1_b, h1_b, g2_b, h2_b, a1_b, a2_b)
    eq(msm((v, g1), (-c, h1)), a1)
    eq(msm((v, g2), (-c, h2)), a2)


def cp_prove(ctx, g1_b, h1_b, g2_b, h2_b, x, rng):            # §5.2 prover
    check_context(ctx)
    g1, h1, g2, h2 = map(decode_point, (g1_b, h1_b, g2_b, h2_b))
    if not 0 < x < N:                   # step 3: x < n, x != 0
        raise Status('scalar_range')
    if pt(msm((x, g1))) != h1_b or pt(msm((x, g2))) != h2_b:
        raise Status('invalid_argument')
    w = rng.scalar()
    a1_b, a2_b = pt(msm((w, g1))), pt(msm((w, g2)))
    c = Hs('cp', ctx, g1_b, h1_b, g2_b, h2_b, a1_b, a2_b)
    return a1_b, a2_b, sc((w + c * x) % N)


def check_range(lo, hi):    # §5.3 step 0 (and prover step 1)
    if not (0 <= lo <= hi <= 0xffffffff) or hi - lo > 31:
        raise Status('range_invalid')


def range_verify(ctx, K_b, al_b, be_b, lo, hi, branches):     # §5.3
    """branches: list of (a, b, c, v) byte strings."""
    check_context(ctx)
    check_range(lo, hi)
    L = hi - lo + 1
    assert len(branches) == L           # a decoder (range_from_json) saw to it
    K, alpha, beta = map(decode_point, (K_b, al_b, be_b))
    dec = [(decode_point(a), decode_point(b), decode_scalar(c), decode_scalar(v))
           for a, b, c, v in branches]
    c = Hs('range', ctx, K_b, al_b, be_b, u32(lo), u32(hi),
           *[x for br in branches for x in br[:2]])
    if sum(d[2] for d in dec) % N != c:
        raise Status('proof_invalid')
    for j, (a, b, cj, vj) in enumerate(dec):
        eq(msm((vj, G), (-cj, alpha)), a)
        eq(msm((vj, K), (-cj, beta), (cj * (lo + j), G)), b)


def range_prove(ctx, K_b, al_b, be_b, lo, hi, m, r, rng):      # §5.3 prover
    check_context(ctx)
    check_range(lo, hi)
    if not lo <= m <= hi:
        raise Status('range_invalid')
    K, alpha, beta = map(decode_point, (K_b, al_b, be_b))
    if not 0 < r < N:                   # step 2: r < n, r != 0
        raise Status('scalar_range')
    if pt(msm((r, G))) != al_b:         # step 3
        raise Status('invalid_argument')
    t, L = m - lo, hi - lo + 1
    if msm((1, beta), (-m, G)) != msm((r, K)):   # step 4, before any draw
        raise Status('invalid_argument')
    rho, com = [], []
    for j in range(L):                  # step 5: rho1_j then rho2_j
        r1, r2 = rng.scalar(), rng.scalar()
        rho.append((r1, r2))
        if j == t:
            com.append((pt(msm((r2, G))), pt(msm((r2, K)))))
        else:               # gamma_j = beta - m_j·G
            com.append((pt(msm((r2, G), (-r1, alpha))),
                        pt(msm((r2, K), (-r1, beta), (r1 * (lo + j), G)))))
    c = Hs('range', ctx, K_b, al_b, be_b, u32(lo), u32(hi), *[x for ab in com for x in ab])
    ct = (c - sum(r1 for j, (r1, _) in enumerate(rho) if j != t)) % N
    return [com[j] + ((sc(ct), sc((rho[j][1] + ct * r) % N)) if j == t
                      else (sc(rho[j][0]), sc(rho[j][1]))) for j in range(L)]


# --- §6.1 Schnorr signatures on P-256 ----------------------------------------

def sig_verify(X_b, msg, R_b, s_b):  # §6.1: any length; H refuses 2^32 bytes or more
    X, R, s = decode_point(X_b), decode_point(R_b), decode_scalar(s_b)
    e = Hs('sig', X_b, R_b, msg)
    eq(msm((s, G), (-e, X)), R, 'signature_invalid')


def sig_sign(x, msg, rng):           # no length check of its own (§6.1)
    if not 0 < x < N:
        raise Status('scalar_range')
    X_b = pt(msm((x, G)))
    z = rng.raw(32)                     # one raw 32-byte request
    for i in range(64):                 # hedged nonce, rejection, no reduction
        k = int.from_bytes(H('sig-nonce', sc(x), X_b, msg, z, u32(i)), 'big')
        if 1 <= k < N:
            break
    else:
        raise Status('internal')
    R_b = pt(msm((k, G)))
    e = Hs('sig', X_b, R_b, msg)
    return X_b, R_b, sc((k + e * x) % N)


# --- §6.2 Ed25519 (RFC 8032, pure Python) ------------------------------------

EP = 2 ** 255 - 19
EL = 2 ** 252 + 27742317777372353535851937790883648493
ED = -121665 * pow(121666, -1, EP) % EP
SQRT_M1 = pow(2, (EP - 1) // 4, EP)
WEAK_Y = {0, 1, EP - 1} | {int.from_bytes(bytes.fromhex(h), 'little') for h in (
    '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05',
    'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a')}


def _e_add(p, q):           # extended coordinates, RFC 8032 §5.1.4
    a = (p[1] - p[0]) * (q[1] - q[0]) % EP
    b = (p[1] + p[0]) * (q[1] + q[0]) % EP
    c, d = 2 * p[3] * q[3] * ED % EP, 2 * p[2] * q[2] % EP
    e, f, g, h = b - a, d - c, d + c, b + a
    return e * f % EP, g * h % EP, f * g % EP, e * h % EP


def _e_mul(s, p):
    q = (0, 1, 1, 0)
    while s:
        if s & 1:
            q = _e_add(q, p)
        p, s = _e_add(p, p), s >> 1
    return q


def _e_encode(p):
    zi = pow(p[2], -1, EP)
    x, y = p[0] * zi % EP, p[1] * zi % EP
    return (y | (x & 1) << 255).to_bytes(32, 'little')


def _e_decode(b):           # y already known canonical; x = 0 with sign 1 kept
    y, sign = int.from_bytes(b, 'little') & (2 ** 255 - 1), b[31] >> 7
    u, v = (y * y - 1) % EP, (ED * y * y + 1) % EP
    x = u * pow(v, 3, EP) * pow(u * pow(v, 7, EP), (EP - 5) // 8, EP) % EP
    if (v * x * x - u) % EP:
        if (v * x * x + u) % EP:
            return None     # no square root: not a curve point
        x = x * SQRT_M1 % EP
    if x & 1 != sign:
        x = -x % EP
    return x, y, 1, x * y % EP


_BY = 4 * pow(5, -1, EP) % EP
EB = _e_decode(_BY.to_bytes(32, 'little'))


def ed_sign(seed, msg):     # RFC 8032 §5.1.5-§5.1.6
    h = hashlib.sha512(seed).digest()
    a = int.from_bytes(h[:32], 'little') & (2 ** 254 - 8) | 2 ** 254
    A = _e_encode(_e_mul(a, EB))
    r = int.from_bytes(hashlib.sha512(h[32:] + msg).digest(), 'little') % EL
    R = _e_encode(_e_mul(r, EB))
    k = int.from_bytes(hashlib.sha512(R + A + msg).digest(), 'little') % EL
    return A, R + ((r + k * a) % EL).to_bytes(32, 'little')


def ed_verify(A_b, msg, sig):   # §6.2: every failure is signature_invalid
    bad = Status('signature_invalid')
    if len(A_b) != 32 or len(sig) != 64:    # a text decoder refuses these (§6.2)
        raise Status('encoding')
    y = int.from_bytes(A_b, 'little') & (2 ** 255 - 1)
    if y >= EP or y in WEAK_Y:          # weak keys, before any arithmetic
        raise bad
    S = int.from_bytes(sig[32:], 'little')
    if S >= EL:                         # 1. S >= L
        raise bad
    A = _e_decode(A_b)                  # 2. decode A
    if A is None:
        raise bad
    k = int.from_bytes(hashlib.sha512(sig[:32] + A_b + msg).digest(), 'little') % EL
    minus_kA = _e_mul(k, (-A[0] % EP, A[1], A[2], -A[3] % EP))
    if _e_encode(_e_add(_e_mul(S, EB), minus_kA)) != sig[:32]:   # 4. cofactorless
        raise bad


# --- §2.3, §5.3, §6.2 Text forms: a malformed spelling is 'encoding' ---------

PT, SC = 65, 32             # bytes of a point and of a scalar (§2.2)


def hexb(s, nbytes=None):
    """§2.3: lowercase hex, two characters per byte, nothing else; with nbytes,
    exactly 2·nbytes characters (points, scalars, Ed25519 keys and signatures).
    Variable-length strings (contexts, messages) need only an even count."""
    if not isinstance(s, str) or len(s) % 2 or (nbytes is not None and len(s) != 2 * nbytes):
        raise Status('encoding')
    if any(ch not in '0123456789abcdef' for ch in s):
        raise Status('encoding')
    return bytes.fromhex(s)


def unhex(s):
    """An expected value written in a file (not an input under test)."""
    try:
        return hexb(s)
    except Status:
        raise ValueError('not lowercase hex: %r' % str(s)[:40])


def u32_field(v):           # §5.3 decoding step 1
    if type(v) is not int or not 0 <= v <= 0xffffffff:
        raise Status('encoding')
    return v


def verify_schnorr_proof_json(c):                            # §5.1 from JSON
    schnorr_verify(hexb(c['context']), hexb(c['public_key'], PT),
                   hexb(c['proof']['commitment'], PT), hexb(c['proof']['response'], SC))


def verify_cp_proof_json(c):                                 # §5.2 from JSON
    p = c['proof']
    cp_verify(hexb(c['context']), *(hexb(c[k], PT) for k in ('g1', 'h1', 'g2', 'h2')),
              hexb(p['commitment1'], PT), hexb(p['commitment2'], PT), hexb(p['response'], SC))


def verify_range_json(c):
    """§5.3 "Decoding a serialised range proof", before any other check."""
    lo, hi = u32_field(c['min']), u32_field(c['max'])                 # 1
    br = c['proof']['branches']
    if len(br) != (hi - lo + 1 if lo <= hi else 0):                   # 2
        raise Status('encoding')
    branches = [(hexb(b['a'], PT), hexb(b['b'], PT), hexb(b['challenge'], SC),
                 hexb(b['response'], SC)) for b in br]                 # 3
    range_verify(hexb(c['context']), hexb(c['public_key'], PT),
                 hexb(c['ciphertext']['alpha'], PT), hexb(c['ciphertext']['beta'], PT),
                 lo, hi, branches)


def verify_signature_json(c):                                # §6.1 from JSON
    sig_verify(hexb(c['public_key'], PT), hexb(c['message']),
               hexb(c['signature']['commitment'], PT), hexb(c['signature']['response'], SC))


def verify_ed25519_json(c):                                  # §6.2 from JSON
    ed_verify(hexb(c['public_key'], 32), hexb(c['message']), hexb(c['signature'], 64))


# --- §9 Manifest: the JSON form (§9.4.1), validation (§9.3), fingerprint (§9.5)

def _mf(msg=''):            # every §9.3/§9.4/§9.6 refusal but §9.1's
    return Status('manifest_invalid')


def _jtype(v):              # §9.4.1 step 4, the names of JSON types
    if isinstance(v, dict):
        return 'an object'
    if isinstance(v, list):
        return 'an array'
    if isinstance(v, str):
        return 'a string'
    if isinstance(v, bool):
        return 'a boolean'
    if isinstance(v, int):
        return 'an integer'
    if isinstance(v, float):
        return 'a number with a fraction or exponent'
    return 'null'


def _jansson_ok(v):
    """What Jansson refuses when parsing (§9.4.1 step 2) that Python's json
    accepts: \\u0000, a lone surrogate, an integer outside int64, NaN/Infinity."""
    if isinstance(v, dict):
        for k, x in v.items():
            _jansson_ok(k)
            _jansson_ok(x)
    elif isinstance(v, list):
        for x in v:
            _jansson_ok(x)
    elif isinstance(v, str):
        if '\x00' in v or any(0xd800 <= ord(ch) <= 0xdfff for ch in v):
            raise _mf('parse')
    elif isinstance(v, bool) or v is None:
        pass
    elif isinstance(v, int):
        if not -2 ** 63 <= v < 2 ** 63:
            raise _mf('integer out of range')
    elif isinstance(v, float):
        if v != v or v in (float('inf'), float('-inf')):
            raise _mf('parse')


def _want(v, t):
    if _jtype(v) != t:
        raise _mf('must be %s, not %s' % (t, _jtype(v)))
    return v


def _keys(o, allowed, required):
    _want(o, 'an object')
    if any(k not in allowed for k in o):    # unknown keys first
        raise _mf('unknown key')
    if any(k not in o for k in required):
        raise _mf('missing')


def _text_obj(o):           # {"en": string, "cy": string}; cy may be left out
    _keys(o, ('en', 'cy'), ('en',))
    en = _want(o['en'], 'a string')
    cy = _want(o['cy'], 'a string') if 'cy' in o else ''
    return en.encode('utf-8'), cy.encode('utf-8')


def percent_parse(s):       # §9.6.2, then the canonical spelling of the JSON form
    import re
    mt = re.fullmatch(r'([0-9]{1,3})(\.[0-9])?', s)
    if not mt:
        raise _mf('percentage')
    t = int(mt.group(1)) * 10 + (int(mt.group(2)[1]) if mt.group(2) else 0)
    if t > 1000:
        raise _mf('percentage above 100')
    if s != '%d.%d' % (t // 10, t % 10):
        raise _mf('not canonical')
    return t


def _days_from_civil(y, m, d):  # proleptic Gregorian, days since 1970-01-01
    y -= m <= 2
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def time_parse(s):          # §9.6.3
    import re
    mt = re.fullmatch(r'([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})Z', s)
    if not mt:
        raise _mf('time')
    y, mo, d, hh, mi, ss = map(int, mt.groups())
    leap = y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)
    mdays = [31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    if not (1 <= mo <= 12 and 1 <= d <= mdays[mo - 1] and hh <= 23 and mi <= 59 and ss <= 59):
        raise _mf('time')
    return _days_from_civil(y, mo, d) * 86400 + hh * 3600 + mi * 60 + ss


TV_TIME_MIN, TV_TIME_MAX = -62167219200, 253402300799
MANIFEST_KEYS = ('format', 'election_id', 'council', 'landlord', 'title', 'question', 'options',
                 'transfer_option', 'rule', 'min_turnout_pct', 'supermajority_pct', 'allow_blank',
                 'opens', 'closes', 'channels', 'revote', 'trustees', 'threshold')
CONTACT_KEYS = ('officer', 'address', 'phone', 'email', 'vote_url', 'vote_phone', 'board_url')
CHANNELS = {'online': 1, 'phone': 2, 'postal': 4, 'in_person': 8}


# §9.1 rule 3: the invisible characters, a fixed table (Unicode 15.0)
INVISIBLE = ((0x00AD, 0x00AD), (0x034F, 0x034F), (0x0600, 0x0605), (0x061C, 0x061C),
             (0x06DD, 0x06DD), (0x070F, 0x070F), (0x0890, 0x0891), (0x08E2, 0x08E2),
             (0x115F, 0x1160), (0x17B4, 0x17B5), (0x180B, 0x180F), (0x200B, 0x200F),
             (0x2028, 0x202E), (0x2060, 0x206F), (0x3164, 0x3164), (0xFE00, 0xFE0F),
             (0xFEFF, 0xFEFF), (0xFFA0, 0xFFA0), (0xFFF0, 0xFFFB), (0x110BD, 0x110BD),
             (0x110CD, 0x110CD), (0x13430, 0x1343F), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A),
             (0xE0000, 0xE0FFF))


def _text_check(b, required):   # §9.3 text checks; §9.1
    if required and not b:
        raise _mf('missing or empty')
    if len(b) > 1000:
        raise _mf('more than the 1000 allowed')
    s = b.decode('utf-8')       # well-formed: it came from a str without surrogates
    if any(ord(ch) < 0x20 or 0x7f <= ord(ch) <= 0x9f or 0x202a <= ord(ch) <= 0x202e or
           0x2066 <= ord(ch) <= 0x2069 for ch in s):                   # rule 2
        raise Status('utf8')
    if any(lo <= ord(ch) <= hi for ch in s for lo, hi in INVISIBLE):    # rule 3
        raise Status('utf8')


def _nfc(b):                # §9.3 check 8 compares labels in NFC
    return unicodedata.normalize('NFC', b.decode('utf-8'))


OFFER_KEYS = ('sha256', 'sha256_cy', 'url', 'url_cy')
HEX64 = re.compile(r'[0-9a-f]{64}')


def _url_check(u, board=False):   # §9.2.1 vote_url and board_url, §9.2.2 offer.url
    if not u:
        return
    if len(u) > 1000 or any(not 0x21 <= ch <= 0x7e for ch in u):
        raise _mf('url')
    if not (u.startswith(b'https://') or u.startswith(b'http://')) or b'#' in u:
        raise _mf('url')
    if board and not u.endswith(b'/'):
        raise _mf('url')


def manifest_from_json(o):
    """§9.4.1 steps 2 (what Jansson refuses), 3, 4 and 5 (§9.3), on the parsed
    JSON value.  Step 1 (the byte limit) and duplicate keys need the bytes."""
    _jansson_ok(o)
    # format 2 is format 1 with "contact" and "letters" (§9.2.1), 3 is 2 with "offer" (§9.2.2)
    v3 = isinstance(o, dict) and o.get('format') == 'tenantvote-manifest/3'
    v2 = v3 or (isinstance(o, dict) and o.get('format') == 'tenantvote-manifest/2')
    keys = MANIFEST_KEYS + (('contact', 'letters') if v2 else ()) + (('offer',) if v3 else ())
    _keys(o, keys, ())                      # step 3 and unknown keys
    for k in keys:
        if k not in o:
            raise _mf('%s: missing' % k)
        v = o[k]
        if k == 'format':
            if not v2 and _want(v, 'a string') != 'tenantvote-manifest/1':
                raise _mf('format')
        elif k == 'contact':
            _keys(v, CONTACT_KEYS, CONTACT_KEYS)
            for ck in CONTACT_KEYS:
                _want(v[ck], 'a string')
        elif k == 'letters':
            if _want(v, 'a string') not in ('register', 'bilingual'):
                raise _mf('letters')
        elif k == 'offer':
            _keys(v, OFFER_KEYS, OFFER_KEYS)
            for ok in OFFER_KEYS:
                _want(v[ok], 'a string')
            if not HEX64.fullmatch(v['sha256']):
                raise _mf('offer.sha256')
            if v['sha256_cy'] and not HEX64.fullmatch(v['sha256_cy']):
                raise _mf('offer.sha256_cy')
        elif k in ('election_id', 'council', 'landlord'):
            _want(v, 'a string')
        elif k in ('title', 'question'):
            _text_obj(v)
        elif k == 'options':
            _want(v, 'an array')
            if len(v) > 16:
                raise _mf('options: more than 16')
            for i, e in enumerate(v):
                _keys(e, ('id', 'label'), ('id', 'label'))
                if _want(e['id'], 'an integer') != i + 1:
                    raise _mf('options are numbered 1, 2, ... in order')
                _text_obj(e['label'])
        elif k == 'transfer_option':
            if v is not None:
                _want(v, 'an integer')
                if v == 0:
                    raise _mf('write null when no option means transfer')
                if not 0 < v <= 0xffffffff:     # §9.4.1 gives no range: assumed as trustees
                    raise _mf('out of range')
        elif k in ('rule', 'revote'):
            if _want(v, 'a string') not in (('majority', 'plurality') if k == 'rule' else ('last', 'first')):
                raise _mf(k)
        elif k in ('min_turnout_pct', 'supermajority_pct'):
            if not (v is None and k == 'supermajority_pct'):
                if percent_parse(_want(v, 'a string')) == 0 and k == 'supermajority_pct':
                    raise _mf('write null for none')
        elif k == 'allow_blank':
            _want(v, 'a boolean')
        elif k in ('opens', 'closes'):
            time_parse(_want(v, 'a string'))
        elif k == 'channels':
            _want(v, 'an array')
            for i, ch in enumerate(v):
                if _want(ch, 'a string') not in CHANNELS or ch in v[:i]:
                    raise _mf('channels[%d]' % i)
        elif k in ('trustees', 'threshold'):
            if not 0 <= _want(v, 'an integer') <= 0xffffffff:
                raise _mf('out of range')
    t_en, t_cy = _text_obj(o['title'])
    q_en, q_cy = _text_obj(o['question'])
    mf = {
        'election_id': o['election_id'].encode('utf-8'), 'council': o['council'].encode('utf-8'),
        'landlord': o['landlord'].encode('utf-8'), 'title': (t_en, t_cy), 'question': (q_en, q_cy),
        'options': [_text_obj(e['label']) for e in o['options']],
        'transfer_option': o['transfer_option'] or 0,
        'rule': 1 if o['rule'] == 'majority' else 2,
        'min_turnout_tenths': percent_parse(o['min_turnout_pct']),
        'supermajority_tenths': 0 if o['supermajority_pct'] is None else percent_parse(o['supermajority_pct']),
        'allow_blank': 1 if o['allow_blank'] else 0,
        'opens': time_parse(o['opens']), 'closes': time_parse(o['closes']),
        'channels': sum(CHANNELS[c] for c in o['channels']),
        'revote': 1 if o['revote'] == 'last' else 2,
        'trustees': o['trustees'], 'threshold': o['threshold']}
    if v2:
        mf['contact'] = tuple(o['contact'][k].encode('utf-8') for k in CONTACT_KEYS)
        mf['letters'] = 1 if o['letters'] == 'register' else 2
    if v3:
        of = o['offer']
        mf['offer'] = (bytes.fromhex(of['sha256']), bytes.fromhex(of['sha256_cy']),
                       of['url'].encode('utf-8'), of['url_cy'].encode('utf-8'))
    manifest_validate(mf)
    return mf


def _contact_validate(c):   # §9.3 checks 23 to 30, format 2 only
    officer, address, phone, email, vote_url, vote_phone, board_url = c
    _text_check(officer, True)                                          # 23
    _text_check(address, True)                                          # 24
    for i, n in ((25, phone), (28, vote_phone)):
        if len(n) > 40 or any(ch not in b'0123456789 +()-' for ch in n):
            raise _mf(str(i))
        if n and sum(ch in b'0123456789' for ch in n) < 3:
            raise _mf(str(i))
    if len(email) > 254 or any(not 0x21 <= ch <= 0x7e for ch in email):   # 26
        raise _mf('26')
    if email and (email.count(b'@') != 1 or email.startswith(b'@') or email.endswith(b'@')):
        raise _mf('26')
    _url_check(vote_url)                                                # 27
    _url_check(board_url, board=True)                                   # 29


def manifest_validate(mf):  # §9.3, in order
    eid = mf['election_id']
    if not eid:
        raise _mf('1')
    if len(eid) > 64:
        raise _mf('2')
    if any(ch not in b'abcdefghijklmnopqrstuvwxyz0123456789-' for ch in eid):
        raise _mf('3')
    if eid[:1] == b'-':
        raise _mf('4')
    for b, req in ((mf['council'], True), (mf['landlord'], False), (mf['title'][0], True),
                   (mf['title'][1], False), (mf['question'][0], True), (mf['question'][1], False)):
        _text_check(b, req)                                             # 5
    opts, m = mf['options'], len(mf['options'])
    if not 2 <= m <= 16:
        raise _mf('6')
    for en, cy in opts:                                                 # 7
        _text_check(en, True)
        _text_check(cy, False)
    for j in range(1, m):                                               # 8
        for i in range(j):
            if _nfc(opts[i][0]) == _nfc(opts[j][0]) or \
                    (opts[i][1] and opts[j][1] and _nfc(opts[i][1]) == _nfc(opts[j][1])):
                raise _mf('8')
    welsh = bool(mf['title'][1])                                        # 9
    if bool(mf['question'][1]) != welsh or any(bool(cy) != welsh for _, cy in opts):
        raise _mf('9')
    if mf['transfer_option'] > m:                                       # 10
        raise _mf('10')
    if mf['rule'] not in (1, 2):                                        # 11
        raise _mf('11')
    if mf['rule'] == 1 and mf['transfer_option'] == 0:                  # 12
        raise _mf('12')
    if mf['transfer_option'] and not mf['landlord']:                    # 13
        raise _mf('13')
    if mf['min_turnout_tenths'] > 1000:                                 # 14
        raise _mf('14')
    if mf['supermajority_tenths'] and not 501 <= mf['supermajority_tenths'] <= 1000:
        raise _mf('15')
    for k in ('opens', 'closes'):                                       # 16
        if not TV_TIME_MIN <= mf[k] <= TV_TIME_MAX:
            raise _mf('16')
    if mf['closes'] <= mf['opens']:                                     # 17
        raise _mf('17')
    if mf['channels'] == 0:                                             # 18
        raise _mf('18')
    if mf['channels'] & ~15:                                            # 19
        raise _mf('19')
    if mf['revote'] not in (1, 2):                                      # 20
        raise _mf('20')
    if not 1 <= mf['trustees'] <= 16:                                   # 21
        raise _mf('21')
    if not 1 <= mf['threshold'] <= mf['trustees']:                      # 22
        raise _mf('22')
    if 'contact' in mf:
        _contact_validate(mf['contact'])
    if 'offer' in mf:                                                   # 31 to 33
        sha256, sha256_cy, url, url_cy = mf['offer']
        _url_check(url)
        _url_check(url_cy)
        if sha256_cy and not welsh:
            raise _mf('32')
        if url_cy and not sha256_cy:
            raise _mf('33')


def u64(v):                 # two's complement of an int64 (§9.5)
    return (v % 2 ** 64).to_bytes(8, 'big')


def fingerprint(mf):        # §9.5: 20 + 2m fields, 28 + 2m with contact details, 32 + 2m with the offer
    f = [u32(3 if 'offer' in mf else 2 if 'contact' in mf else 1), mf['election_id'], mf['council'], mf['landlord'], *mf['title'], *mf['question'],
         u32(len(mf['options']))]
    for en, cy in mf['options']:
        f += [en, cy]
    f += [u32(mf['transfer_option']), u32(mf['rule']), u32(mf['min_turnout_tenths']),
          u32(mf['supermajority_tenths']), u32(mf['allow_blank']), u64(mf['opens']), u64(mf['closes']),
          u32(mf['channels']), u32(mf['revote']), u32(mf['trustees']), u32(mf['threshold'])]
    if 'contact' in mf:
        f += [*mf['contact'], u32(mf['letters'])]
    if 'offer' in mf:
        f += [*mf['offer']]
    return H('manifest', *f)


MINIMAL_MANIFEST = {   # §9.7.1
    'format': 'tenantvote-manifest/1', 'election_id': 'test-1', 'council': 'Council',
    'landlord': 'Mutual', 'title': {'en': 'Title', 'cy': ''}, 'question': {'en': 'Question?', 'cy': ''},
    'options': [{'id': 1, 'label': {'en': 'Yes', 'cy': ''}}, {'id': 2, 'label': {'en': 'No', 'cy': ''}}],
    'transfer_option': 1, 'rule': 'majority', 'min_turnout_pct': '0.0', 'supermajority_pct': None,
    'allow_blank': False, 'opens': '2027-01-15T08:00:00Z', 'closes': '2027-01-16T08:00:00Z',
    'channels': ['online', 'postal'], 'revote': 'last', 'trustees': 3, 'threshold': 2}
MINIMAL_FP = '6ce1afeb3b8a44fb2c437675e1f38d916f3096acd64edb7b55ae8f1e9e90a254'
CONTACT_MANIFEST = dict(MINIMAL_MANIFEST, format='tenantvote-manifest/2', letters='bilingual', contact={
    'officer': 'Returning Officer', 'address': 'Civic Centre, Example Street, Exampletown EX1 1AA',
    'phone': '01234 567890', 'email': 'ballot@example.org', 'vote_url': 'https://vote.example.org/',
    'vote_phone': '0800 123 4567', 'board_url': 'https://board.example.org/2027/'})   # §9.7.3
CONTACT_FP = 'bac7af7336ed4a93d13f961c11f74c417414e0d6fa5cfee64d5a4754fa659b70'
OFFER_MANIFEST = dict(CONTACT_MANIFEST, format='tenantvote-manifest/3', offer={   # §9.7.4
    'sha256': 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',   # SHA-256("abc")
    'sha256_cy': '', 'url': 'https://council.example.org/offer.pdf', 'url_cy': ''})
OFFER_FP = '17a325d50ee471c6d1451d60023c8812cdd0191f06889420cc5d54c738d25fb6'


# --- §11 Credentials ----------------------------------------------------------

B32 = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'    # Crockford


def luhn32_symbol(vals):    # §11.1: the check symbol of d_1 … d_k
    s, f = 0, 2
    for v in reversed(vals):
        a = f * v
        s += a // 32 + a % 32
        f = 3 - f
    return (32 - s % 32) % 32


def luhn32_ok(vals):        # §11.1: over all symbols, factor 1 at the check symbol
    s, f = 0, 1
    for v in reversed(vals):
        a = f * v
        s += a // 32 + a % 32
        f = 3 - f
    return s % 32 == 0


def grouped(syms):          # printed form: groups of four joined by '-'
    return '-'.join(syms[i:i + 4] for i in range(0, len(syms), 4))


def code_read(text):
    """§11.1 'Reading a typed code': the 24 canonical symbols, or
    credential_invalid."""
    out = ''
    for ch in text:
        if ch in ' -':
            continue
        if 'a' <= ch <= 'z':
            ch = ch.upper()
        ch = {'O': '0', 'I': '1', 'L': '1'}.get(ch, ch)
        if ch not in B32:
            raise Status('credential_invalid')
        out += ch
    if len(out) != 24:
        raise Status('credential_invalid')
    if not luhn32_ok([B32.index(ch) for ch in out]):
        raise Status('credential_invalid')
    return out


def code_generate(rng):     # §11.1: 23 random bytes, low 5 bits each, then c
    d = [b & 31 for b in rng.raw(23)]
    return grouped(''.join(B32[v] for v in d + [luhn32_symbol(d)]))


def credential_secret(F, code):    # §11.2
    canon = code_read(code).encode()
    for i in range(64):
        x = int.from_bytes(H('credential', F, canon, u32(i)), 'big')
        if 1 <= x < N:
            return x
    raise Status('internal')


# --- §11.5, §11.6, §11.8 The credential authority's signed list ---------------

ISSUE_FORMAT, LIST_FORMAT = 'tenantvote-credential-issue/1', 'tenantvote-credentials/2'
ISSUE_KEYS = ('format', 'election', 'register', 'electorate', 'authority', 'signature', 'credentials')
LIST_KEYS = ('format', 'electorate', 'authority', 'signature', 'credentials')


def list_digest(F, srt):    # §11.5 L, over the sorted pt(X_i): E + 2 fields
    return H('credential-list', F, len(srt).to_bytes(8, 'big'), *srt)


def authority_digest(F, A, L):  # §11.5 S, what the authority signs
    return H('credential-authority', F, A, L)


def ceremony_context(F, A, L):  # §11.6 C
    return H('ceremony-context', F, A, L)


def check_code(X):          # §11.8: the first 40 bits, 5 at a time, "XXXX-XXXX"
    v = int.from_bytes(H('credential-check', X)[:5], 'big')
    syms = ''.join(B32[(v >> (35 - 5 * i)) & 31] for i in range(8))
    return syms[:4] + '-' + syms[4:]


def list_verify(F, o):      # §19.3 check 4 (§18.6 credentials.json), steps 1-4
    if (not isinstance(o, dict) or set(o) != set(LIST_KEYS) or o['format'] != LIST_FORMAT
            or type(o['electorate']) is not int or not isinstance(o['credentials'], list)):
        raise Status('encoding')
    A, sig = hexb(o['authority'], 32), hexb(o['signature'], 64)
    if len(o['credentials']) != o['electorate']:
        raise Status('proof_invalid')
    pts = []
    for s in o['credentials']:
        try:
            b = hexb(s, PT)
            decode_point(b)
        except Status:
            raise Status('encoding')        # "credential i is not a valid point"
        if pts and b <= pts[-1]:
            raise Status('proof_invalid')   # listed twice, or out of order
        pts.append(b)
    L = list_digest(F, pts)
    ed_verify(A, authority_digest(F, A, L), sig)
    return L


def issue_read(F, o):       # §11.5: the issue file, as far as it needs no box
    if not isinstance(o, dict) or set(o) != set(ISSUE_KEYS) or o['format'] != ISSUE_FORMAT:
        raise Status('encoding')
    Fi, D = hexb(o['election'], 32), hexb(o['register'], 32)
    E = o['electorate']
    if type(E) is not int or not 1 <= E <= 1000000:
        raise Status('encoding')
    A, sig = hexb(o['authority'], 32), hexb(o['signature'], 64)
    if not isinstance(o['credentials'], list) or len(o['credentials']) != E:
        raise Status('encoding')
    pts = [hexb(s, PT) for s in o['credentials']]
    for b in pts:
        decode_point(b)                     # the point's own status
    if Fi != F:
        raise Status('wrong_election')
    srt = sorted(pts)
    if any(a == b for a, b in zip(srt, srt[1:])):
        raise Status('proof_invalid')
    ed_verify(A, authority_digest(F, A, list_digest(F, srt)), sig)
    return D, pts


def vector_register_digest(E):  # §10.8 for the register of §8.3's credential_list.json
    fields = []
    for i in range(1, E + 1):
        fields += [b'VT-%03d' % i, b'Tenant %d' % i, b'%d Vector Street' % i, b'secure', b'', b'', b'en']
    return H('register', u32(E), *fields)


# --- §15.1 Ballots ------------------------------------------------------------

BALLOT_FORMAT, CHALLENGED_FORMAT = 'tenantvote-ballot/1', 'tenantvote-challenged-ballot/1'
BRANCH_KEYS = ('a', 'b', 'challenge', 'response')


def _bobj(o, keys):         # §15.1.4: a missing or unknown key at any level
    if not isinstance(o, dict) or set(o) != set(keys):
        raise Status('encoding')
    return o


def _blist(o, n_ok):
    if not isinstance(o, list) or not n_ok(len(o)):
        raise Status('encoding')
    return o


def _branches(lst, n):
    return [tuple(hexb(_bobj(br, BRANCH_KEYS)[k], PT if k in 'ab' else SC) for k in BRANCH_KEYS)
            for br in _blist(lst, lambda k: k == n)]


def ballot_read(o, sig='either'):
    """§15.1.4 reading: every structural and spelling fault is encoding; then
    every point and scalar is decoded (§2.2), in the order of the text.  The
    signature key is absent from a prepared or opened ballot: `sig` is
    'either', 'required' (a board entry, §18.7) or 'forbidden' (§15.1.5)."""
    keys = ('format', 'election', 'credential', 'selections', 'total')
    signed = isinstance(o, dict) and 'signature' in o
    if (sig == 'required' and not signed) or (sig == 'forbidden' and signed):
        raise Status('encoding')
    _bobj(o, keys + (('signature',) if signed else ()))
    if o['format'] != BALLOT_FORMAT:
        raise Status('encoding')
    b = {'F': hexb(o['election'], 32), 'X': hexb(o['credential'], PT)}
    b['sel'] = [(hexb(_bobj(s, ('alpha', 'beta', 'proof'))['alpha'], PT), hexb(s['beta'], PT),
                 _branches(s['proof'], 2))
                for s in _blist(o['selections'], lambda k: 2 <= k <= 16)]
    t = _bobj(o['total'], ('min', 'max', 'proof'))
    lo, hi = t['min'], t['max']
    if type(lo) is not int or type(hi) is not int or not 0 <= lo <= hi <= 1:
        raise Status('encoding')
    b['lo'], b['hi'], b['tot'] = lo, hi, _branches(t['proof'], hi - lo + 1)
    if signed:
        sg = _bobj(o['signature'], ('commitment', 'response'))
        b['R'], b['s'] = hexb(sg['commitment'], PT), hexb(sg['response'], SC)
    decode_point(b['X'])                    # §2's statuses, in the order of the text
    for alpha, beta, brs in b['sel']:
        decode_point(alpha)
        decode_point(beta)
        for br in brs:
            decode_point(br[0]), decode_point(br[1]), decode_scalar(br[2]), decode_scalar(br[3])
    for br in b['tot']:
        decode_point(br[0]), decode_point(br[1]), decode_scalar(br[2]), decode_scalar(br[3])
    if signed:
        decode_point(b['R'])
        decode_scalar(b['s'])
    return b


def ballot_digest(b):       # §15.1.1 D
    f = [b['F'], b['X'], u32(len(b['sel']))]
    for alpha, beta, brs in b['sel']:
        f += [alpha, beta] + [x for br in brs for x in br]
    f += [u32(b['lo']), u32(b['hi'])] + [x for br in b['tot'] for x in br]
    return H('ballot', *f)


def tracking(b):            # §15.1.1 T: over the unsigned ballot
    return H('ballot-tracking', ballot_digest(b))


def tracking_text(T):       # §15.1.2: 75 bits, 15 symbols, Luhn mod 32, 4 groups
    bits = int.from_bytes(T, 'big') >> (256 - 75)
    d = [(bits >> (5 * (14 - k))) & 31 for k in range(15)]
    return grouped(''.join(B32[v] for v in d + [luhn32_symbol(d)]))


def ballot_range(mf):       # §15.1.1: [0, 1] with blanks allowed, else [1, 1]
    return (0 if mf['allow_blank'] else 1), 1


def sel_context(F, X, i):
    return F + X + u32(i)   # 101 bytes


def total_context(F, X):
    return F + X + b'total'     # 102 bytes


def ballot_check(b, mf, fp, K, signed=True):
    """§15.1.3, in order; an opened ballot (§15.1.5) skips step 3."""
    if b['F'] != fp:                                                    # 1
        raise Status('wrong_election')
    if len(b['sel']) != len(mf['options']) or (b['lo'], b['hi']) != ballot_range(mf):
        raise Status('encoding')                                        # 2
    if signed:                                                          # 3: over T
        if 'R' not in b:
            raise Status('signature_invalid')
        sig_verify(b['X'], tracking(b), b['R'], b['s'])
    for i, (alpha, beta, brs) in enumerate(b['sel'], 1):                 # 4
        range_verify(sel_context(b['F'], b['X'], i), K, alpha, beta, 0, 1, brs)
    acc = b['sel'][0][:2]                                               # 5
    for alpha, beta, _ in b['sel'][1:]:
        acc = ct_add(acc, (alpha, beta))
    range_verify(total_context(b['F'], b['X']), K, acc[0], acc[1], b['lo'], b['hi'], b['tot'])


def challenged_check(o, mf, fp, K):
    """§15.1.5.  The statuses of a malformed opened ballot (keys, format,
    choice, nonce count) are not given by the spec: encoding is assumed."""
    _bobj(o, ('format', 'ballot', 'choice', 'nonces'))
    if o['format'] != CHALLENGED_FORMAT:
        raise Status('encoding')
    b = ballot_read(o['ballot'], 'forbidden')   # an opened ballot is never signed
    m = len(b['sel'])
    choice = o['choice']
    if type(choice) is not int or not 0 <= choice <= m:
        raise Status('encoding')
    nonces = [hexb(r, SC) for r in _blist(o['nonces'], lambda k: k == m)]
    rs = [decode_scalar(r) for r in nonces]
    opened_check(b, choice, rs, mf, fp, K)
    return b, choice


def opened_check(b, choice, rs, mf, fp, K):
    """§15.1.5: the proofs (§15.1.3 but its signature step), then each option
    re-encrypted with its nonce (§4.2) is its ciphertext."""
    ballot_check(b, mf, fp, K, signed=False)
    for i, ((alpha, beta, _), r) in enumerate(zip(b['sel'], rs), 1):
        if encrypt(K, 1 if i == choice else 0, None, r)[:2] != (alpha, beta):
            raise Status('proof_invalid')


def ballot_json(b):         # §15.1.4, keys in the order of the spec
    def brs(lst):
        return [dict(zip(BRANCH_KEYS, (x.hex() for x in br))) for br in lst]
    return {'format': BALLOT_FORMAT, 'election': b['F'].hex(), 'credential': b['X'].hex(),
            'selections': [{'alpha': a.hex(), 'beta': be.hex(), 'proof': brs(p)} for a, be, p in b['sel']],
            'total': {'min': b['lo'], 'max': b['hi'], 'proof': brs(b['tot'])}} | (
                {'signature': {'commitment': b['R'].hex(), 'response': b['s'].hex()}} if 'R' in b else {})


def ballot_make(F, K, x, mf, choice, rng, sign=True):
    """§15.1.1 with the draws in its order: per option encrypt (r, t) and the
    bit proof (rho1, rho2 per branch); the total's range proof; z, only when
    the ballot is signed (cast), over T."""
    X = pt(msm((x, G)))
    m = len(mf['options'])
    lo, hi = ballot_range(mf)
    if not (0 <= choice <= m) or (choice == 0 and lo == 1):
        raise Status('invalid_argument')
    b = {'F': F, 'X': X, 'sel': [], 'lo': lo, 'hi': hi}
    rs = []
    for i in range(1, m + 1):
        v = 1 if i == choice else 0
        alpha, beta, r = encrypt(K, v, rng)
        b['sel'].append((alpha, beta, range_prove(sel_context(F, X, i), K, alpha, beta, 0, 1, v, r, rng)))
        rs.append(r)
    acc = b['sel'][0][:2]
    for alpha, beta, _ in b['sel'][1:]:
        acc = ct_add(acc, (alpha, beta))
    b['tot'] = range_prove(total_context(F, X), K, acc[0], acc[1], lo, hi, 1 if choice else 0,
                           sum(rs) % N, rng)
    if sign:
        _, b['R'], b['s'] = sig_sign(x, tracking(b), rng)
    return b, rs


def compact(o):             # "written compactly with the keys in this order"
    return json.dumps(o, separators=(',', ':'), ensure_ascii=False)


def json_diff(got, want, path=''):
    """The first place two JSON values differ (key order included), or None."""
    if isinstance(got, dict) and isinstance(want, dict):
        if list(got) != list(want):
            return '%s: keys %s, want %s' % (path or '.', list(got), list(want))
        for k in got:
            d = json_diff(got[k], want[k], '%s.%s' % (path, k))
            if d:
                return d
        return None
    if isinstance(got, list) and isinstance(want, list):
        if len(got) != len(want):
            return '%s: %d elements, want %d' % (path, len(got), len(want))
        for i, (g, w) in enumerate(zip(got, want)):
            d = json_diff(g, w, '%s[%d]' % (path, i))
            if d:
                return d
        return None
    if type(got) is not type(want) or got != want:
        return '%s: got %s, want %s' % (path, json.dumps(got)[:80], json.dumps(want)[:80])
    return None


def same_json(chk, case, what, got, want):
    d = json_diff(got, want)
    if d:
        chk.errors.append('%s: %s: %s' % (case, what, d))


def read_and_check(o, mf, fp, K):
    if len(compact(o).encode('utf-8')) > 262144:    # §15.1.4, on the compact form
        raise Status('encoding')
    ballot_check(ballot_read(o), mf, fp, K)


# --- §8 Test-vector files -----------------------------------------------------

def show(v):
    if isinstance(v, (tuple, list)):
        return '(' + ', '.join(map(show, v)) + ')'
    return v.hex() if isinstance(v, (bytes, bytearray)) else repr(v)


class Checker:
    """Collects every mismatch of one file, naming the case and the field."""
    def __init__(self):
        self.errors = []

    def same(self, case, what, got, want):
        if got != want:
            self.errors.append('%s: %s: got %s, want %s' % (case, what, show(got), show(want)))

    def expect(self, case, fn, *args):
        self.same(case, 'status', status_of(fn, *args), case.expect)


class Case(str):            # "#3 'branch 0 a off the curve'", carrying the JSON
    def __new__(cls, i, c):
        obj = str.__new__(cls, '#%d %r' % (i, c.get('name', c.get('purpose'))))
        obj.c, obj.expect = c, c.get('expect')
        return obj


def cases(d):
    return [Case(i, c) for i, c in enumerate(d['cases'])]


def honest(d, key):
    """Honest cases: expect ok and carrying their secret (§8.3)."""
    return [c for c in cases(d) if c.expect == 'ok' and key in c.c]


def leading_honest(d):
    """The honest cases come first (§8.4); the tampered ones follow."""
    n = 0
    while n < len(d['cases']) and d['cases'][n].get('expect') == 'ok':
        n += 1
    return n


def public_part(c):         # a case without name, expect and the honest secrets
    return {k: copy.deepcopy(v) for k, v in c.items()
            if k not in ('name', 'expect', 'secret', 'value', 'nonce')}


def compare_cases(chk, what, got, want):
    """The file's cases from some index on, against the ones §8.4 says."""
    for i in range(max(len(got), len(want))):
        g = got[i] if i < len(got) else None
        w = want[i] if i < len(want) else None
        name = (w or g).get('name')
        if g != w:
            if g is None or w is None:
                chk.errors.append('%s #%d %r: %s in the file' % (
                    what, i, name, 'missing' if g is None else 'not described by §8.4, but'))
            else:
                diff = sorted(k for k in set(g) | set(w) if g.get(k) != w.get(k))
                chk.errors.append('%s #%d %r: differs from §8.4 in %s' % (what, i, name, ', '.join(diff)))


# §8.1: the label after the stand-in fingerprint, per file and honest case
LABELS = {
    ('schnorr_proof', 0): b'',
    ('schnorr_proof', 1): b'trustee 2 coefficient 0',
    ('cp_proof', 0): b'trustee 1 partial decryption',
    ('range_proof', 0): b'option 2 of credential X',
    ('range_proof', 1): b'selection total',
    ('range_proof', 2): b'option 1 of credential X',
    ('schnorr_signature', 0): b' ballot digest',
    ('ed25519', 0): b' close head',
}


def fingerprinted(chk, kind, i, c, field, rng):
    """§8.1: fingerprint (one raw 32 draw) followed by the file's fixed label."""
    fp = rng.raw(32)
    want = fp + LABELS.get((kind, i), b'?')
    chk.same(c, 'generated ' + field + ' (fingerprint, label)', unhex(c.c[field]), want)
    return want


# --- §8.4 tampered cases, rebuilt --------------------------------------------

def _get(o, path):
    for k in path:
        o = o[k]
    return o


def _put(o, path, v):
    for k in path[:-1]:
        o = o[k]
    o[path[-1]] = v


def point_plus_G(b):        # "another valid point": P + G
    return pt(msm((1, decode_point(b)), (1, G)))


def layout(kind, base):
    """§8.4 items 1-3 and 4-5: (proof points, proof scalars, statement points,
    context field, invalid status), each point or scalar as (name, JSON path)."""
    if kind == 'schnorr_proof':
        return ([('commitment', ('proof', 'commitment'))], [('response', ('proof', 'response'))],
                [('public_key', ('public_key',))], 'context', 'proof_invalid')
    if kind == 'cp_proof':
        return ([('commitment1', ('proof', 'commitment1')), ('commitment2', ('proof', 'commitment2'))],
                [('response', ('proof', 'response'))],
                [(k, (k,)) for k in ('g1', 'h1', 'g2', 'h2')], 'context', 'proof_invalid')
    if kind == 'range_proof':
        L = base['max'] - base['min'] + 1
        return ([('branch %d %s' % (j, k), ('proof', 'branches', j, k)) for j in range(L) for k in ('a', 'b')],
                [('branch %d %s' % (j, k), ('proof', 'branches', j, k))
                 for j in range(L) for k in ('challenge', 'response')],
                [('public_key', ('public_key',)), ('alpha', ('ciphertext', 'alpha')),
                 ('beta', ('ciphertext', 'beta'))], 'context', 'proof_invalid')
    if kind == 'schnorr_signature':
        return ([('commitment R', ('signature', 'commitment'))], [('response s', ('signature', 'response'))],
                [('public_key', ('public_key',))], 'message', 'signature_invalid')
    raise ValueError(kind)


def expected_tampered(kind, base_case):
    pts, scs, stmt, cfield, invalid = layout(kind, base_case)
    base = public_part(base_case)
    out = []

    def case(name, expect, path, change):       # change: bytes -> bytes
        c = copy.deepcopy(base)
        _put(c, path, change(unhex(_get(c, path))).hex())
        c.update(name=name, expect=expect)
        out.append(c)

    for name, path in pts:                                                   # 1
        case('%s replaced by another valid point' % name, invalid, path, point_plus_G)
        case('%s off the curve' % name, 'point_invalid', path, lambda b: b[:-1] + bytes([b[-1] ^ 1]))
    for name, path in scs:                                                   # 2
        case('%s plus one' % name, invalid, path, lambda b: sc((int.from_bytes(b, 'big') + 1) % N))
        case('%s set to n' % name, 'scalar_range', path, lambda b: sc(N))
    for name, path in stmt:                                                  # 3
        case('statement %s replaced by another valid point' % name, invalid, path, point_plus_G)
    case('%s changed in its first byte' % cfield, invalid, (cfield,),       # 4
         lambda b: bytes([b[0] ^ 1]) + b[1:])
    case('%s one byte shorter' % cfield, invalid, (cfield,), lambda b: b[:-1])   # 5
    if kind == 'range_proof':           # the four range changes of §8.4
        br = base['proof']['branches']
        zero = {'a': '00' * PT, 'b': '00' * PT, 'challenge': '00' * SC, 'response': '00' * SC}
        for name, lo, hi, branches, expect in (
                ('range widened to [0, 2] (no branch 2)', 0, 2, br + [zero], 'encoding'),
                ('range narrowed to [0, 0]', 0, 0, br[:1], 'proof_invalid'),
                ('min above max', 1, 0, [], 'range_invalid'),
                ('branches swapped', 0, 1, [br[1], br[0]], 'proof_invalid')):
            c = copy.deepcopy(base)
            c.update(name=name, expect=expect, min=lo, max=hi)
            c['proof']['branches'] = copy.deepcopy(branches)
            out.append(c)
    return out


def check_tampered(kind, d, chk):
    n = leading_honest(d)
    if n == 0:
        chk.errors.append('no honest case first (§8.4)')
        return
    compare_cases(chk, 'tampered', d['cases'][n:], expected_tampered(kind, d['cases'][n - 1]))


def _xor(b, i):
    return b[:i] + bytes([b[i] ^ 1]) + b[i + 1:]


RFC8032_TEST1_SEED = bytes.fromhex('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60')
T8_ENC = bytes.fromhex('26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05')
ED_IDENTITY = (1).to_bytes(32, 'little')
WEAK_MSG = b'weak key: the trivial forgery R = identity, S = 0'
EDGE_WEAK = [   # §8.4: (name, key); R = identity, S = 0
    ('weak key y = 1, the identity', ED_IDENTITY),
    ('weak key y = 1 with the sign bit set', ((1 << 255) | 1).to_bytes(32, 'little')),
    ('weak key y = 0 (order 4)', bytes(32)),
    ('weak key y = p - 1 (order 2)', (EP - 1).to_bytes(32, 'little')),
    ('weak key y of order 8 (26e8...fc05)', T8_ENC),
    ('weak key y of order 8 (c717...037a)',
     bytes.fromhex('c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a')),
    ('weak key y = p + 1 (non-canonical identity)', (EP + 1).to_bytes(32, 'little')),
]
EDGE_R_IDENTITY = 'R is the identity (small order), S = k*a: verifies'
EDGE_MIXED = 'R with an order-8 component, mixed-order key: verifies (cofactorless)'
EDGE_COFACTORED = 'R with an order-8 component: valid only under the cofactored equation'
EDGE_NC_P1 = 'R non-canonical: the identity as y = p + 1'
EDGE_NC_SIGN = 'R non-canonical: the identity with the sign bit set'


def _sha512_le(*parts):
    return int.from_bytes(hashlib.sha512(b''.join(parts)).digest(), 'little')


def expected_ed25519_edges(msg_of):
    """§8.4, the Ed25519 edge cases, from their description.  msg_of(name)
    gives the message of a non-weak case, which §8.4 leaves to the file."""
    out = [{'name': n, 'expect': 'signature_invalid', 'public_key': k.hex(),
            'message': WEAK_MSG.hex(), 'signature': (ED_IDENTITY + bytes(32)).hex()}
           for n, k in EDGE_WEAK]
    h = hashlib.sha512(RFC8032_TEST1_SEED).digest()
    a = int.from_bytes(h[:32], 'little') & (2 ** 254 - 8) | 2 ** 254
    Ap = _e_mul(a, EB)
    A = _e_encode(Ap)
    T8 = _e_decode(T8_ENC)
    A2 = _e_encode(_e_add(Ap, T8))

    def r_i(M, i):
        return _sha512_le(b'tenantvote/v1/vectors/ed25519 edge r', M, u32(i)) % EL

    def case(name, expect, key, R, S):
        out.append({'name': name, 'expect': expect, 'public_key': key.hex(),
                    'message': msg_of(name).hex(), 'signature': (R + (S % EL).to_bytes(32, 'little')).hex()})

    M = msg_of(EDGE_R_IDENTITY)
    case(EDGE_R_IDENTITY, 'ok', A, ED_IDENTITY, _sha512_le(ED_IDENTITY, A, M) % EL * a)
    M = msg_of(EDGE_MIXED)
    for i in range(256):                # the first i, then the first j, with j = -k mod 8
        r = r_i(M, i)
        for j in (1, 3, 5, 7):
            R = _e_encode(_e_add(_e_mul(r, EB), _e_mul(j, T8)))
            k = _sha512_le(R, A2, M) % EL
            if -k % 8 == j:
                break
        else:
            continue
        break
    case(EDGE_MIXED, 'ok', A2, R, r + k * a)
    M = msg_of(EDGE_COFACTORED)
    r = r_i(M, 0)
    R = _e_encode(_e_add(_e_mul(r, EB), T8))
    case(EDGE_COFACTORED, 'signature_invalid', A, R, r + _sha512_le(R, A, M) % EL * a)
    for name, R in ((EDGE_NC_P1, (EP + 1).to_bytes(32, 'little')),
                    (EDGE_NC_SIGN, ((1 << 255) | 1).to_bytes(32, 'little'))):
        M = msg_of(name)
        case(name, 'signature_invalid', A, R, _sha512_le(R, A, M) % EL * a)
    return out


def cofactored_holds(A_b, msg, sig):
    """[8][S]B = [8]R + [8][k]A (§6.2), for the edge case that needs it."""
    A, R = _e_decode(A_b), _e_decode(sig[:32])
    k = _sha512_le(sig[:32], A_b, msg) % EL
    neg = lambda q: (-q[0] % EP, q[1], q[2], -q[3] % EP)
    d = _e_add(_e_add(_e_mul(int.from_bytes(sig[32:], 'little'), EB), neg(R)), neg(_e_mul(k, A)))
    return _e_encode(_e_mul(8, d)) == ED_IDENTITY


# --- the files ---------------------------------------------------------------

def check_hash(d, chk):                                      # §3, hash.json
    for c in cases(d):
        pre = preimage(c.c['purpose'], *map(unhex, c.c['fields']))
        chk.same(c, 'preimage', pre, unhex(c.c['preimage']))
        chk.same(c, 'digest', hashlib.sha256(pre).digest(), unhex(c.c['digest']))
        chk.same(c, 'digest_mod_n', sc(Hs(c.c['purpose'], *map(unhex, c.c['fields']))),
                 unhex(c.c['digest_mod_n']))
    # §8.3: the last case has a digest >= n.
    last = cases(d)[-1]
    chk.same(last, 'purpose and fields (§8.3)', (last.c['purpose'], last.c['fields']),
             ('pok', [(10740018832).to_bytes(8, 'big').hex()]))
    chk.same(last, 'digest >= n (§8.3)', int.from_bytes(unhex(last.c['digest']), 'big') >= N, True)
    # The worked example of §3.4 (not in the file, but in the spec).
    ctx, A = b'example-election', base_mul(2)
    c = Hs('pok', ctx, pt(G), A)
    chk.same('§3.4', 'c', sc(c), unhex('b72e65caef0cc2f0edb1e1965aec3f77dfcb3384ebf9a5646a6a9c478e34e117'))
    chk.same('§3.4', 'verify', status_of(schnorr_verify, ctx, pt(G), A, sc((2 + c) % N)), 'ok')
    return len(d['cases']), ['digests recomputed', 'digest >= n present', '§3.4 example reproduced']


def check_group(d, chk, rng):                                # §2, group.json
    for kind, fn in (('points', decode_point), ('scalars', decode_scalar)):
        for i, c in enumerate(d[kind]):
            chk.same('%s #%d %r' % (kind, i, c['name']), 'status',
                     status_of(fn, unhex(c['encoding'])), c['expect'])
    for i, c in enumerate(d['base_mul']):
        chk.same('base_mul #%d' % i, 'k·G', base_mul(decode_scalar(unhex(c['k']))), unhex(c['point']))
    # Generation (§8.1): k1..k3 -> points[1..3], k4 -> base_mul[3]; base_mul[0..2] fixed.
    for i in (1, 2, 3):
        chk.same('points #%d' % i, 'generated random point', base_mul(rng.scalar()),
                 unhex(d['points'][i]['encoding']))
    chk.same('base_mul', 'fixed k (§8.1)', [unhex(c['k']) for c in d['base_mul'][:3]],
             [sc(1), sc(2), sc(N - 1)])
    chk.same('base_mul #3', 'generated k', sc(rng.scalar()), unhex(d['base_mul'][3]['k']))
    return len(d['points']) + len(d['scalars']) + len(d['base_mul']), ['k·G recomputed']


def check_elgamal(d, chk, rng):                              # §4, elgamal.json
    x, K = decode_scalar(unhex(d['secret_key'])), unhex(d['public_key'])
    chk.same('secret_key', 'public_key', base_mul(x), K)
    cts = []
    for i, e in enumerate(d['encryptions']):
        ct = (unhex(e['ciphertext']['alpha']), unhex(e['ciphertext']['beta']))
        a, b, _ = encrypt(K, e['value'], None, decode_scalar(unhex(e['nonce'])))
        chk.same('encryption #%d' % i, 'ciphertext', (a, b), ct)
        chk.same('encryption #%d' % i, 'decryption', decrypt(x, a, b, e['value']), e['value'])
        cts.append(ct)
    for i, s in enumerate(d['sums']):
        acc = cts[s['of'][0]]
        for j in s['of'][1:]:
            acc = ct_add(acc, cts[j])
        chk.same('sum #%d' % i, 'sum', acc, (unhex(s['sum']['alpha']), unhex(s['sum']['beta'])))
    # §4.4 / §2.2.1: decryption with x = 0 is refused.
    chk.same('§4.4', 'decrypt with x = 0', status_of(decrypt, 0, *cts[0], 5), 'scalar_range')
    # Generation (§8.1): secret key (scalar), then tv_elgamal_encrypt (r, t) each.
    chk.same('generation', 'secret_key', sc(rng.scalar()), unhex(d['secret_key']))
    for i, e in enumerate(d['encryptions']):
        a, b, r = encrypt(K, e['value'], rng)
        chk.same('generation #%d' % i, 'nonce', sc(r), unhex(e['nonce']))
        chk.same('generation #%d' % i, 'ciphertext', (a, b),
                 (unhex(e['ciphertext']['alpha']), unhex(e['ciphertext']['beta'])))
    return len(d['encryptions']) + len(d['sums']), ['x = 0 refused']


def check_schnorr_proof(d, chk, rng):                        # §5.1
    for c in cases(d):
        chk.expect(c, verify_schnorr_proof_json, c.c)
        if 'secret' in c.c:
            chk.same(c, 'public_key', base_mul(decode_scalar(unhex(c.c['secret']))), unhex(c.c['public_key']))
    check_tampered('schnorr_proof', d, chk)
    for i, c in enumerate(honest(d, 'secret')):   # §8.1: fingerprint, x, prover (w)
        ctx = fingerprinted(chk, 'schnorr_proof', i, c, 'context', rng)
        x = rng.scalar()
        chk.same(c, 'generated secret', sc(x), unhex(c.c['secret']))
        chk.same(c, 'generated (X, A, v)', schnorr_prove(ctx, x, rng),
                 (unhex(c.c['public_key']), unhex(c.c['proof']['commitment']),
                  unhex(c.c['proof']['response'])))
    return len(d['cases']), ['tampered cases rebuilt']


def check_cp_proof(d, chk, rng):                             # §5.2
    names = ('g1', 'h1', 'g2', 'h2')
    for c in cases(d):
        chk.expect(c, verify_cp_proof_json, c.c)
        if 'secret' in c.c:
            st = [unhex(c.c[k]) for k in names]
            x = decode_scalar(unhex(c.c['secret']))
            chk.same(c, 'g1 = G (§8.3)', st[0], pt(G))
            chk.same(c, '(h1, h2) = x·(g1, g2)', (pt(msm((x, G))), pt(msm((x, decode_point(st[2]))))),
                     (st[1], st[3]))
    check_tampered('cp_proof', d, chk)
    for i, c in enumerate(honest(d, 'secret')):
        # §8.1: fingerprint, x, y (g2 = y·G), encrypt_with_nonce(g2, 0, x) (t), prover (w)
        ctx = fingerprinted(chk, 'cp_proof', i, c, 'context', rng)
        x = rng.scalar()
        chk.same(c, 'generated secret', sc(x), unhex(c.c['secret']))
        g2 = base_mul(rng.scalar())
        h2 = encrypt(g2, 0, rng, x)[1]
        st = (pt(G), base_mul(x), g2, h2)
        chk.same(c, 'generated statement', st, tuple(unhex(c.c[k]) for k in names))
        chk.same(c, 'generated proof', cp_prove(ctx, *st, x, rng),
                 tuple(unhex(c.c['proof'][k]) for k in ('commitment1', 'commitment2', 'response')))
        # §5.2 prover step 3: x = 0 is refused (before any draw).
        before = rng.i
        chk.same(c, 'prove with x = 0', status_of(cp_prove, ctx, *st, 0, rng), 'scalar_range')
        chk.same(c, 'draws by a refused prover', rng.i, before)
    return len(d['cases']), ['tampered cases rebuilt', 'x = 0 refused']


def check_range_proof(d, chk, rng):                          # §5.3
    for c in cases(d):
        chk.expect(c, verify_range_json, c.c)
        if 'nonce' in c.c:
            K = unhex(c.c['public_key'])
            ct = (unhex(c.c['ciphertext']['alpha']), unhex(c.c['ciphertext']['beta']))
            chk.same(c, 'ciphertext from value and nonce',
                     encrypt(K, c.c['value'], None, decode_scalar(unhex(c.c['nonce'])))[:2], ct)
    check_tampered('range_proof', d, chk)
    for i, c in enumerate(honest(d, 'nonce')):  # §8.1: fingerprint, s, encrypt (r, t), 2L draws
        ctx = fingerprinted(chk, 'range_proof', i, c, 'context', rng)
        K = base_mul(rng.scalar())
        chk.same(c, 'generated public_key', K, unhex(c.c['public_key']))
        a, b, r = encrypt(K, c.c['value'], rng)
        chk.same(c, 'generated nonce', sc(r), unhex(c.c['nonce']))
        chk.same(c, 'generated ciphertext', (a, b),
                 (unhex(c.c['ciphertext']['alpha']), unhex(c.c['ciphertext']['beta'])))
        lo, hi, m = c.c['min'], c.c['max'], c.c['value']
        # §5.3 prover steps 2 and 4: r = 0 and a false statement are refused
        # before any draw (§7.4).
        before = rng.i
        chk.same(c, 'prove with r = 0', status_of(range_prove, ctx, K, a, b, lo, hi, m, 0, rng),
                 'scalar_range')
        other = lo + (m - lo + 1) % (hi - lo + 1)
        chk.same(c, 'prove a false value', status_of(range_prove, ctx, K, a, b, lo, hi, other, r, rng),
                 'invalid_argument')
        chk.same(c, 'draws by a refused prover', rng.i, before)
        chk.same(c, 'generated branches', range_prove(ctx, K, a, b, lo, hi, m, r, rng),
                 [tuple(unhex(br[k]) for k in ('a', 'b', 'challenge', 'response'))
                  for br in c.c['proof']['branches']])
    # §5.3 decoding rules, on a copy of the first case (not in the file).
    c0 = d['cases'][0]
    for what, change, want in (
            ('one branch missing', lambda c: c['proof']['branches'].pop(), 'encoding'),
            ('one branch too many', lambda c: c['proof']['branches'].append(c['proof']['branches'][0]), 'encoding'),
            ('min = -1', lambda c: c.update(min=-1), 'encoding'),
            ('max = 2^32', lambda c: c.update(max=2 ** 32), 'encoding'),
            ('min not an integer', lambda c: c.update(min=0.5), 'encoding'),
            ('uppercase hex in the context', lambda c: c.update(context=c['context'].upper()), 'encoding'),
            ('context of odd length', lambda c: c.update(context=c['context'][:-1]), 'encoding'),
            ('min > max + 1, no branches', lambda c: (c.update(min=5, max=0), c['proof'].update(branches=[])),
             'range_invalid')):
        c = copy.deepcopy(c0)
        change(c)
        chk.same('§5.3 decoding', what, status_of(verify_range_json, c), want)
    return len(d['cases']), ['tampered cases rebuilt', 'zero nonce and false statement refused before drawing',
                             '§5.3 decoding rules']


def check_schnorr_signature(d, chk, rng):                    # §6.1
    for c in cases(d):
        chk.expect(c, verify_signature_json, c.c)
        if 'secret' in c.c:
            chk.same(c, 'public_key', base_mul(decode_scalar(unhex(c.c['secret']))), unhex(c.c['public_key']))
    check_tampered('schnorr_signature', d, chk)
    for i, c in enumerate(honest(d, 'secret')):   # §8.1: fingerprint, x, then z (raw 32)
        msg = fingerprinted(chk, 'schnorr_signature', i, c, 'message', rng)
        x = rng.scalar()
        chk.same(c, 'generated secret', sc(x), unhex(c.c['secret']))
        chk.same(c, 'generated (X, R, s)', sig_sign(x, msg, rng),
                 (unhex(c.c['public_key']), unhex(c.c['signature']['commitment']),
                  unhex(c.c['signature']['response'])))
    return len(d['cases']), ['tampered cases rebuilt']


def check_ed25519(d, chk, rng):                              # §6.2
    for c in cases(d):
        chk.expect(c, verify_ed25519_json, c.c)
        if 'secret' in c.c:
            A, msg, sig = (unhex(c.c[k]) for k in ('public_key', 'message', 'signature'))
            chk.same(c, 'signing from the seed', ed_sign(unhex(c.c['secret']), msg), (A, sig))
    # Generation (§8.1): fingerprint, keygen (raw 32), keygen for "another public key".
    c = cases(d)[0]
    fingerprinted(chk, 'ed25519', 0, c, 'message', rng)
    chk.same(c, 'generated seed', rng.raw(32), unhex(c.c.get('secret', '')))
    other = ed_sign(rng.raw(32), b'')[0]
    # §8.4: the tampered cases and the edge cases, rebuilt.
    base = public_part(c.c)
    sig, msg = unhex(base['signature']), unhex(base['message'])
    S = int.from_bytes(sig[32:], 'little')
    want = [dict(base, name=n, expect='signature_invalid', **kw) for n, kw in (
        ('R changed', {'signature': _xor(sig, 0).hex()}),
        ('S changed', {'signature': _xor(sig, 40).hex()}),
        ('S + L (non-canonical S)', {'signature': (sig[:32] + (S + EL).to_bytes(32, 'little')).hex()}),
        ('message changed', {'message': _xor(msg, 3).hex()}),
        ('another public key', {'public_key': other.hex()}))]
    by_name = {x['name']: x for x in d['cases']}

    def msg_of(name):
        if name not in by_name:
            return b''
        return unhex(by_name[name]['message'])
    want += expected_ed25519_edges(msg_of)
    compare_cases(chk, 'tampered and edge', d['cases'][1:], want)
    if EDGE_COFACTORED in by_name:      # what the case is there to show (§6.2)
        e = by_name[EDGE_COFACTORED]
        chk.same(EDGE_COFACTORED, 'cofactored equation holds',
                 cofactored_holds(unhex(e['public_key']), unhex(e['message']), unhex(e['signature'])), True)
    # Extra: RFC 8032 §7.1 test 1; and the §2.3/§6.2 text rules (not in the file).
    t1 = ed_sign(RFC8032_TEST1_SEED, b'')
    chk.same('RFC 8032 test 1', '(public key, signature)', t1, tuple(map(bytes.fromhex, (
        'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
        'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155'
        '5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b'))))
    for what, key, value in (('key of 31 bytes', 'public_key', c.c['public_key'][:-2]),
                             ('signature of 65 bytes', 'signature', c.c['signature'] + '00'),
                             ('uppercase hex in the signature', 'signature', c.c['signature'].upper()),
                             ('message hex of odd length', 'message', c.c['message'][:-1])):
        chk.same('§6.2 encodings', what, status_of(verify_ed25519_json, dict(c.c, **{key: value})), 'encoding')
    return len(d['cases']), ['tampered and edge cases rebuilt', 'text encodings']


def check_ballot(d, chk, rng):                               # §15.1, ballot.json
    notes = []
    # (1) the manifest (§9.4) and its fingerprint (§9.5).
    mf = manifest_from_json(d['manifest'])
    fp = fingerprint(mf)
    chk.same('manifest', 'fingerprint (§9.5)', fp, unhex(d['fingerprint']))
    chk.same('§9.7.1', 'minimal manifest fingerprint', fingerprint(manifest_from_json(MINIMAL_MANIFEST)),
             unhex(MINIMAL_FP))
    chk.same('§9.7.3', 'manifest with contact details', fingerprint(manifest_from_json(CONTACT_MANIFEST)),
             unhex(CONTACT_FP))
    for key, value in (('board_url', 'https://board.example.org/2027'), ('email', 'ballot'),
                       ('officer', ''), ('vote_url', 'https://vote.example.org/#x')):
        bad = copy.deepcopy(CONTACT_MANIFEST)
        bad['contact'][key] = value
        chk.same('§9.3', 'contact.%s %r refused' % (key, value),
                 status_of(manifest_from_json, bad), 'manifest_invalid')
    chk.same('§9.7.4', 'manifest with the offer document', fingerprint(manifest_from_json(OFFER_MANIFEST)),
             unhex(OFFER_FP))
    for key, value in (('sha256', ''), ('sha256', 'BA' + OFFER_MANIFEST['offer']['sha256'][2:]),
                       ('sha256_cy', OFFER_MANIFEST['offer']['sha256']),    # no Welsh texts
                       ('url_cy', 'https://council.example.org/cynnig.pdf'),  # no Welsh document
                       ('url', 'ftp://council.example.org/offer.pdf')):
        bad = copy.deepcopy(OFFER_MANIFEST)
        bad['offer'][key] = value
        chk.same('§9.3', 'offer.%s %r refused' % (key, value),
                 status_of(manifest_from_json, bad), 'manifest_invalid')
    bad = copy.deepcopy(OFFER_MANIFEST)
    bad['offer']['url'] = 'https://council.example.org/other.pdf'
    chk.same('§9.5', 'another offer address, another fingerprint',
             fingerprint(manifest_from_json(bad)) != unhex(OFFER_FP), True)
    # §9.1 rule 3 and §9.3 check 8: an invisible character; labels equal in NFC
    bad = copy.deepcopy(MINIMAL_MANIFEST)
    bad['options'][1]['label']['en'] = 'Yes\u200b'
    chk.same('§9.1', 'a zero-width space refused', status_of(manifest_from_json, bad), 'utf8')
    bad['options'][0]['label']['en'], bad['options'][1]['label']['en'] = 'T\u0177', 'Ty\u0302'
    chk.same('§9.3', 'labels equal in NFC refused', status_of(manifest_from_json, bad), 'manifest_invalid')
    rev = dict(reversed(list(copy.deepcopy(MINIMAL_MANIFEST).items())))
    for k in ('title', 'question'):
        del rev[k]['cy']
    for o in rev['options']:
        del o['label']['cy']
    rev['channels'] = ['postal', 'online']
    chk.same('§9.7.1', 'the same values spelt otherwise', fingerprint(manifest_from_json(rev)),
             unhex(MINIMAL_FP))
    # The election key.
    K = unhex(d['election_key'])
    chk.same('election_key', 'K = x·G', base_mul(decode_scalar(unhex(d['election_secret_key']))), K)
    # (2) the credential (§11): the code's check symbol, then X.
    chk.same('code', 'read (§11.1: 24 symbols, Luhn mod 32)', status_of(code_read, d['code']), 'ok')
    x = credential_secret(fp, d['code'])
    chk.same('code', 'credential X (§11.2)', pt(msm((x, G))), unhex(d['credential']))
    canon = code_read(d['code'])
    chk.same('code', 'printed form (§11.1)', d['code'], grouped(canon))
    for what, typed, want in (
            ('lower case, spaces', d['code'].lower().replace('-', ' '), 'ok'),
            ('O for 0, I and L for 1', canon.replace('0', 'O').replace('1', 'l'), 'ok'),
            ('one symbol mistyped', B32[(B32.index(canon[5]) + 1) % 32].join((canon[:5], canon[6:])),
             'credential_invalid'),
            ('23 symbols', canon[:-1], 'credential_invalid'),
            ('a U', 'U' + canon[1:], 'credential_invalid')):
        chk.same('§11.1 reading', what, status_of(code_read, typed), want)
    chk.same('§11.4', 'X', pt(msm((credential_secret(bytes(32), '0' * 24), G))), unhex(
        '049e11aed95418282944e0c91ccc9501d282c7d65ae91d708d453919e8913c1f69'
        'e92fd436d190b012f75276d3964c037d58aa37084036eeae9bb5b996f71eed8c'))
    # (3) every case: read (§15.1.4), check (§15.1.3), compare the status.
    xK = decode_scalar(unhex(d['election_secret_key']))
    for c in cases(d):
        chk.expect(c, read_and_check, c.c['ballot'], mf, fp, K)
        if c.expect == 'ok':
            b = ballot_read(c.c['ballot'])
            T = tracking(b)
            chk.same(c, 'tracking T (§15.1.1)', T, unhex(c.c['tracking']))
            chk.same(c, 'tracking_text (§15.1.2)', tracking_text(T), c.c['tracking_text'])
            chk.same(c, 'credential is X', b['X'], unhex(d['credential']))
            # The selections decrypt (§4.4, with the election secret key) to the choice.
            chk.same(c, 'decrypted selections', [decrypt(xK, a, be, 1) for a, be, _ in b['sel']],
                     [1 if i == c.c['choice'] else 0 for i in range(1, len(b['sel']) + 1)])
    # (4) the opened ballot (§15.1.5), choice 2.
    ch = d['challenged']
    chk.same('challenged', 'choice (§8.3)', ch.get('choice'), 2)
    chk.same('challenged', 'status', status_of(challenged_check, ch, mf, fp, K), 'ok')
    for what, change, want in (
            ('another choice', lambda o: o.update(choice=1), 'proof_invalid'),
            ('nonces swapped', lambda o: o['nonces'].reverse(), 'proof_invalid'),
            ('a zero nonce', lambda o: o['nonces'].__setitem__(0, '00' * SC), 'scalar_range')):
        o = copy.deepcopy(ch)
        change(o)
        chk.same('§15.1.5 opened ballot', what, status_of(challenged_check, o, mf, fp, K), want)
    # §15.1.4 reading rules, on copies of the first case (not in the file).
    b0 = d['cases'][0]['ballot']
    for what, change, want in (
            ('unknown key', lambda o: o.update(colour='red'), 'encoding'),
            ('missing key', lambda o: o.pop('total'), 'encoding'),
            ('unsigned (prepared, not cast)', lambda o: o.pop('signature'), 'signature_invalid'),
            ('unknown key in a branch', lambda o: o['total']['proof'][0].update(x='00'), 'encoding'),
            ('format', lambda o: o.update(format='tenantvote-ballot/2'), 'encoding'),
            ('one selection', lambda o: o['selections'].pop(), 'encoding'),
            ('17 selections', lambda o: o['selections'].extend(o['selections'][:1] * 15), 'encoding'),
            ('3 selections (not m)', lambda o: o['selections'].append(o['selections'][0]), 'encoding'),
            ('3 branches in a bit proof', lambda o: o['selections'][0]['proof'].append(
                o['selections'][0]['proof'][0]), 'encoding'),
            ('total max 2', lambda o: o['total'].update(max=2), 'encoding'),
            ('total min 0.0', lambda o: o['total'].update(min=0.0), 'encoding'),
            ('total min false', lambda o: o['total'].update(min=False), 'encoding'),
            ('uppercase hex', lambda o: o.update(election=o['election'].upper()), 'encoding'),
            ('election of 31 bytes', lambda o: o.update(election=o['election'][2:]), 'encoding'),
            ('alpha off the curve', lambda o: o['selections'][0].update(
                alpha=o['selections'][0]['alpha'][:-1] + '%x' % (int(o['selections'][0]['alpha'][-1], 16) ^ 1)),
             'point_invalid'),
            ('credential prefix 02', lambda o: o.update(credential='02' + o['credential'][2:]), 'encoding'),
            ('signature response n', lambda o: o['signature'].update(response=sc(N).hex()), 'scalar_range')):
        o = copy.deepcopy(b0)
        change(o)
        chk.same('§15.1.4 reading', what, status_of(read_and_check, o, mf, fp, K), want)
    notes += ['manifest fingerprint recomputed (§9.5, and §9.7.1)', 'credential derived (§11, and §11.4)',
              'tracking codes recomputed', 'opened ballot checked', '§15.1.4 reading rules']
    # (5) generation (§8.3): election secret key, code, honest ballots, re-signing, opened ballot.
    xe = rng.scalar()
    chk.same('generation', 'election_secret_key', sc(xe), unhex(d['election_secret_key']))
    Kg = base_mul(xe)
    code = code_generate(rng)
    chk.same('generation', 'code', code, d['code'])
    xg = credential_secret(fp, code)
    hon = [c for c in cases(d) if c.expect == 'ok']
    chk.same('generation', 'honest cases first (§8.3)', [c.expect for c in cases(d)[:len(hon)]],
             ['ok'] * len(hon))
    first = None
    for c in hon:
        b, _ = ballot_make(fp, Kg, xg, mf, c.c['choice'], rng)
        first = first or b
        same_json(chk, c, 'generated ballot', ballot_json(b), c.c['ballot'])
        chk.same(c, 'generated tracking', tracking(b).hex(), c.c['tracking'])
    if first is None:
        chk.errors.append('no honest case')
        return len(d['cases']), notes
    # The tampered cases of §8.3, in its order, from the first honest ballot.
    base = ballot_json(first)
    want = []

    def tamper(expect, fn):
        o = copy.deepcopy(base)
        fn(o)
        want.append((expect, o))
    tamper('signature_invalid', lambda o: o['selections'].reverse())
    tamper('wrong_election', lambda o: o.update(election=_xor(first['F'], 0).hex()))
    tamper('encoding', lambda o: (o['total'].update(min=1), o['total']['proof'].pop(0)))
    tamper('signature_invalid', lambda o: o['signature'].update(
        response=sc((int.from_bytes(first['s'], 'big') + 1) % N).hex()))
    code2 = code_generate(rng)              # another code (raw 23), then z (raw 32)
    x2 = credential_secret(fp, code2)
    b2 = dict(first, X=pt(msm((x2, G))))
    _, b2['R'], b2['s'] = sig_sign(x2, tracking(b2), rng)
    want.append(('proof_invalid', ballot_json(b2)))
    got = d['cases'][len(hon):]
    for i in range(max(len(got), len(want))):
        g = got[i] if i < len(got) else None
        w = want[i] if i < len(want) else None
        where = 'tampered #%d' % (len(hon) + i)
        if g is None or w is None:
            chk.errors.append('%s: %s' % (where, 'missing in the file' if g is None else 'not described by §8.3'))
            continue
        chk.same(where, 'expect (§8.3)', g.get('expect'), w[0])
        same_json(chk, where, 'ballot differs from §8.3', g.get('ballot'), w[1])
        if set(g) != {'name', 'expect', 'ballot'} or not isinstance(g.get('name'), str) or not g['name']:
            chk.errors.append('%s: fields %s, want name, expect, ballot (§8.3)' % (where, sorted(g)))
    # The opened ballot, choice 2.
    b, rs = ballot_make(fp, Kg, xg, mf, 2, rng, sign=False)
    same_json(chk, 'challenged', 'generated', {'format': CHALLENGED_FORMAT, 'ballot': ballot_json(b),
                                               'choice': 2, 'nonces': [sc(r).hex() for r in rs]}, ch)
    notes += ['honest, tampered and opened ballots regenerated byte for byte (compact JSON)']
    return len(d['cases']), notes


def check_credential_list(d, chk, rng):                       # §11.5, §11.6, §11.8
    notes = []
    mf = manifest_from_json(d['manifest'])
    F = fingerprint(mf)
    chk.same('manifest', 'fingerprint (§9.5) = election', F, unhex(d['election']))
    seed, A = unhex(d['authority_secret']), unhex(d['authority'])
    chk.same('authority', 'public key of the seed (§6.2)', ed_sign(seed, b'')[0], A)
    for c in cases(d):
        chk.expect(c, list_verify, F, c.c['list'])
    n_hon = leading_honest(d)
    hon = cases(d)[:n_hon]
    # Generation (§8.1): the authority's seed, then each register's codes.
    chk.same('generation', 'authority_secret (raw 32)', rng.raw(32), seed)
    last = None
    for c in hon:
        E = len(c.c.get('letters', []))
        codes = [code_generate(rng) for _ in range(E)]
        X = [pt(msm((credential_secret(F, code), G))) for code in codes]
        srt = sorted(X)
        L = list_digest(F, srt)
        S = authority_digest(F, A, L)
        sig = ed_sign(seed, S)[1]
        Cc = ceremony_context(F, A, L)
        chk.same(c, 'name', c.c['name'], '%d tenant%s' % (E, '' if E == 1 else 's'))
        same_json(chk, c, 'letters (§11.1, §11.2, §11.8)', c.c['letters'],
                  [{'code': code, 'check_code': check_code(x), 'credential': x.hex()}
                   for code, x in zip(codes, X)])
        same_json(chk, c, 'issue file (§11.5)', c.c['issue'], {
            'format': ISSUE_FORMAT, 'election': F.hex(), 'register': vector_register_digest(E).hex(),
            'electorate': E, 'authority': A.hex(), 'signature': sig.hex(),
            'credentials': [x.hex() for x in X]})
        last = {'format': LIST_FORMAT, 'electorate': E, 'authority': A.hex(), 'signature': sig.hex(),
                'credentials': [x.hex() for x in srt]}
        same_json(chk, c, 'credentials.json (§18.6)', c.c['list'], last)
        chk.same(c, 'list_digest L', unhex(c.c['list_digest']), L)
        chk.same(c, 'signed_digest S', unhex(c.c['signed_digest']), S)
        chk.same(c, 'ceremony_context C', unhex(c.c['ceremony_context']), Cc)
        chk.same(c, 'issue file read (§11.5)', status_of(issue_read, F, c.c['issue']), 'ok')
        # Extra (not in the file): the issue file's own refusals of §11.5.
        o = c.c['issue']
        for what, change, want in (
                ('in another order', {'credentials': o['credentials'][::-1]}, 'ok'),
                ('election changed', {'election': _xor(F, 0).hex()}, 'wrong_election'),
                ('a credential twice', {'credentials': o['credentials'][:1] * E}, 'proof_invalid' if E > 1 else 'ok'),
                ('electorate 0', {'electorate': 0, 'credentials': []}, 'encoding'),
                ('signature changed', {'signature': _xor(sig, 0).hex()}, 'signature_invalid')):
            chk.same('%s issue file' % c, what, status_of(issue_read, F, dict(o, **change)), want)
    if last is None:
        chk.errors.append('no honest case')
        return len(d['cases']), notes
    # The tampered cases of §8.4, from the last honest list; one more code drawn.
    Xo = pt(msm((credential_secret(F, code_generate(rng)), G))).hex()
    cr, sig = last['credentials'], unhex(last['signature'])

    def tampered(name, expect, **change):
        return {'name': name, 'expect': expect, 'list': dict(copy.deepcopy(last), **change)}
    want = [tampered('signature byte 0 changed (in R)', 'signature_invalid', signature=_xor(sig, 0).hex()),
            tampered('signature byte 40 changed (in S)', 'signature_invalid', signature=_xor(sig, 40).hex()),
            tampered('credential 3 swapped for another after signing (sorted again)', 'signature_invalid',
                     credentials=sorted(cr[:2] + [Xo] + cr[3:])),
            tampered('credentials 2 and 3 swapped (the list unsorted)', 'proof_invalid',
                     credentials=cr[:1] + [cr[2], cr[1]] + cr[3:]),
            tampered('credential 2 replaced by credential 1 (listed twice)', 'proof_invalid',
                     credentials=[cr[0]] + cr[:1] + cr[2:])]
    compare_cases(chk, 'tampered', d['cases'][n_hon:], want)
    notes += ['manifest fingerprint, authority key, codes, credentials, check codes, L, S, C, '
              'signatures, issue files and lists recomputed', 'tampered cases rebuilt',
              'issue file refusals']
    return len(d['cases']), notes


KINDS = {  # kind: (section, checker, replays the generator?)
    'hash': ('§3', check_hash, False),
    'group': ('§2', check_group, True),
    'elgamal': ('§4', check_elgamal, True),
    'schnorr_proof': ('§5.1', check_schnorr_proof, True),
    'cp_proof': ('§5.2', check_cp_proof, True),
    'range_proof': ('§5.3', check_range_proof, True),
    'schnorr_signature': ('§6.1', check_schnorr_signature, True),
    'ed25519': ('§6.2', check_ed25519, True),
    'ballot': ('§15.1', check_ballot, True),
    'credential_list': ('§11.5', check_credential_list, True),
}


def check_file(path, chk, seen):
    def no_duplicates(pairs):       # §9.4.1, §15.1.4: a duplicate key is refused
        keys = [k for k, _ in pairs]
        if len(set(keys)) != len(keys):
            raise ValueError('duplicate key in %s' % keys)
        return dict(pairs)
    with open(path, encoding='utf-8') as f:
        d = json.load(f, object_pairs_hook=no_duplicates)
    kind = d.get('kind')
    seen.add(kind)
    if kind not in KINDS:
        raise ValueError('unknown kind %r' % kind)
    section, fn, gen = KINDS[kind]
    for key, want in (('spec', 'tenantvote SPEC v1'), ('section', section),   # §8.2
                      ('seed', 'tenantvote/v1/vectors/' + kind)):
        chk.same('file', key, d.get(key), want)
    if gen:
        n, notes = fn(d, chk, Drbg(d['seed'].encode()))
        notes = notes + ['generation reproduced']
    else:
        n, notes = fn(d, chk)
    return '%d cases ok, %s' % (n, ', '.join(['honest values recomputed'] + notes))


def main():
    if len(sys.argv) != 2:
        sys.exit('usage: check_vectors.py <vectors-dir>')
    vdir = sys.argv[1]
    passed = failed = 0
    seen = set()
    for name in sorted(f for f in os.listdir(vdir) if f.endswith('.json')):
        chk = Checker()
        try:
            summary = check_file(os.path.join(vdir, name), chk, seen)
        except (Status, ValueError, KeyError, TypeError, IndexError) as e:
            chk.errors.append('could not check: %s %s' % (type(e).__name__, e))
        if chk.errors:
            failed += 1
            for err in chk.errors:
                print('%s: %s' % (name, err))
            print('%s: FAILED (%d mismatches)' % (name, len(chk.errors)))
        else:
            passed += 1
            print('%s: %s' % (name, summary))
    for kind in sorted(set(KINDS) - seen):
        failed += 1
        print('no file of kind %r (§8.3)' % kind)
    print('%d passed, %d failed' % (passed, failed))
    sys.exit(1 if failed else 0)


if __name__ == '__main__':
    main()
