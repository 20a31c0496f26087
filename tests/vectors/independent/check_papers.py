#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Independent implementation of the ballot papers of SPEC §15.8.

Written from docs/SPEC.md §15.8 and the sections it references (§3 hashing,
§4 ElGamal, §11.1 the code alphabet and its Luhn mod 32 check symbol, §11.5
the credential list digest L, §15.1 ballots and tracking codes, §15.2 the
chain, §15.6 spoilt reasons), without the C sources, to show that the
specification suffices.  The primitives (P-256, H, ElGamal, proofs, Ed25519,
the ballot reader) are check_vectors.py's.  Standard library only.

    python3 check_papers.py              self-tests on synthetic data
    python3 check_papers.py RECORD [K]   the paper checks of a record folder
                                         (K: the election key, 130 hex, to
                                         use instead of trustees.json's)

The record's paper file is `papers.json` (not yet in §18.1):

    {"format":"tenantvote-papers/1","authority":"<A>","signature":"<sig>",
     "papers":[{"paper":"<h>","credential":"<pt(X)>","commit":"<c>"},…],
     "opened":["<o>",…]}

papers ascending by h; openings ascending by their paper's h.
"""
import copy
import json
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check_vectors as cv  # noqa: E402
from check_vectors import B32, G, H, N, PT, SC, Status, msm, pt, u32  # noqa: E402

ID_DATA = 19                # symbols of data in an identifier: 95 bits
CODE_SYMBOLS = 4            # a short code: 20 bits, no check symbol
PAPERS_FORMAT = 'tenantvote-papers/1'
PAPERS_KEYS = ('format', 'authority', 'signature', 'papers', 'opened')
PAPER_KEYS = ('paper', 'credential', 'commit')
PAPER_BALLOT_FORMAT = 'tenantvote-paper-ballot/1'
PAPER_BALLOT_KEYS = ('format', 'paper', 'ballot', 'others')
PAPER_SPOILT_FORMAT = 'tenantvote-paper-spoilt/1'
PAPER_SPOILT_KEYS = ('format', 'election', 'paper', 'credential', 'reason')
SPOILT_FORMAT = 'tenantvote-spoilt/1'
REASONS = {'no-official-mark': 1, 'more-than-one-answer': 2,      # §15.6
           'identifies-voter': 3, 'unmarked-or-void': 4}
CHANGE_OPS = {'credential-added': 4, 'credential-revoked': 5}       # §11.7


# --- §15.8.1 The derivations --------------------------------------------------

def _symbols(digest, count):
    """The first 5·count bits of a digest, most significant first, as
    alphabet values (§11.1)."""
    bits = int.from_bytes(digest, 'big') >> (8 * len(digest) - 5 * count)
    return [(bits >> (5 * (count - 1 - k))) & 31 for k in range(count)]


def paper_id(F, o):
    """§15.8.1 id: 95 bits of H("paper-id"; F, o) as 19 symbols, then their
    Luhn mod 32 check symbol (§11.1, as for d_1 … d_23).  Gives the 20
    canonical symbols and the printed form ABCD-EFGH-JKMN-PQRS-TVWX."""
    d = _symbols(H('paper-id', F, o), ID_DATA)
    ident = ''.join(B32[v] for v in d + [cv.luhn32_symbol(d)])
    return ident, cv.grouped(ident)


def _read_symbols(text, count):
    """§11.1 'Reading a typed code' without its length and check: spaces and
    '-' skipped, lower case read as upper, O as 0, I and L as 1."""
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
    if len(out) != count:
        raise Status('credential_invalid')
    return out


def paper_id_read(text):
    """§15.8.1: an identifier is read as §11.1 reads a code: 20 symbols and
    a valid check symbol, else credential_invalid.  Gives the canonical id."""
    ident = _read_symbols(text, ID_DATA + 1)
    if not cv.luhn32_ok([B32.index(ch) for ch in ident]):
        raise Status('credential_invalid')
    return ident


def handle(F, ident):
    """§15.8.1 h = H("paper"; F, id), id as its 20 ASCII symbols (the
    canonical ones: a printed or typed spelling is read first)."""
    return H('paper', F, paper_id_read(ident).encode('ascii'))


def paper_nonce(F, o, a, i):
    """§15.8.1 r_a,i: the first int(H("paper-nonce"; F, o, u32be(a),
    u32be(i), u32be(j))) in [1, n−1], j = 0 … 63.  Sixty-four failures are
    not specified (never seen): internal, as §11.2 says for x."""
    for j in range(64):
        r = int.from_bytes(H('paper-nonce', F, o, u32(a), u32(i), u32(j)), 'big')
        if 1 <= r < N:
            return r
    raise Status('internal')


def vector_ciphertexts(F, K, o, a, m):
    """§15.8.1 V_a's encryptions: for i = 1..m, (r·G, v_i·G + r·K) with
    r = r_a,i and v_i = 1 if i = a else 0 (a = 0: the blank answer)."""
    out = []
    for i in range(1, m + 1):
        alpha, beta, _ = cv.encrypt(K, 1 if i == a else 0, None, paper_nonce(F, o, a, i))
        out.append((alpha, beta))
    return out


def vector_digest(F, m, cts):
    """§15.8.1 e_a = H("paper-vector"; F, u32be(m), pt(α_1), pt(β_1), …)."""
    if len(cts) != m:
        raise Status('invalid_argument')
    return H('paper-vector', F, u32(m), *[x for ab in cts for x in ab])


def short_code(e):
    """§15.8.1 code_a: the first 20 bits of e_a as 4 symbols."""
    return ''.join(B32[v] for v in _symbols(e, CODE_SYMBOLS))


def short_code_read(text):
    """§15.8.4: 4 symbols 'read as §11.1 reads a code'.  A short code has no
    check symbol, so only the spelling rules apply (an ambiguity)."""
    return _read_symbols(text, CODE_SYMBOLS)


def commitment(F, h, X, es):
    """§15.8.1 c = H("paper-commit"; F, h, pt(X), u32be(k), e_(1), …, e_(k)),
    the k digests in ascending (unsigned byte) order."""
    return H('paper-commit', F, h, X, u32(len(es)), *sorted(es))


def paper_list_digest(F, A, L, papers):
    """§15.8.2 P = H("paper-list"; F, A, L, u64be(N), h_1, pt(X_1), c_1, …),
    the papers (h, pt(X), c) sorted by h."""
    srt = sorted(papers)
    return H('paper-list', F, A, L, len(srt).to_bytes(8, 'big'), *[f for p in srt for f in p])


def board_start(F, P):
    """§15.8.2: head_0 = H("board-start-papers"; F, P) for an election with papers."""
    return H('board-start-papers', F, P)


def answers_of(m, allow_blank):
    """§15.8.1: the answers 1, …, m, then 0 when blank ballots are allowed."""
    return list(range(1, m + 1)) + ([0] if allow_blank else [])


def _check_answers(answers):
    m = sum(1 for a in answers if a != 0)
    if list(answers) not in (answers_of(m, False), answers_of(m, True)) or m < 1:
        raise Status('invalid_argument')
    return m


def distinct_codes(es):
    """§15.8.1: the k short codes of a paper are all different."""
    codes = [short_code(e) for e in es]
    if len(set(codes)) != len(codes):
        raise Status('proof_invalid')
    return codes


def open_paper(F, K, X, o, answers):
    """§15.8.6 'Anyone then checks an opening': from o, id and h; from the
    nonces, each answer's encryption and e_a; the codes different; c.
    Gives (h, id, {answer: code}, c); different codes or the caller compares c."""
    m = _check_answers(answers)
    cv.decode_point(X)
    ident, _ = paper_id(F, o)
    h = handle(F, ident)
    es = [vector_digest(F, m, vector_ciphertexts(F, K, o, a, m)) for a in answers]
    codes = distinct_codes(es)
    return h, ident, dict(zip(answers, codes)), commitment(F, h, X, es)


# --- The authority's side (§15.8.1 V_a, §15.8.6 o_t): for the self-tests ------

def opening_for(W, t, F, K, X, answers):
    """§15.8.6 o_t = H("paper-seed"; W, u32be(t), u32be(j)) for the first j
    whose paper has k different short codes."""
    j = 0
    while True:
        o = H('paper-seed', W, u32(t), u32(j))
        try:
            open_paper(F, K, X, o, answers)
            return o
        except Status as s:
            if s.name != 'proof_invalid':
                raise
        j += 1


def paper_ballot(F, K, X, o, a, m, lo, hi, rng):
    """§15.8.1 V_a: the unsigned ballot (§15.1.1) for X and choice a, option
    i encrypted with r_a,i, its proofs made with fresh randomness."""
    b = {'F': F, 'X': X, 'sel': [], 'lo': lo, 'hi': hi}
    rs = []
    for i in range(1, m + 1):
        v, r = (1 if i == a else 0), paper_nonce(F, o, a, i)
        alpha, beta, _ = cv.encrypt(K, v, None, r)
        b['sel'].append((alpha, beta, cv.range_prove(cv.sel_context(F, X, i), K, alpha, beta, 0, 1,
                                                     v, r, rng)))
        rs.append(r)
    acc = b['sel'][0][:2]
    for alpha, beta, _ in b['sel'][1:]:
        acc = cv.ct_add(acc, (alpha, beta))
    b['tot'] = cv.range_prove(cv.total_context(F, X), K, acc[0], acc[1], lo, hi, 1 if a else 0,
                              sum(rs) % N, rng)
    return b


def make_paper(F, K, X, o, answers, lo, hi, rng):
    """A paper as the authority makes it: id, h, every V_a and e_a, c."""
    m = _check_answers(answers)
    ident, printed = paper_id(F, o)
    h = handle(F, ident)
    ballots = {a: paper_ballot(F, K, X, o, a, m, lo, hi, rng) for a in answers}
    es = {a: vector_digest(F, m, [s[:2] for s in b['sel']]) for a, b in ballots.items()}
    return {'o': o, 'id': ident, 'printed': printed, 'h': h, 'X': X, 'ballots': ballots, 'e': es,
            'codes': {a: short_code(e) for a, e in es.items()},
            'c': commitment(F, h, X, list(es.values()))}


# --- Tracking codes of every kind of board entry (§15.1.1, §15.6, §11.7, §15.8.4)

def spoilt_tracking(o):
    """§15.6: S = H("spoilt"; F, pt(X), u32be(reason)); T = H("spoilt-tracking";
    S, pt(R_s), sc(s)).  Gives (X, T)."""
    cv._bobj(o, ('format', 'election', 'credential', 'reason', 'signature'))
    if o['format'] != SPOILT_FORMAT or o['reason'] not in REASONS:
        raise Status('encoding')
    sg = cv._bobj(o['signature'], ('commitment', 'response'))
    Fe, X = cv.hexb(o['election'], 32), cv.hexb(o['credential'], PT)
    R, s = cv.hexb(sg['commitment'], PT), cv.hexb(sg['response'], SC)
    cv.decode_point(X), cv.decode_point(R), cv.decode_scalar(s)
    S = H('spoilt', Fe, X, u32(REASONS[o['reason']]))
    return X, H('spoilt-tracking', S, R, s)


def change_tracking(kind, o):
    """§11.7: T = H("credential-change-tracking"; u32be(op), pt(X), signature)."""
    cv._bobj(o, ('credential', 'signature'))
    X, sig = cv.hexb(o['credential'], PT), cv.hexb(o['signature'], 64)
    cv.decode_point(X)
    return X, H('credential-change-tracking', u32(CHANGE_OPS[kind]), X, sig)


def paper_ballot_read(o, k):
    """§15.8.4 kind `paper`: {"format","paper","ballot","others"}; the ballot
    unsigned (§15.1.4), others k − 1 digests ascending.  Gives (h, b, others)."""
    cv._bobj(o, PAPER_BALLOT_KEYS)
    if o['format'] != PAPER_BALLOT_FORMAT:
        raise Status('encoding')
    h = cv.hexb(o['paper'], 32)
    b = cv.ballot_read(o['ballot'], 'forbidden')
    others = [cv.hexb(e, 32) for e in cv._blist(o['others'], lambda n: n == k - 1)]
    return h, b, others


def paper_spoilt_read(F, o):
    """§15.8.4 kind `paper-spoilt`: {"format","election","paper","credential",
    "reason"}, paper the 20 canonical symbols of the identifier.  Gives (id, h,
    X, reason) and T = H("paper-spoilt-tracking"; F, h, u32be(reason)), F the
    entry's own election (check 7 compares it with the record's)."""
    cv._bobj(o, PAPER_SPOILT_KEYS)
    if o['format'] != PAPER_SPOILT_FORMAT or o['reason'] not in REASONS:
        raise Status('encoding')
    F = cv.hexb(o['election'], 32)
    ident = o['paper']
    if not isinstance(ident, str) or paper_id_read(ident) != ident:
        raise Status('encoding')        # not the 20 canonical symbols
    X = cv.hexb(o['credential'], PT)
    cv.decode_point(X)
    h = handle(F, ident)
    reason = REASONS[o['reason']]
    return ident, h, X, reason, H('paper-spoilt-tracking', F, h, u32(reason))


def entry_tracking(F, kind, o, k):
    """T of a board entry for the chain (§18.7, §15.8.4), and its credential."""
    if kind == 'ballot':
        b = cv.ballot_read(o, 'required')
        return b['X'], cv.tracking(b)
    if kind == 'spoilt':
        return spoilt_tracking(o)
    if kind == 'opened':
        b = cv.ballot_read(cv._bobj(o, ('format', 'ballot', 'choice', 'nonces'))['ballot'], 'forbidden')
        return b['X'], cv.tracking(b)
    if kind in CHANGE_OPS:
        return change_tracking(kind, o)
    if kind == 'paper':
        _, b, _ = paper_ballot_read(o, k)
        return b['X'], cv.tracking(b)
    if kind == 'paper-spoilt':
        _, _, X, _, T = paper_spoilt_read(F, o)
        return X, T
    raise Status('encoding')


def chain_step(head, p, T, c, t):
    """§15.2: head_p = H("board"; head_{p−1}, u64be(p), T_p, u32be(c_p), u64be(t_p))."""
    return H('board', head, p.to_bytes(8, 'big'), T, u32(c), cv.u64(t))


# --- The record ------------------------------------------------------------

def _no_dups(pairs):
    keys = [k for k, _ in pairs]
    if len(set(keys)) != len(keys):
        raise ValueError('duplicate key')
    return dict(pairs)


def _load(path):
    with open(path, 'rb') as f:
        return json.loads(f.read().decode('utf-8'), object_pairs_hook=_no_dups)


def election_key(trustees, n):
    """K = Σ_i C_i0 (§12.2), C_i0 the first coefficient commitment of each
    REVEAL; every RESULT's election_key must be it.  This is NOT the ceremony's
    verification (§12.5.3: proofs, signatures, transcript): §19.3 check 3
    does that.  Gives (K, problems)."""
    probs = []
    if not isinstance(trustees, dict) or trustees.get('format') != 'tenantvote-ceremony-transcript/1':
        return None, ['trustees.json: not a tenantvote-ceremony-transcript/1 transcript']
    reveals, results = trustees.get('reveals'), trustees.get('results')
    if not isinstance(reveals, list) or not isinstance(results, list) or len(reveals) != n:
        return None, ['trustees.json: not %d reveal messages' % n]
    try:
        acc = None
        for rv in reveals:
            C0 = cv.decode_point(cv.hexb(rv['coefficients'][0]['commitment'], PT))
            acc = C0 if acc is None else msm((1, acc), (1, C0))
        K = pt(acc)
    except (Status, KeyError, IndexError, TypeError) as e:
        return None, ['trustees.json: the election key cannot be derived (%s)' % e]
    for i, rs in enumerate(results, 1):
        if not isinstance(rs, dict) or rs.get('election_key') != K.hex():
            probs.append('trustees.json: result %d does not give K = Σ C_i0' % i)
    return K, probs


def check_record_papers(record_dir, K=None):
    """The paper checks of a record folder.  Gives a list of problems, each a
    sentence naming its file and line; empty when the record passes.  K, if
    given, is the election key (pt(K)) to use instead of trustees.json's."""
    probs = []

    def path(name):
        return os.path.join(record_dir, name)

    def load(name):
        try:
            return _load(path(name))
        except (OSError, ValueError, UnicodeDecodeError) as e:
            probs.append('%s: cannot be read (%s)' % (name, e))
            return None

    rec, man, cred, pap = (load(n) for n in ('record.json', 'manifest.json', 'credentials.json',
                                              'papers.json'))
    try:
        F = cv.hexb(rec['election'], 32)
    except (Status, TypeError, KeyError):
        return probs + ['record.json: no election fingerprint: nothing checked']
    try:
        mf = cv.manifest_from_json(man)
        if cv.fingerprint(mf) != F:
            probs.append("manifest.json: its fingerprint is not record.json's election")
    except (Status, TypeError, KeyError, ValueError) as e:
        return probs + ['manifest.json: not a manifest (%s): nothing checked' % e]
    m, answers = len(mf['options']), answers_of(len(mf['options']), mf['allow_blank'])
    k = len(answers)
    if K is None:
        trustees = load('trustees.json')
        if trustees is not None:
            K, kp = election_key(trustees, mf['trustees'])
            probs += kp
    if K is None:
        probs.append('no election key: the paper ballots\' proofs and the openings are not checked')
    try:
        L = cv.list_verify(F, cred)
        A = cv.hexb(cred['authority'], 32)
        listed = set(cv.hexb(x, PT) for x in cred['credentials'])
    except (Status, TypeError, KeyError) as e:
        return probs + ['credentials.json: not a signed credential list (%s): papers not checked' % e]

    # papers.json (§15.8.2, the record's form of §15.8.3's list)
    papers = {}                     # h -> (X, c)
    opened = []
    P = None
    try:
        # the authority's seal of the openings (§15.8.6) is there once imported
        cv._bobj(pap, PAPERS_KEYS + (('seal',) if 'seal' in pap else ()))
        seal = None
        if 'seal' in pap:
            sl = cv._bobj(pap['seal'], ('entries', 'head', 'signature'))
            if type(sl['entries']) is not int or not 0 <= sl['entries'] < 2 ** 32:
                raise Status('encoding')
            seal = (sl['entries'], cv.hexb(sl['head'], 32), cv.hexb(sl['signature'], 64))
        if pap['format'] != PAPERS_FORMAT:
            raise Status('encoding')
        if cv.hexb(pap['authority'], 32) != A:
            probs.append("papers.json: authority is not credentials.json's: the list is not the "
                         "credential authority's")
        sig = cv.hexb(pap['signature'], 64)
        rows = []
        for e in cv._blist(pap['papers'], lambda n: True):
            cv._bobj(e, PAPER_KEYS)
            rows.append((cv.hexb(e['paper'], 32), cv.hexb(e['credential'], PT), cv.hexb(e['commit'], 32)))
        opened = [cv.hexb(o, 32) for o in cv._blist(pap['opened'], lambda n: True)]
    except (Status, TypeError) as e:
        return probs + ['papers.json: not a tenantvote-papers/1 list (%s)' % e]
    if not rows:
        probs.append('papers.json: lists no paper (a box imports 1 to 1000000)')
    seen_x = {}
    for n, (h, X, c) in enumerate(rows, 1):
        if n > 1 and h <= rows[n - 2][0]:
            probs.append('papers.json: paper %d: handles not in strictly ascending order' % n)
        try:
            cv.decode_point(X)
        except Status:
            probs.append('papers.json: paper %d: credential is not a point' % n)
        if X in seen_x:
            probs.append('papers.json: paper %d: its credential is paper %d\'s too' % (n, seen_x[X]))
        seen_x.setdefault(X, n)
        if X not in listed:
            probs.append('papers.json: paper %d: its credential is not on the signed credential list' % n)
        papers.setdefault(h, (X, c))
    P = paper_list_digest(F, A, L, rows)
    try:
        cv.ed_verify(A, P, sig)
    except Status:
        probs.append("papers.json: the signature does not verify over P under credentials.json's authority")

    # board.jsonl: the chain from head_0 = H("board-start-papers"; F, P), the paper entries
    cast = {}                       # h -> position
    cast_ballot = {}                # h -> position, its ballot cast (kind paper)
    head = board_start(F, P)
    lines = []
    try:
        with open(path('board.jsonl'), 'rb') as f:
            lines = f.read().split(b'\n')
    except OSError as e:
        probs.append('board.jsonl: cannot be read (%s)' % e)
    if lines and lines[-1] == b'':
        lines.pop()
    elif lines:
        probs.append('board.jsonl: the last line is cut off')
        lines.pop()
    for p, raw in enumerate(lines, 1):
        where = 'board.jsonl line %d' % p
        try:
            ln = json.loads(raw.decode('utf-8'), object_pairs_hook=_no_dups)
            cv._bobj(ln, ('position', 'kind', 'channel', 'time', 'prev_head', 'head', 'entry'))
            pos, kind, c, t = ln['position'], ln['kind'], ln['channel'], ln['time']
            if (type(pos) is not int or type(c) is not int or type(t) is not int
                    or not isinstance(kind, str) or not 0 <= c <= 0xffffffff
                    or not -2 ** 63 <= t < 2 ** 63):
                raise Status('encoding')
            prev, hd = cv.hexb(ln['prev_head'], 32), cv.hexb(ln['head'], 32)
            X, T = entry_tracking(F, kind, ln['entry'], k)
        except (Status, ValueError, UnicodeDecodeError, TypeError) as e:
            probs.append('%s: not a board entry (%s)' % (where, e))
            continue
        if pos != p:
            probs.append('%s: holds position %d' % (where, pos))
        if prev != head:
            probs.append('%s: prev_head is not the head before it%s' % (
                where, ' (head_0 = H("board-start-papers"; F, P))' if p == 1 else ''))
        if chain_step(prev, pos, T, c, t) != hd:
            probs.append('%s: head is not the hash of the entry and the head before it' % where)
        head = hd
        if kind == 'paper':
            h, b, others = paper_ballot_read(ln['entry'], k)
            name = 'paper %s' % h.hex()[:16]
            if h not in papers:
                probs.append('%s: %s is not on the paper list' % (where, name))
            else:
                Xp, cp = papers[h]
                if b['X'] != Xp:
                    probs.append("%s: the ballot's credential is not %s's" % (where, name))
                if b['F'] != F:
                    probs.append("%s: the ballot is not for this election" % where)
                if len(b['sel']) != m or (b['lo'], b['hi']) != cv.ballot_range(mf):
                    probs.append("%s: the ballot's options or range are not the manifest's" % where)
                else:
                    e = vector_digest(F, m, [s[:2] for s in b['sel']])
                    if any(x >= y for x, y in zip(others, others[1:])):
                        probs.append('%s: others are not in strictly ascending order' % where)
                    if e in others:
                        probs.append("%s: others holds the ballot's own digest" % where)
                    if commitment(F, h, Xp, [e] + others) != cp:
                        probs.append("%s: the ballot's digest and others do not give %s's commit" % (
                            where, name))
                    if len(set(map(short_code, [e] + others))) != k:
                        probs.append('%s: the %d short codes of %s are not all different' % (
                            where, k, name))
                    if K is not None:
                        try:
                            cv.ballot_check(b, mf, F, K, signed=False)   # §15.1.3 but step 3
                        except Status as s:
                            probs.append("%s: the ballot fails §15.1.3 (%s)" % (where, s.name))
        elif kind == 'paper-spoilt':
            ident, h, Xs, _, _ = paper_spoilt_read(F, ln['entry'])
            name = 'paper %s' % cv.grouped(ident)
            if cv.hexb(ln['entry']['election'], 32) != F:
                probs.append("%s: the rejected paper is not this election's" % where)
            if h not in papers:
                probs.append('%s: %s is not on the paper list' % (where, name))
            elif Xs != papers[h][0]:
                probs.append("%s: the credential is not %s's" % (where, name))
        else:
            continue
        if h in cast:
            probs.append('%s: paper %s was cast already, at position %d' % (where, h.hex()[:16], cast[h]))
        cast.setdefault(h, p)
        if kind == 'paper':
            cast_ballot.setdefault(h, p)
    if not lines:
        close = load('close.json')
        if close is not None and close.get('head') != head.hex():
            probs.append('close.json: the head of an empty board is not H("board-start-papers"; F, P)')

    # the seal: the authority signed O over these openings and this closed board
    if seal is not None:
        O = H('paper-openings', F, A, P if P is not None else bytes(32), cv.u64(seal[0]),
              seal[1], cv.u64(len(opened)), *opened)
        try:
            cv.ed_verify(A, O, seal[2])
        except Status:
            probs.append('papers.json: the seal does not verify: the openings are not the '
                         "authority's over this list")
        if seal[0] != len(lines) or seal[1] != head:
            probs.append('papers.json: the openings were sealed against another board '
                         '(%d entries) than this one (%d)' % (seal[0], len(lines)))
    elif opened:
        probs.append('papers.json: the openings carry no seal of the authority')

    # the openings (§15.8.6): each of a listed paper not cast, in ascending h, its c
    prev_h = None
    done = set()
    for n, o in enumerate(opened, 1):
        ident, _ = paper_id(F, o)
        h = handle(F, ident)
        where = 'papers.json: opening %d (paper %s)' % (n, cv.grouped(ident))
        if prev_h is not None and h == prev_h:
            probs.append('%s: the same paper is opened twice' % where)
        elif prev_h is not None and h < prev_h:
            probs.append('%s: not in strictly ascending order of handles' % where)
        prev_h = h
        if h not in papers:
            probs.append('%s: no such paper on the list' % where)
            continue
        if h in cast_ballot:     # a rejected paper is opened too (§15.8.6)
            probs.append('%s: the paper was cast, at position %d: it cannot be opened' % (
                where, cast_ballot[h]))
        done.add(h)
        if K is not None:
            try:
                _, _, _, c = open_paper(F, K, papers[h][0], o, answers)
                if c != papers[h][1]:
                    probs.append('%s: the opening does not give the listed commit' % where)
            except Status as s:
                probs.append('%s: %s' % (where, 'its short codes are not all different'
                                         if s.name == 'proof_invalid' else s.name))
    for h in papers:
        if h not in cast_ballot and h not in done:
            probs.append('papers.json: paper %s is neither cast nor opened' % h.hex()[:16])
    return probs


