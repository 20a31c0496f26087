#!/usr/bin/env python3
"""Independent checker for the tenantvote test vectors (tests/vectors/*.json).

Written from docs/SPEC.md (§1-§8, Appendix A) alone, without the C sources, to
show that the specification suffices.  Standard library only.

    python3 check_vectors.py <vectors-dir>

For every file: checks each case's `expect`, recomputes every honest value,
and (for the files made from random draws) replays the deterministic generator
of §7.3 in the order of §7.4/§8.1 and compares the honest values byte for byte.
"""
import hashlib
import json
import os
import sys


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


def decrypt(x, a_b, b_b, vmax):  # §4.4
    if x >= N:
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
    if x >= N:
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
    if len(branches) != L:  # SPEC gap: "MUST carry exactly L branches", no status
        raise Status('encoding')
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
    if r >= N:
        raise Status('scalar_range')
    if pt(msm((r, G))) != al_b:         # r = 0 gives point_invalid via pt()
        raise Status('invalid_argument')
    t, L = m - lo, hi - lo + 1
    rho, com = [], []
    for j in range(L):                  # step 4: rho1_j then rho2_j
        r1, r2 = rng.scalar(), rng.scalar()
        rho.append((r1, r2))
        if j == t:
            com.append((pt(msm((r2, G))), pt(msm((r2, K)))))
        else:               # gamma_j = beta - m_j·G
            com.append((pt(msm((r2, G), (-r1, alpha))),
                        pt(msm((r2, K), (-r1, beta), (r1 * (lo + j), G)))))
    if msm((1, beta), (-m, G)) != msm((r, K)):   # step 5, after the draws
        raise Status('invalid_argument')
    c = Hs('range', ctx, K_b, al_b, be_b, u32(lo), u32(hi), *[x for ab in com for x in ab])
    ct = (c - sum(r1 for j, (r1, _) in enumerate(rho) if j != t)) % N
    return [com[j] + ((sc(ct), sc((rho[j][1] + ct * r) % N)) if j == t
                      else (sc(rho[j][0]), sc(rho[j][1]))) for j in range(L)]


# --- §6.1 Schnorr signatures on P-256 ----------------------------------------

def sig_verify(X_b, msg, R_b, s_b):  # SPEC: §6.1 says "< 2^32" for msg, but checks 2^24
    if len(msg) > 16777216:
        raise Status('invalid_argument')
    X, R, s = decode_point(X_b), decode_point(R_b), decode_scalar(s_b)
    e = Hs('sig', X_b, R_b, msg)
    eq(msm((s, G), (-e, X)), R, 'signature_invalid')


def sig_sign(x, msg, rng):
    if len(msg) > 16777216:
        raise Status('invalid_argument')
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
    if len(A_b) != 32 or len(sig) != 64:
        raise bad
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


# --- §8 Test-vector files -----------------------------------------------------

def unhex(s):
    """§2.3 spelling: lowercase hex only.  Bytes of any length are returned and
    the function under test rejects a bad length or value (§8.2)."""
    if len(s) % 2 or any(ch not in '0123456789abcdef' for ch in s):
        raise ValueError('not lowercase hex: %r' % s[:40])
    return bytes.fromhex(s)


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


def check_tampered(d, chk):
    """§8.1: a tampered case changes one part of the last honest case before it.
    Only "differs from it" is checked: §8.4 does not say how each part changes."""
    def flat(o, path=''):
        if isinstance(o, dict):
            return {k2: v2 for k, v in o.items() if k not in ('name', 'expect', 'secret', 'value', 'nonce')
                    for k2, v2 in flat(v, path + '.' + k).items()}
        if isinstance(o, list):
            return {k2: v2 for i, v in enumerate(o) for k2, v2 in flat(v, '%s[%d]' % (path, i)).items()}
        return {path: o}
    base = None
    for c in cases(d):
        if c.expect == 'ok':
            base = flat(c.c)
        elif base is None or flat(c.c) == base:
            chk.errors.append('%s: tampered case does not differ from an honest case before it' % c)


def branches(c):
    return [tuple(unhex(b[k]) for k in ('a', 'b', 'challenge', 'response'))
            for b in c['proof']['branches']]


def check_hash(d, chk):                                      # §3, hash.json
    for c in cases(d):
        pre = preimage(c.c['purpose'], *map(unhex, c.c['fields']))
        chk.same(c, 'preimage', pre, unhex(c.c['preimage']))
        chk.same(c, 'digest', hashlib.sha256(pre).digest(), unhex(c.c['digest']))
        chk.same(c, 'digest_mod_n', sc(Hs(c.c['purpose'], *map(unhex, c.c['fields']))),
                 unhex(c.c['digest_mod_n']))
    # The worked example of §3.4 (not in the file, but in the spec).
    ctx, A = b'example-election', base_mul(2)
    c = Hs('pok', ctx, pt(G), A)
    chk.same('§3.4', 'c', sc(c), unhex('b72e65caef0cc2f0edb1e1965aec3f77dfcb3384ebf9a5646a6a9c478e34e117'))
    chk.same('§3.4', 'verify', status_of(schnorr_verify, ctx, pt(G), A, sc((2 + c) % N)), 'ok')
    return len(d['cases']), ['digests recomputed', '§3.4 example reproduced']


