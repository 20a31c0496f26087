#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Independent implementation of the ballot papers of SPEC §15.8.

Written from docs/SPEC.md §15.8 and the sections it references (§3 hashing,
§4 ElGamal, §11.1 the code alphabet and its Luhn mod 32 check symbol, §11.5
the credential list digest L, §15.1 ballots and tracking codes, §15.2 the
chain, §15.6 spoilt reasons), without the C sources, to show that the
specification suffices.  The primitives (P-256, H, ElGamal, proofs, Ed25519,
the ballot reader) are check_vectors.py's.  Standard library only.

    python3 check_papers.py RECORD [K]   the paper checks of a record folder
                                         (K: the election key, 130 hex, to
                                         use instead of trustees.json's)

The record's paper file is `papers.json` (not yet in §18.1):

    {"format":"tenantvote-papers/1","authority":"<A>","signature":"<sig>",
     "papers":[{"paper":"<h>","credential":"<pt(X)>","commit":"<c>"},…],
     "opened":["<o>",…]}

papers ascending by h; openings ascending by their paper's h.
"""
import json
import os
import sys

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
PAPER_SPOILT_KEYS = ('format', 'paper', 'credential', 'reason')
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
    """§15.8.4 kind `paper-spoilt`: {"format","paper","credential","reason"},
    paper the 20 canonical symbols of the identifier.  Gives (id, h, X, reason)
    and T = H("paper-spoilt-tracking"; F, h, u32be(reason))."""
    cv._bobj(o, PAPER_SPOILT_KEYS)
    if o['format'] != PAPER_SPOILT_FORMAT or o['reason'] not in REASONS:
        raise Status('encoding')
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
        cv._bobj(pap, PAPERS_KEYS)
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
            if h not in papers:
                probs.append('%s: %s is not on the paper list' % (where, name))
            elif Xs != papers[h][0]:
                probs.append("%s: the credential is not %s's" % (where, name))
        else:
            continue
        if h in cast:
            probs.append('%s: paper %s was cast already, at position %d' % (where, h.hex()[:16], cast[h]))
        cast.setdefault(h, p)
    if not lines:
        close = load('close.json')
        if close is not None and close.get('head') != head.hex():
            probs.append('close.json: the head of an empty board is not H("board-start-papers"; F, P)')

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
        if h in cast:
            probs.append('%s: the paper was cast, at position %d: it cannot be opened' % (where, cast[h]))
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
        if h not in cast and h not in done:
            probs.append('papers.json: paper %s is neither cast nor opened' % h.hex()[:16])
    return probs


if __name__ == '__main__':
    if len(sys.argv) not in (2, 3):
        sys.exit('usage: check_papers.py RECORD [K]')
    found = check_record_papers(sys.argv[1], bytes.fromhex(sys.argv[2]) if len(sys.argv) > 2 else None)
    for p in found:
        print(p)
    print('%d problems' % len(found))
    sys.exit(1 if found else 0)