# --- Self-tests on synthetic data ----------------------------------------------

class _Tests:
    def __init__(self):
        self.failures, self.count = [], 0

    def ok(self, cond, what):
        self.count += 1
        if not cond:
            self.failures.append(what)
            print('FAIL: %s' % what)

    def status(self, want, what, fn, *args):
        self.ok(cv.status_of(fn, *args) == want, '%s: want %s, got %s' % (what, want, cv.status_of(fn, *args)))


def _field(b):              # §3.1 enc(x), written again here by hand
    return len(b).to_bytes(4, 'big') + b


def _raw_H(purpose, *fields):
    import hashlib
    return hashlib.sha256(b''.join(_field(f) for f in (b'tenantvote/v1/' + purpose.encode(),) + fields)).digest()


def _test_derivations(ts):
    """Each derivation against a second spelling of its preimage (§3.1 by
    hand), and the bit layouts of the identifier and the short code."""
    F, o = bytes(32), bytes(range(32))
    ident, printed = paper_id(F, o)
    d = _raw_H('paper-id', F, o)
    top = int.from_bytes(d, 'big') >> (256 - 95)
    ts.ok(len(ident) == 20 and all(ch in B32 for ch in ident), 'id is 20 symbols of the alphabet')
    ts.ok(sum(B32.index(ch) << (5 * (18 - i)) for i, ch in enumerate(ident[:19])) == top,
          'id: its 19 data symbols are the first 95 bits of H("paper-id"; F, o), MSB first')
    ts.ok(cv.luhn32_ok([B32.index(ch) for ch in ident]), 'id: valid Luhn mod 32 check symbol')
    ts.ok(printed == '-'.join(ident[i:i + 4] for i in range(0, 20, 4)) and len(printed) == 24,
          'id: printed in five groups of four')
    h = handle(F, ident)
    ts.ok(h == _raw_H('paper', F, ident.encode()) and len(h) == 32, 'h = H("paper"; F, id as ASCII)')
    ts.ok(handle(F, printed) == h and handle(F, printed.lower()) == h, 'h of the printed and typed forms')
    r = paper_nonce(F, o, 0, 2)
    first = int.from_bytes(_raw_H('paper-nonce', F, o, bytes(4), (2).to_bytes(4, 'big'), bytes(4)), 'big')
    ts.ok(r == first and 1 <= r < N, 'r_0,2 = int(H("paper-nonce"; F, o, 0, 2, j = 0))')
    K, X = cv.base_mul(5), cv.base_mul(7)
    cts = vector_ciphertexts(F, K, o, 2, 2)
    ts.ok(cts[1] == (cv.base_mul(paper_nonce(F, o, 2, 2)),
                     pt(msm((1, G), (paper_nonce(F, o, 2, 2), cv.decode_point(K))))),
          'V_2 option 2 = (r·G, G + r·K)')
    e = vector_digest(F, 2, cts)
    ts.ok(e == _raw_H('paper-vector', F, (2).to_bytes(4, 'big'), *[x for ab in cts for x in ab]),
          'e_a = H("paper-vector"; F, u32be(m), 2m points)')
    code = short_code(e)
    ts.ok(sum(B32.index(ch) << (5 * (3 - i)) for i, ch in enumerate(code)) == int.from_bytes(e[:3], 'big') >> 4,
          'short code: the first 20 bits of e_a, MSB first')
    es = [bytes([9] * 32), bytes([1] * 32), bytes([5] * 32)]
    c = commitment(F, h, X, es)
    ts.ok(c == _raw_H('paper-commit', F, h, X, (3).to_bytes(4, 'big'), es[1], es[2], es[0]),
          'c = H("paper-commit"; F, h, pt(X), u32be(k), e ascending)')
    ts.ok(commitment(F, h, X, es[::-1]) == c, 'c does not depend on the order of the answers')
    A, Lh = bytes([3] * 32), bytes([4] * 32)
    rows = [(bytes([8] * 32), X, bytes([6] * 32)), (bytes([2] * 32), K, bytes([7] * 32))]
    P = paper_list_digest(F, A, Lh, rows)
    ts.ok(P == _raw_H('paper-list', F, A, Lh, (2).to_bytes(8, 'big'), *rows[1], *rows[0]),
          'P = H("paper-list"; F, A, L, u64be(N), h, pt(X), c sorted by h)')
    ts.ok(board_start(F, P) == _raw_H('board-start-papers', F, P), 'head_0 = H("board-start-papers"; F, P)')
    # Pinned values, for comparing with another implementation (they are this
    # module's own output, not independent evidence): F = 0^32, o = 00 01 … 1f,
    # K = 5·G, X = 7·G, m = 2 with blanks.
    pin = open_paper(F, K, X, o, [1, 2, 0])
    ts.ok(pin[1] == 'PD7CFG7TSN9JSNYBQFYZ', 'pinned id')
    ts.ok(pin[0].hex() == '884ee22d3025ebd4cbd780b88f5841e7bdd1e9afd44dad1bc665d99d856fc2be', 'pinned h')
    ts.ok(pin[2] == {1: '3SNG', 2: '7C9F', 0: 'WY0M'}, 'pinned codes')
    ts.ok(pin[3].hex() == '237f42c81c415d9caf800766008a5c6b381ee15b6163105c5fa9ada79937e1db', 'pinned c')