def check_group(d, chk):                                     # §2, group.json
    for kind, fn in (('points', decode_point), ('scalars', decode_scalar)):
        for i, c in enumerate(d[kind]):
            chk.same('%s #%d %r' % (kind, i, c['name']), 'status',
                     status_of(fn, unhex(c['encoding'])), c['expect'])
    for i, c in enumerate(d['base_mul']):
        chk.same('base_mul #%d' % i, 'k·G', base_mul(decode_scalar(unhex(c['k']))), unhex(c['point']))
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
    # Generation (§8.1): secret key (scalar), then tv_elgamal_encrypt (r, t) each.
    chk.same('generation', 'secret_key', sc(rng.scalar()), unhex(d['secret_key']))
    for i, e in enumerate(d['encryptions']):
        a, b, r = encrypt(K, e['value'], rng)
        chk.same('generation #%d' % i, 'nonce', sc(r), unhex(e['nonce']))
        chk.same('generation #%d' % i, 'ciphertext', (a, b),
                 (unhex(e['ciphertext']['alpha']), unhex(e['ciphertext']['beta'])))
    return len(d['encryptions']) + len(d['sums']), []


def fingerprinted(chk, c, field, rng):
    """§8.1: the first 32 bytes of each context (message) are one raw draw."""
    given = unhex(c.c[field])
    fp = rng.raw(32)
    chk.same(c, 'generated fingerprint in ' + field, fp, given[:32])
    return fp + given[32:]


def check_schnorr_proof(d, chk, rng):                        # §5.1
    for c in cases(d):
        args = [unhex(c.c[k]) for k in ('context', 'public_key')] + \
               [unhex(c.c['proof'][k]) for k in ('commitment', 'response')]
        chk.expect(c, schnorr_verify, *args)
        if 'secret' in c.c:
            chk.same(c, 'public_key', base_mul(decode_scalar(unhex(c.c['secret']))), args[1])
    for c in honest(d, 'secret'):     # generation: fingerprint, secret x, then prover (w)
        ctx = fingerprinted(chk, c, 'context', rng)
        x = rng.scalar()
        chk.same(c, 'generated secret', sc(x), unhex(c.c['secret']))
        chk.same(c, 'generated (X, A, v)', schnorr_prove(ctx, x, rng),
                 (unhex(c.c['public_key']), unhex(c.c['proof']['commitment']),
                  unhex(c.c['proof']['response'])))
    return len(d['cases']), []


def check_cp_proof(d, chk, rng):                             # §5.2
    names = ('g1', 'h1', 'g2', 'h2')
    for c in cases(d):
        st = [unhex(c.c[k]) for k in names]
        pf = [unhex(c.c['proof'][k]) for k in ('commitment1', 'commitment2', 'response')]
        chk.expect(c, cp_verify, unhex(c.c['context']), *st, *pf)
        if 'secret' in c.c:
            x = decode_scalar(unhex(c.c['secret']))
            chk.same(c, 'g1 = G (§8.3)', st[0], pt(G))
            chk.same(c, '(h1, h2) = x·(g1, g2)', (pt(msm((x, G))), pt(msm((x, decode_point(st[2]))))),
                     (st[1], st[3]))
    for c in honest(d, 'secret'):
        # Generation.  SPEC gap: §8 does not say how g2 is made.  Observed: one
        # tv_elgamal_encrypt (scalar r, scalar t) after x, and g2 = its alpha.
        ctx = fingerprinted(chk, c, 'context', rng)
        x = rng.scalar()
        chk.same(c, 'generated secret', sc(x), unhex(c.c['secret']))
        g2 = encrypt(pt(G), 0, rng)[0]
        st = (pt(G), pt(msm((x, G))), g2, pt(msm((x, decode_point(g2)))))
        chk.same(c, 'generated statement', st, tuple(unhex(c.c[k]) for k in names))
        chk.same(c, 'generated proof', cp_prove(ctx, *st, x, rng),
                 tuple(unhex(c.c['proof'][k]) for k in ('commitment1', 'commitment2', 'response')))
    return len(d['cases']), []