def _test_reading(ts):
    F, o = bytes(32), bytes([0x5a] * 32)
    ident, printed = paper_id(F, o)
    ts.ok(paper_id_read(printed) == ident, 'printed id reads back')
    ts.ok(paper_id_read(' ' + printed.lower().replace('-', ' - ') + ' ') == ident, 'spaces, -, lower case')
    alias = ident.replace('0', 'o').replace('1', 'I')
    ts.ok(paper_id_read(alias) == ident, 'O read as 0, I as 1')
    ts.ok(paper_id_read(ident.replace('1', 'l')) == ident, 'l read as 1')
    caught = 0
    for pos in range(20):
        for v in range(32):
            if B32[v] != ident[pos]:
                caught += cv.status_of(paper_id_read, ident[:pos] + B32[v] + ident[pos + 1:]) == 'credential_invalid'
    ts.ok(caught == 20 * 31, 'every single mistyped symbol of an id is caught (%d of 620)' % caught)
    ts.status('credential_invalid', '19 symbols', paper_id_read, ident[:19])
    ts.status('credential_invalid', '21 symbols', paper_id_read, ident + '0')
    ts.status('credential_invalid', 'U is not a symbol', paper_id_read, 'U' + ident[1:])
    ts.ok(short_code_read('ab-1o') == 'AB10', 'a short code reads as §11.1 spells')
    ts.status('credential_invalid', 'a short code of 5 symbols', short_code_read, 'ABCDE')


def _test_round_trip(ts, rng):
    """A paper made as the authority makes it (its ballots with proofs) and
    opened as anyone opens it, for a random K and X."""
    xk, x = rng.scalar(), rng.scalar()
    K, X = cv.base_mul(xk), cv.base_mul(x)
    F, W = rng.raw(32), rng.raw(32)
    m, answers = 3, answers_of(3, True)
    mf = {'options': [(b'o', b'')] * m, 'allow_blank': 1}
    lo, hi = cv.ballot_range(mf)
    o = opening_for(W, 1, F, K, X, answers)
    ts.ok(o == H('paper-seed', W, u32(1), u32(0)), 'o_1 = H("paper-seed"; W, 1, 0) (codes differ at j = 0)')
    pp = make_paper(F, K, X, o, answers, lo, hi, rng)
    h, ident, codes, c = open_paper(F, K, X, o, answers)
    ts.ok((h, ident, codes, c) == (pp['h'], pp['id'], pp['codes'], pp['c']),
          'open_paper gives the made paper\'s h, id, codes and c')
    ts.ok(list(codes) == answers and len(set(codes.values())) == 4, 'k = m + 1 codes, all different')
    for a, b in pp['ballots'].items():
        ts.status('ok', "V_%d passes §15.1.3 but step 3" % a, cv.ballot_check, b, mf, F, K, False)
        ts.ok([cv.decrypt(xk, al, be, 1) for al, be, _ in b['sel']] == [int(i == a) for i in range(1, m + 1)],
              'V_%d decrypts to its answer' % a)
    # one nonce changed: another e, another c
    cts = vector_ciphertexts(F, K, o, 2, m)
    r = paper_nonce(F, o, 2, 3)
    al, be, _ = cv.encrypt(K, 0, None, (r + 1) % N)
    bad = cts[:2] + [(al, be)]
    e_bad = vector_digest(F, m, bad)
    es = [pp['e'][a] for a in answers]
    ts.ok(e_bad != pp['e'][2], 'a changed nonce changes e_2')
    ts.ok(commitment(F, h, X, [e_bad if a == 2 else pp['e'][a] for a in answers]) != c,
          'a changed nonce changes c')
    # the same nonce with another vote: a paper whose encryption is not its answer's
    al, be, _ = cv.encrypt(K, 1, None, r)
    ts.ok(commitment(F, h, X, [vector_digest(F, m, cts[:2] + [(al, be)]) if a == 2 else pp['e'][a]
                                for a in answers]) != c, 'answer 2 encrypting two votes changes c')
    ts.ok(commitment(F, h, cv.base_mul(x + 1), es) != c, 'another credential changes c')
    ts.ok(open_paper(F, K, X, o, answers_of(3, False))[3] != c, 'a paper without its blank answer: another c')
    ts.status('invalid_argument', 'answers out of order', open_paper, F, K, X, o, [2, 1, 3])
    ts.status('invalid_argument', 'blank first', open_paper, F, K, X, o, [0, 1, 2, 3])
    ts.status('invalid_argument', 'no answers', open_paper, F, K, X, o, [])
    ts.status('proof_invalid', 'two equal codes', distinct_codes, [es[0], es[1], es[0]])
    ts.status('point_invalid', 'X off the curve', open_paper, F, K, X[:-1] + bytes([X[-1] ^ 1]), o, answers)