def check_range_proof(d, chk, rng):                          # §5.3
    for c in cases(d):
        K, ct = unhex(c.c['public_key']), (unhex(c.c['ciphertext']['alpha']), unhex(c.c['ciphertext']['beta']))
        chk.expect(c, range_verify, unhex(c.c['context']), K, *ct, c.c['min'], c.c['max'], branches(c.c))
        if 'nonce' in c.c:
            chk.same(c, 'ciphertext from value and nonce',
                     encrypt(K, c.c['value'], None, decode_scalar(unhex(c.c['nonce'])))[:2], ct)
    for c in honest(d, 'nonce'):     # fingerprint, key secret, tv_elgamal_encrypt (r, t), 2L draws
        ctx = fingerprinted(chk, c, 'context', rng)
        K = base_mul(rng.scalar())
        chk.same(c, 'generated public_key', K, unhex(c.c['public_key']))
        a, b, r = encrypt(K, c.c['value'], rng)
        chk.same(c, 'generated nonce', sc(r), unhex(c.c['nonce']))
        chk.same(c, 'generated ciphertext', (a, b),
                 (unhex(c.c['ciphertext']['alpha']), unhex(c.c['ciphertext']['beta'])))
        chk.same(c, 'generated branches',
                 range_prove(ctx, K, a, b, c.c['min'], c.c['max'], c.c['value'], r, rng), branches(c.c))
    return len(d['cases']), []


def check_schnorr_signature(d, chk, rng):                    # §6.1
    for c in cases(d):
        X, msg = unhex(c.c['public_key']), unhex(c.c['message'])
        chk.expect(c, sig_verify, X, msg, unhex(c.c['signature']['commitment']),
                   unhex(c.c['signature']['response']))
        if 'secret' in c.c:
            chk.same(c, 'public_key', base_mul(decode_scalar(unhex(c.c['secret']))), X)
    for c in honest(d, 'secret'):     # fingerprint (message prefix), secret x, then z (raw 32)
        msg = fingerprinted(chk, c, 'message', rng)
        x = rng.scalar()
        chk.same(c, 'generated secret', sc(x), unhex(c.c['secret']))
        chk.same(c, 'generated (X, R, s)', sig_sign(x, msg, rng),
                 (unhex(c.c['public_key']), unhex(c.c['signature']['commitment']),
                  unhex(c.c['signature']['response'])))
    return len(d['cases']), []


def check_ed25519(d, chk, rng):                              # §6.2
    for c in cases(d):
        A, msg, sig = (unhex(c.c[k]) for k in ('public_key', 'message', 'signature'))
        chk.expect(c, ed_verify, A, msg, sig)
        if 'secret' in c.c:
            chk.same(c, 'signing from the seed', ed_sign(unhex(c.c['secret']), msg), (A, sig))
    # Extra: RFC 8032 §7.1 test 1, and the identity key with the trivial forgery.
    t1 = ed_sign(bytes.fromhex('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60'), b'')
    chk.same('RFC 8032 test 1', '(public key, signature)', t1, tuple(map(bytes.fromhex, (
        'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
        'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155'
        '5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b'))))
    ident = (1).to_bytes(32, 'little')
    chk.same('identity key', 'status', status_of(ed_verify, ident, b'x', ident + bytes(32)), 'signature_invalid')
    for c in honest(d, 'secret'):     # fingerprint (message prefix), then keygen (raw 32)
        fingerprinted(chk, c, 'message', rng)
        chk.same(c, 'generated seed', rng.raw(32), unhex(c.c['secret']))
    for c in cases(d):      # SPEC gap: not described; observed: the next keygen
        if c.c['name'] == 'another public key':
            chk.same(c, 'generated other key', ed_sign(rng.raw(32), b'')[0], unhex(c.c['public_key']))
    return len(d['cases']), []


KINDS = {  # kind: (section, checker, replays the generator?)
    'hash': ('§3', check_hash, False),
    'group': ('§2', check_group, False),
    'elgamal': ('§4', check_elgamal, True),
    'schnorr_proof': ('§5.1', check_schnorr_proof, True),
    'cp_proof': ('§5.2', check_cp_proof, True),
    'range_proof': ('§5.3', check_range_proof, True),
    'schnorr_signature': ('§6.1', check_schnorr_signature, True),
    'ed25519': ('§6.2', check_ed25519, True),
}


def check_file(path, chk, seen):
    with open(path, encoding='utf-8') as f:
        d = json.load(f)
    kind = d.get('kind')
    seen.add(kind)
    if kind not in KINDS:
        raise ValueError('unknown kind %r' % kind)
    section, fn, gen = KINDS[kind]
    for key, want in (('spec', 'tenantvote SPEC v1'), ('section', section),   # §8.2
                      ('seed', 'tenantvote/v1/vectors/' + kind)):
        chk.same('file', key, d.get(key), want)
    if 'cases' in d and kind != 'hash':
        check_tampered(d, chk)
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