# --- A synthetic record with papers, and tamperings of it ---------------------

def _synthetic(rng):
    """The parts of a record (§18) of a 2-option election with blanks and 5
    credentials, 4 with papers: paper 1 cast with a code, an online ballot
    (credential 5), paper 2 rejected, credential 4 revoked; papers 3, 4 opened."""
    mfj = dict(cv.MINIMAL_MANIFEST, allow_blank=True)
    mf = cv.manifest_from_json(mfj)
    F = cv.fingerprint(mf)
    answers = answers_of(2, True)
    lo, hi = cv.ballot_range(mf)
    a0 = [rng.scalar() for _ in range(3)]
    K = pt(msm(*[(a, G) for a in a0]))
    trustees = {'format': 'tenantvote-ceremony-transcript/1', 'commits': [],
                'reveals': [{'trustee': i + 1, 'coefficients': [{'commitment': cv.base_mul(a).hex()},
                                                               {'commitment': cv.base_mul(rng.scalar()).hex()}]}
                            for i, a in enumerate(a0)],
                'results': [{'trustee': i + 1, 'election_key': K.hex()} for i in range(3)]}
    xs = [rng.scalar() for _ in range(5)]
    Xs = [cv.base_mul(x) for x in xs]
    seed = rng.raw(32)
    A, _ = cv.ed_sign(seed, b'')
    L = cv.list_digest(F, sorted(Xs))
    creds = {'format': 'tenantvote-credentials/2', 'electorate': 5, 'authority': A.hex(),
             'signature': cv.ed_sign(seed, cv.authority_digest(F, A, L))[1].hex(),
             'credentials': [X.hex() for X in sorted(Xs)]}
    W = rng.raw(32)
    pp = [make_paper(F, K, Xs[t - 1], opening_for(W, t, F, K, Xs[t - 1], answers), answers, lo, hi, rng)
          for t in range(1, 5)]
    t0 = mf['opens'] + 3600
    cast = pp[0]
    ballot, _ = cv.ballot_make(F, K, xs[4], mf, 1, rng)
    revoke = Xs[3]
    entries = [
        ('paper', 4, t0, {'format': PAPER_BALLOT_FORMAT, 'paper': cast['h'].hex(),
                          'ballot': cv.ballot_json(cast['ballots'][2]),
                          'others': sorted(e.hex() for a, e in cast['e'].items() if a != 2)}),
        ('ballot', 1, t0 + 10, cv.ballot_json(ballot)),
        ('paper-spoilt', 4, t0 + 20, {'format': PAPER_SPOILT_FORMAT, 'election': F.hex(), 'paper': pp[1]['id'],
                                      'credential': pp[1]['X'].hex(), 'reason': 'more-than-one-answer'}),
        ('credential-revoked', 0, t0 + 30, {
            'credential': revoke.hex(),
            'signature': cv.ed_sign(seed, H('credential-change', F, A, L, u32(5), revoke))[1].hex()}),
    ]
    return {'F': F, 'K': K, 'mfj': mfj, 'trustees': trustees, 'creds': creds, 'seed': seed, 'A': A, 'L': L,
            'papers': pp, 'rows': [{'paper': p['h'].hex(), 'credential': p['X'].hex(), 'commit': p['c'].hex()}
                                   for p in sorted(pp, key=lambda p: p['h'])],
            'opened': [p['o'].hex() for p in sorted(pp[1:], key=lambda p: p['h'])],
            'entries': entries, 'sign': True, 'authority': A.hex(), 'head0': None, 'post': None}


def _write(d, st):
    """Writes the record's files from the parts: papers.json signed over P
    (unless st['sign'] is bytes: that signature), the board chained from
    head_0 (st['head0'] if given), then st['post'](lines) if given."""
    F = st['F']
    files = {'record.json': {'format': 'tenantvote-record/1', 'election': F.hex(), 'box_key': '00' * 32},
             'trustees.json': st['trustees'], 'credentials.json': st['creds']}
    rows = [(bytes.fromhex(r['paper']), bytes.fromhex(r['credential']), bytes.fromhex(r['commit']))
            for r in st['rows']]
    P = paper_list_digest(F, bytes.fromhex(st['authority']), st['L'], rows)
    sig = cv.ed_sign(st['seed'], P)[1] if st['sign'] is True else st['sign']
    files['papers.json'] = {'format': PAPERS_FORMAT, 'authority': st['authority'], 'signature': sig.hex(),
                            'papers': st['rows'], 'opened': st['opened']}
    head = st['head0'] or board_start(F, P)
    lines = []
    for p, (kind, c, t, entry) in enumerate(st['entries'], 1):
        try:
            _, T = entry_tracking(F, kind, entry, 3)
        except Status:
            T = bytes(32)       # a malformed entry: the checker stops at it
        new = chain_step(head, p, T, c, t)
        lines.append({'position': p, 'kind': kind, 'channel': c, 'time': t, 'prev_head': head.hex(),
                      'head': new.hex(), 'entry': entry})
        head = new
    if st['post']:
        st['post'](lines)
    # the authority's seal of the openings over the final board (§15.8.6)
    if st.get('seal', True):
        last = bytes.fromhex(lines[-1]['head']) if lines else board_start(F, P)
        opened = [bytes.fromhex(o) for o in st['opened']]
        O = H('paper-openings', F, bytes.fromhex(st['authority']), P, cv.u64(len(lines)), last,
              cv.u64(len(opened)), *opened)
        files['papers.json']['seal'] = {'entries': len(lines), 'head': last.hex(),
                                        'signature': cv.ed_sign(st['seed'], O)[1].hex()}
    for name, obj in files.items():
        with open(os.path.join(d, name), 'w') as f:
            f.write(cv.compact(obj) + '\n')
    with open(os.path.join(d, 'manifest.json'), 'w') as f:
        f.write(json.dumps(st['mfj'], indent=2, ensure_ascii=False) + '\n')
    with open(os.path.join(d, 'board.jsonl'), 'w') as f:
        f.writelines(cv.compact(ln) + '\n' for ln in lines)


def _flip(hexs):
    return hexs[:-1] + ('0' if hexs[-1] != '0' else '1')


def _test_record(ts, rng):
    base = _synthetic(rng)
    pp, F = base['papers'], base['F']
    other_seed = rng.raw(32)
    stranger = cv.base_mul(rng.scalar()).hex()

    def t_authority(st):
        st['authority'] = cv.ed_sign(other_seed, b'')[0].hex()
        st['seed'] = other_seed

    def t_sig(st):
        st['sign'] = bytes.fromhex(_flip(cv.ed_sign(st['seed'], b'x')[1].hex()))

    def t_swap(st):
        st['rows'][0], st['rows'][1] = st['rows'][1], st['rows'][0]

    def row_of(st, p):
        return next(r for r in st['rows'] if r['paper'] == p['h'].hex())

    def t_offlist(st):
        row_of(st, pp[2])['credential'] = stranger

    def t_twice(st):
        row_of(st, pp[3])['credential'] = pp[2]['X'].hex()

    def t_commit(st):
        row_of(st, pp[2])['commit'] = _flip(pp[2]['c'].hex())

    def t_head0(st):
        st['head0'] = H('board-start', F)

    def t_others(st):
        st['entries'][0][3]['others'][0] = _flip(st['entries'][0][3]['others'][0])

    def t_own(st):      # others with the ballot's own digest in place of another
        e = st['entries'][0][3]
        e['others'][0] = pp[0]['e'][2].hex()
        e['others'].sort()

    def t_cred(st):
        st['entries'][0][3]['ballot']['credential'] = pp[1]['X'].hex()

    def t_alpha(st):
        sel = st['entries'][0][3]['ballot']['selections'][0]
        sel['alpha'] = cv.base_mul(rng.scalar()).hex()

    def t_unknown(st):
        st['entries'][0][3]['paper'] = bytes(32).hex()

    def t_again(st):
        st['entries'].append(('paper', 2, st['entries'][-1][2] + 5, copy.deepcopy(st['entries'][0][3])))

    def t_spoil_cast(st):   # the cast paper rejected afterwards
        st['entries'].append(('paper-spoilt', 4, st['entries'][-1][2] + 5, {
            'format': PAPER_SPOILT_FORMAT, 'election': F.hex(), 'paper': pp[0]['id'],
            'credential': pp[0]['X'].hex(),
            'reason': 'no-official-mark'}))

    def t_spoil_cred(st):
        st['entries'][2][3]['credential'] = pp[0]['X'].hex()

    def t_spoil_typo(st):
        ident = st['entries'][2][3]['paper']
        st['entries'][2][3]['paper'] = ident[:3] + ('A' if ident[3] != 'A' else 'B') + ident[4:]

    def t_spoil_printed(st):
        st['entries'][2][3]['paper'] = pp[1]['printed']

    def t_spoil_unknown(st):
        st['entries'][2][3]['paper'] = paper_id(F, bytes(32))[0]

    def t_drop(st):
        st['opened'].pop()

    def t_open_cast(st):
        st['opened'] = [p['o'].hex() for p in sorted(pp, key=lambda p: p['h'])]

    def t_open_order(st):
        st['opened'].reverse()

    def t_open_twice(st):
        st['opened'].append(st['opened'][-1])

    def t_open_stranger(st):
        st['opened'].append(bytes([0xff] * 32).hex())

    def t_head(st):
        def post(lines):
            lines[1]['head'] = _flip(lines[1]['head'])
        st['post'] = post

    def t_position(st):
        def post(lines):
            lines[2]['position'] = 7
        st['post'] = post

    def t_result_key(st):
        st['trustees']['results'][1]['election_key'] = stranger

    def t_no_papers(st):
        st['rows'], st['opened'] = [], []

    cases = [   # (what, tampering, a phrase the problems must hold)
        ('another authority signs the paper list', t_authority, "authority is not credentials.json's"),
        ('the paper list signature changed', t_sig, 'signature does not verify over P'),
        ('papers out of order (P over the sorted list: the signature holds)', t_swap, 'strictly ascending'),
        ('a paper for a credential not on the list', t_offlist, 'not on the signed credential list'),
        ('two papers for one credential', t_twice, "its credential is paper"),
        ('an opened paper listed with another commit', t_commit, 'does not give the listed commit'),
        ('the board started from H("board-start"; F)', t_head0, 'line 1: prev_head'),
        ("a cast paper's others changed", t_others, 'do not give paper'),
        ("a cast paper's others holding its own digest", t_own, "others holds the ballot's own digest"),
        ("a cast paper's ballot for another credential", t_cred, "credential is not paper"),
        ("a cast paper's ciphertext changed", t_alpha, 'fails §15.1.3'),
        ('a paper entry of no listed paper', t_unknown, 'is not on the paper list'),
        ('a paper cast twice', t_again, 'was cast already, at position 1'),
        ('a cast paper also rejected', t_spoil_cast, 'was cast already, at position 1'),
        ('a rejected paper under another credential', t_spoil_cred, 'the credential is not paper'),
        ('a rejected paper with a mistyped id', t_spoil_typo, 'line 3: not a board entry'),
        ('a rejected paper with its id in printed form', t_spoil_printed, 'line 3: not a board entry'),
        ('a rejected paper not listed', t_spoil_unknown, 'is not on the paper list'),
        ('an opening left out', t_drop, 'is neither cast nor opened'),
        ('the cast paper opened', t_open_cast, 'the paper was cast, at position 1'),
        ('openings out of order', t_open_order, 'not in strictly ascending order of handles'),
        ('an opening twice', t_open_twice, 'the same paper is opened twice'),
        ('an opening of no listed paper', t_open_stranger, 'no such paper on the list'),
        ('a head changed', t_head, 'line 2: head is not the hash'),
        ('a position changed', t_position, 'line 3: holds position 7'),
        ('a result with another election key', t_result_key, 'does not give K'),
        ('no papers at all', t_no_papers, 'lists no paper'),
    ]
    with tempfile.TemporaryDirectory() as top:
        d = os.path.join(top, 'honest')
        os.mkdir(d)
        _write(d, base)
        probs = check_record_papers(d)
        ts.ok(probs == [], 'the honest record passes: %s' % probs)
        ts.ok(check_record_papers(d, base['K']) == [], 'the honest record passes with K given')
        probs = check_record_papers(d, cv.base_mul(2))
        ts.ok(any('fails §15.1.3' in p for p in probs) and any('listed commit' in p for p in probs),
              'another K fails the proofs and the openings: %s' % probs)
        for n, (what, tamper, want) in enumerate(cases):
            st = copy.deepcopy(base)
            tamper(st)
            d = os.path.join(top, 'case%d' % n)
            os.mkdir(d)
            _write(d, st)
            probs = check_record_papers(d)
            ts.ok(any(want in p for p in probs), '%s: want a problem with %r, got %s' % (what, want, probs))


def main():
    if len(sys.argv) > 1:
        K = bytes.fromhex(sys.argv[2]) if len(sys.argv) > 2 else None
        probs = check_record_papers(sys.argv[1], K)
        for p in probs:
            print(p)
        print('%d problems' % len(probs))
        sys.exit(1 if probs else 0)
    ts = _Tests()
    rng = cv.Drbg(b'check_papers self-test')
    _test_derivations(ts)
    _test_reading(ts)
    _test_round_trip(ts, rng)
    _test_record(ts, rng)
    print('%d checks, %d failed' % (ts.count, len(ts.failures)))
    sys.exit(1 if ts.failures else 0)


if __name__ == '__main__':
    main()
