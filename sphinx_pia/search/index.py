"""The site's own search index: Japanese text and legal citations, static and offline.

Sphinx's built-in search cannot find 「第19条第8号」, 「住民票コード」 or 「委託先」 in
Japanese (its index drops one-character tokens and it never splits the query).
We index instead (records: ``records.py``):

- the normalized text of every record as character bigrams (no word segmentation
  to disagree between index and query);
- legal citations as structured keys (law, article, paragraph, item, table, row)
  from the citation parser, so a citation typed in any notation finds the items
  that cite it, whatever notation they were written in.

Layout, so that a query costs what it needs and not what the corpus weighs
(the design of Pagefind's chunked word index, for bigrams):

- every posting list (a bigram, or a citation key with its role) is one *key*;
  the keys in sorted order are cut into **chunks** of bounded size.  Directories
  (``d*``) list the first key of a few dozen chunks each, and ``meta`` only the
  first key of each directory, so the browser loads one directory and one chunk
  per key of its query and nothing else.  Cuts fall where a key's hash says so
  (content-defined), so an edit changes the chunks it touches and leaves the
  others' files untouched;
- a key whose list alone exceeds a chunk (a bigram in most records) is a **big
  key**: its list is stored in blocks of its own, and its directory gives its
  record count, so a query can leave out a big key when rarer ones already select;
- records are numbered by (kind, title, assessment, object) and stored in **record
  chunks** of a fixed number of records of one kind (``RECORDS_PER_CHUNK``, by
  the kind's typical size): the browser loads the chunks of the results it
  shows, not of every candidate.  Kind- and title-major numbering is what keeps
  that to a few files: the first page of a query is mostly records of one kind
  that rank equal, very often the same item (a file, a record item, a system of
  the same name) in many assessments, ordered by number, so they are neighbours in
  one or two chunks instead of one chunk per assessment (at 1,000 assessments,
  ordered by assessment, a first page loaded up to ten).  A record chunk carries
  the names (ID, title, organization) of the assessments its records belong to,
  so a result is shown from its chunk alone;
- the kind of any record number is known from ``meta`` (counts per kind), so
  ranking needs no record file; a filter by assessment or organization reads the
  **group keys** (``¶g<n>``: the records of assessment *n*), posting lists like
  any other.

Each file is a script calling ``piaSearchData(name, data)``: a page opened from
the file system cannot fetch() a JSON file, but it can load a <script>.
The browser side is ``static/pia-search.js``; it normalizes queries the same way.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import os
import re
import unicodedata
import zlib
from functools import lru_cache
from pathlib import Path

from ..citations import _kanji_numbers
from ..index import SiteIndex
from ..render.laws import KIND_LABELS as RENDER_KIND_LABELS
from .records import Corpus, Record, build_corpus, signature_of

VERSION = 5
STATE_VERSION = 4  # of the state kept between builds (write_corpus)
CHUNK_BYTES = 12_000  # most a postings chunk holds (a big key's block: BLOCK_BYTES)
MIN_CHUNK_BYTES = 3_000  # a content-defined cut only after this much
CUT_EVERY = 16  # a key whose hash is 0 modulo this may start a chunk
BIG_KEY_BYTES = 6_000  # a list longer than this is a big key, in blocks of its own
BLOCK_BYTES = 512_000  # a big key in one file at 1,000 assessments: a file costs more than its bytes
INLINE_UNITS = 6_000  # a directory of at most this many chunks and big keys travels in meta
DIR_UNITS_MIN, DIR_UNITS_MAX, DIR_CUT_EVERY = 8, 96, 32  # chunks and big keys per directory
# records per record chunk, by kind: ~12 KB files (a result page's records of one kind in
# a few files, not in one per assessment); constants, so that an edit never reshuffles chunks
RECORDS_PER_CHUNK = {"file": 64, "record-item": 64, "organization": 64, "section": 24, "annex-row": 16, "law": 16}
RECORDS_PER_CHUNK_DEFAULT = 12  # kinds of ~1 KB per record: provisions, systems, risks, ...
GROUPS_PER_CHUNK = 16  # assessments' names (ID, title, organization) per names file
TEXT_LIMIT = 300  # characters of a record's text in its record chunk (the snippet's source);
# the bigrams index the whole text, and a cut text is shown as cut

KIND_LABELS = {**RENDER_KIND_LABELS, "record-item": "記録項目"}
# prefix of citation keys: "§<law key>:b" (basis), ":m" (mention), ":x" (the law itself); the law
# key first, so that the keys of one law (and of one article) are neighbours in the same chunks
CITE = "§"
# prefix of group keys: "¶g<assessment's number>" lists its records (filters); longer than a
# bigram, so no text's gram is one
GROUP = "¶g"
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_"


def normalize(text: str) -> str:
    """What both index and query match on: NFKC, lower case, kanji numerals in
    citations as digits, no whitespace.  Mirrored by ``normalize`` in pia-search.js."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    text = _kanji_numbers(text)
    return re.sub(r"\s+", "", text)


def bigrams(norm: str) -> set[str]:
    if len(norm) == 1:
        return {norm}
    return {norm[i : i + 2] for i in range(len(norm) - 1)}


def record_grams(title: str, text: str) -> tuple[tuple[str, int], ...]:
    """(gram, in title) of one record: a title match ranks first."""
    title_grams = bigrams(normalize(title))
    grams = bigrams(normalize(text)) | title_grams
    return tuple((g, int(g in title_grams)) for g in sorted(grams))


@lru_cache(maxsize=None)
def crc(key: str) -> str:
    """A file name stem from a key, the same in pia-search.js: crc32 of its UTF-8, base 36."""
    return _base36(zlib.crc32(key.encode("utf-8")))


def js_order(key: str) -> bytes:
    """Sort keys as JavaScript compares strings (UTF-16 code units)."""
    return key.encode("utf-16-be")


def encode(values: list[int]) -> str:
    """Non-negative integers as base-32 digits, low first; the upper half of the
    alphabet marks 'more digits follow'.  A delta below 32 is one character."""
    out = []
    for v in values:
        while v >= 32:
            out.append(ALPHABET[32 + (v & 31)])
            v >>= 5
        out.append(ALPHABET[v])
    return "".join(out)


def encode_postings(entries: list[tuple[int, int]]) -> str:
    """Sorted (record, flag) pairs: each as (gap - 1) * 2 + flag, the gap from the previous record."""
    prev, vals = -1, []
    for rid, flag in entries:
        vals.append((rid - prev - 1) * 2 + flag)
        prev = rid
    return encode(vals)


def ordered(corpus: Corpus) -> tuple[list[Record], list[str], list[str | None]]:
    """Records numbered by (kind, title, assessment, object): a kind is a run of numbers
    (``meta``'s counts per kind), and within it records of the same title in different
    assessments are neighbours.  Returns the records, the kinds and the groups (assessment
    IDs in order, then None for laws and organizations)."""
    kinds = sorted({r.kind for r in corpus.records})
    groups: list[str | None] = sorted(corpus.assessments)
    gi = {aid: i for i, aid in enumerate(groups)}
    groups.append(None)  # laws and organizations
    ki = {k: i for i, k in enumerate(kinds)}
    recs = sorted(corpus.records, key=lambda r: (ki[r.kind], r.title, gi.get(r.aid, len(groups) - 1), r.gid))
    return recs, kinds, groups


def group_key(group: int) -> str:
    """The key listing the records of the assessment numbered ``group``."""
    return GROUP + _base36(group)


def write_index(outdir: Path, site: SiteIndex, locate, state: dict | None = None, signatures: dict[str, str] | None = None) -> dict:
    """Write the index of a site under ``outdir`` (``_static/pia-search``); returns size figures.
    With *state* and *signatures* (assessment id → a key of its files), what is derived
    from unchanged assessments comes from the last build's state."""
    records = state.setdefault("records", {}) if state is not None and signatures is not None else None
    return write_corpus(outdir, build_corpus(site, locate, records, signatures), state)


def _pack(pairs: tuple[tuple[str, int], ...]) -> bytes:
    """A record's grams in one UTF-8 string: grams, then flags (a normalized text has no
    whitespace, so no gram holds a newline or a tab).  Pickled, one bytes object per record
    is copied, where a string is encoded and decoded again, and a tuple per gram costs far more."""
    return ("\n".join(g for g, _ in pairs) + "\t" + "".join("1" if f else "0" for _, f in pairs)).encode("utf-8")


def _unpack(packed: bytes) -> list[tuple[str, int]]:
    grams, _, flags = packed.decode("utf-8").rpartition("\t")
    return list(zip(grams.split("\n"), map(int, flags))) if grams or flags else []


def _renumbering(old_sigs: list[tuple], sigs: list[tuple]) -> list[int] | None:
    """For each record number, its number in the last build, when both builds number the
    same records (by ID); None when records were added or removed (every list is built anew)."""
    if len(old_sigs) != len(sigs):
        return None
    if all(a[0] == b[0] for a, b in zip(old_sigs, sigs)):
        return list(range(len(sigs)))
    old_rid = {sig[0]: rid for rid, sig in enumerate(old_sigs)}
    old_of = [old_rid.get(sig[0], -1) for sig in sigs]
    return None if -1 in old_of or len(old_rid) != len(sigs) else old_of


def cite_key(law_key: str, role: str) -> str:
    return f"{CITE}{law_key}:{role}"


def _keys_of(sig: tuple, packed: bytes, group_of: dict[str, int]) -> dict[str, int]:
    """A record's keys and title flags: its grams, then its citation keys and, for a
    record of an assessment, that assessment's group key (flag 0)."""
    keys = dict(_unpack(packed))
    for key, role in sig[9]:
        keys[cite_key(key, role)] = 0
    if sig[2] in group_of:  # the record's assessment ID
        keys[group_key(group_of[sig[2]])] = 0
    return keys


def decode_postings(enc: str) -> list[tuple[int, int]]:
    """The inverse of :func:`encode_postings`."""
    out, v, mul, prev = [], 0, 1, -1
    for ch in enc:
        d = _DIGIT[ch]
        if d >= 32:
            v += (d - 32) * mul
            mul *= 32
        else:
            v += d * mul
            prev += 1 + (v >> 1)
            out.append((prev, v & 1))
            v, mul = 0, 1
    return out


_DIGIT = {ch: i for i, ch in enumerate(ALPHABET)}


def write_corpus(outdir: Path, corpus: Corpus, state: dict | None = None) -> dict:
    """Write the index of a corpus; returns size figures.

    ``state`` is a dict the caller keeps from one build to the next (``sphinx_ext/search.py``
    pickles it): this build's records, grams, encoded posting lists and files.  When the
    records are the same objects as last time (an edit of values, not of the list of
    objects), only the records that changed are read again: their old and new keys say
    which posting lists change, only those are re-encoded, and only the files holding them
    (and ``meta``, the names, the laws) are serialized again.  Otherwise every list is
    built anew (grams of unchanged records still come from the state).  Either way the
    files are those of a build from scratch, byte for byte (a test), and a file whose
    content is unchanged is not rewritten, so a deployment that copies changed files
    only copies what changed."""
    recs, kinds, groups = ordered(corpus)
    outdir.mkdir(parents=True, exist_ok=True)
    sigs = [signature_of(r) for r in recs]
    group_of = {aid: i for i, aid in enumerate(groups[:-1])}
    names = []  # per group: [assessment ID, title, organization]; the last (no assessment) empty
    for aid in groups:
        title, org = corpus.assessments[aid] if aid else ("", "")
        names.append([aid or "", title, org])
    prev = state if state and state.get("version") == STATE_VERSION else None
    old_of = _renumbering(prev["sigs"], sigs) if prev is not None else None
    if old_of is not None:
        # the same records as last time, perhaps in another order (a title edit moves a
        # record within its kind, and the records between shift by one): the lists that
        # hold a moved or changed record are the ones to encode again
        old_sigs = [prev["sigs"][o] for o in old_of]
        packs = [prev["packs"][o] for o in old_of]
        enc, counts = dict(prev["enc"]), dict(prev["counts"])
        moved = {rid for rid, o in enumerate(old_of) if rid != o}
        new_of = {o: rid for rid, o in enumerate(old_of) if rid != o}  # old number → new, where they differ
        edited = {rid for rid, (a, b) in enumerate(zip(old_sigs, sigs)) if a != b}
        # a record chunk carries the names of its records' assessments: a renamed
        # assessment's chunks are written again (its records are otherwise unchanged)
        renamed = {aid for aid, old, new in zip(groups, prev["names"], names) if old != new}
        dirty_rids = edited | moved | ({rid for rid, r in enumerate(recs) if r.aid in renamed} if renamed else set())
        changes: dict[str, dict[int, int | None]] = {}
        for rid in sorted(edited | moved):
            r = recs[rid]
            old = _keys_of(old_sigs[rid], packs[rid], group_of)
            if rid in edited:
                packs[rid] = _pack(record_grams(r.title, f"{r.text} {r.extra}"))
            new = _keys_of(sigs[rid], packs[rid], group_of)
            for key in old.keys() | new.keys():
                if rid in moved or old.get(key) != new.get(key):
                    changes.setdefault(key, {})[rid] = new.get(key)
        reorder = False
        for key, change in changes.items():
            entries = dict(decode_postings(enc.get(key, "")))
            if new_of:
                entries = {new_of.get(rid, rid): flag for rid, flag in entries.items()}
            for rid, flag in change.items():
                if flag is None:
                    entries.pop(rid, None)
                else:
                    entries[rid] = flag
            if entries:
                reorder |= key not in enc
                enc[key] = encode_postings(sorted(entries.items()))
                counts[key] = len(entries)
            else:
                reorder = True
                del enc[key], counts[key]
        order = sorted(enc, key=js_order) if reorder else prev["order"]
        dirty_keys: set[str] | None = set(changes)
    else:
        # grams of records unchanged since the last build come from the state
        known = {}
        if prev is not None:
            known = {(sig[3], sig[7], sig[8]): pack for sig, pack in zip(prev["sigs"], prev["packs"])}
        packs = []
        postings: dict[str, list[tuple[int, int]]] = {}
        for rid, (r, sig) in enumerate(zip(recs, sigs)):
            pack = known.get((sig[3], sig[7], sig[8]))  # title, text, extra
            if pack is None:
                pack = _pack(record_grams(r.title, f"{r.text} {r.extra}"))
            packs.append(pack)
            for g, flag in _keys_of(sig, pack, group_of).items():
                postings.setdefault(g, []).append((rid, flag))  # records in order: every list is sorted
        enc = {key: encode_postings(lst) for key, lst in postings.items()}
        counts = {key: len(lst) for key, lst in postings.items()}
        order = sorted(enc, key=js_order)
        dirty_rids = dirty_keys = None
    incremental = old_of is not None
    writer = _Writer(outdir, prev["files"] if prev is not None else {}, incremental)
    nblocks: dict[str, int] = {}
    directory = _write_postings(writer, enc, counts, order, dirty_keys, prev["nblocks"] if incremental else {}, nblocks)
    kind_index = {k: i for i, k in enumerate(kinds)}
    _write_records(writer, recs, kind_index, dirty_rids, [group_of.get(r.aid) for r in recs], names)
    kind_counts = [0] * len(kinds)
    for r in recs:
        kind_counts[kind_index[r.kind]] += 1
    for start in range(0, len(names), GROUPS_PER_CHUNK):
        writer.dump("n" + _base36(start // GROUPS_PER_CHUNK), names[start : start + GROUPS_PER_CHUNK])
    roles: dict[str, str] = {}
    for key in order:
        if key.startswith(CITE) and len(key) > 2:  # not a bigram of a text that holds "§"
            law_key, _, role = key[1:].rpartition(":")
            roles[law_key] = roles.get(law_key, "") + role
    meta = {
        "version": VERSION,
        "count": len(recs),
        "kinds": kinds,
        "kindLabels": {k: KIND_LABELS.get(k, k) for k in kinds},
        "kindCounts": kind_counts,  # records of each kind: a kind's records are a run of numbers
        "ngroups": len(groups),  # assessments (and last: none), named in the names files
        "per": [per_chunk(k) for k in kinds],  # records per record chunk, by kind
        "namesPer": GROUPS_PER_CHUNK,
        **directory,
        "alt": writer.alt,
    }
    # loaded only for a query that looks like a citation
    writer.dump("laws", {"laws": _law_table(corpus.laws, roles), "aliases": dict(sorted(corpus.aliases.items()))})
    writer.dump("meta", meta)
    stats = writer.finish()
    if state is not None:
        records = state.get("records")  # build_corpus's part of the state (write_index)
        state.clear()
        state.update(version=STATE_VERSION, sigs=sigs, packs=packs, enc=enc, counts=counts, order=order, nblocks=nblocks,
                     files=writer.files, names=names)
        if records is not None:
            state["records"] = records
    return {"records": len(recs), **stats}


def _law_table(laws: dict[str, list], roles: dict[str, str]) -> dict[str, str]:
    """The legal keys for the citation parser, compact (``laws.js`` is on the path of every
    citation query): per law, one string of entries separated by ";", each the key's rest
    after the law and its fields (article, paragraph, item, table, row, suppl, roles: b/m/x)
    separated by "|"."""
    out: dict[str, list[str]] = {}
    for key, (law, *fields) in sorted(laws.items()):
        assert key.startswith(law), key
        entry = [key[len(law):], *map(str, fields), "".join(sorted(roles.get(key, "")))]
        assert not any(c in f for f in entry for c in "|;"), entry
        out.setdefault(law, []).append("|".join(entry))
    return {law: ";".join(entries) for law, entries in out.items()}


def _write_postings(writer: "_Writer", enc: dict[str, str], counts: dict[str, int], order: list[str],
                    dirty: set[str] | None, known_blocks: dict[str, int], nblocks: dict[str, int]) -> dict:
    """Write the postings chunks and the big keys' blocks, and the directory: returns what
    ``meta`` holds of it (the directory itself when it is small, else its files' first keys).
    ``dirty``: the keys whose lists changed since the last build (None: all of them);
    ``known_blocks``: the last build's count of blocks of each big key, ``nblocks`` this build's."""
    units: list[tuple[str, object]] = []  # in key order: (first key, None) for a chunk, (key, [count, blocks]) for a big key
    chunk: list[str] = []
    size = 0

    def flush() -> None:
        nonlocal chunk, size
        if chunk:
            keys = tuple(chunk)
            units.append((keys[0], None))
            clean = dirty is not None and not any(k in dirty for k in keys)
            writer.dump("p" + crc(keys[0]), lambda: {k: enc[k] for k in keys}, "p:" + keys[0], token=keys, clean=clean)
        chunk, size = [], 0

    for key in order:
        e = enc[key]
        if len(e) > BIG_KEY_BYTES:
            flush()  # a chunk never spans a big key: a directory's chunks and big keys stay in order
            clean = dirty is not None and key not in dirty
            made: list[list[str]] = []

            def blocks(e=e, made=made) -> list[str]:
                if not made:
                    made.append(_blocks(decode_postings(e)))
                return made[0]

            nb = known_blocks.get(key) if clean else None
            if nb is None:
                clean, nb = False, len(blocks())
            for n in range(nb):
                writer.dump(f"b{crc(key)}-{n}", lambda n=n, blocks=blocks, key=key: {key: blocks()[n]}, f"b:{key}-{n}",
                            token=(key, n, nb), clean=clean)
            nblocks[key] = nb
            units.append((key, [counts[key], nb]))
            continue
        entry = len(key.encode("utf-8")) + len(e) + 6
        cut = size >= MIN_CHUNK_BYTES and zlib.crc32(key.encode("utf-8")) % CUT_EVERY == 0
        if chunk and (cut or size + entry > CHUNK_BYTES):
            flush()
        chunk.append(key)
        size += entry
    flush()
    if len(units) <= INLINE_UNITS:
        # small enough to travel in meta: a query then goes straight to its chunks
        return {"dirs": [], "dir": _directory(units)}
    # directories of a few dozen units each, cut where a key's hash says (content-defined,
    # like the chunks): the top level lists only their first keys
    dirs: list[str] = []
    current: list[tuple[str, object]] = []

    def flush_dir() -> None:
        if current:
            first = current[0][0]
            dirs.append(first)
            writer.dump("d" + crc(first), _directory(current), "d:" + first)
        current.clear()

    for unit in units:
        key = unit[0]
        if current and (len(current) >= DIR_UNITS_MAX or (len(current) >= DIR_UNITS_MIN and zlib.crc32(b"d" + key.encode("utf-8")) % DIR_CUT_EVERY == 0)):
            flush_dir()
        current.append(unit)
    flush_dir()
    return {"dirs": dirs}


def _directory(units: list[tuple[str, object]]) -> dict:
    """A directory, compact (it is most of ``meta``): the chunks' first keys and the big keys
    each joined by spaces (a key has no whitespace: text keys are normalized, citation keys
    are law keys), and the big keys' record and block counts as one encoded string."""
    chunks = [k for k, v in units if v is None]
    bigs = [(k, v) for k, v in units if v is not None]
    assert not any(" " in k for k, _ in units)
    return {"c": " ".join(chunks), "b": " ".join(k for k, _ in bigs), "n": encode([x for _, v in bigs for x in v])}


def _blocks(entries: list[tuple[int, int]]) -> list[str]:
    """A big key's list in pieces of at most BLOCK_BYTES, each encoded from its own start."""
    blocks, start = [], 0
    per = max(1, BLOCK_BYTES // 2)  # at least one character per record: a first guess, then shrink
    while start < len(entries):
        n = min(per, len(entries) - start)
        enc = encode_postings(entries[start : start + n])
        while len(enc) > BLOCK_BYTES and n > 1:
            n //= 2
            enc = encode_postings(entries[start : start + n])
        blocks.append(enc)
        start += n
    return blocks


def per_chunk(kind: str) -> int:
    return RECORDS_PER_CHUNK.get(kind, RECORDS_PER_CHUNK_DEFAULT)


def record_chunk(kind_index: int, offset: int, per: int) -> tuple[str, int]:
    """The record chunk of a record (its kind's number, its number within the kind's run,
    the kind's records per chunk) and its place there, as pia-search.js derives them."""
    return f"r{_base36(kind_index)}-{_base36(offset // per)}", offset % per


def _write_records(writer: "_Writer", recs: list[Record], kind_index: dict[str, int], dirty: set[int] | None,
                   record_groups: list[int | None], names: list[list[str]]) -> None:
    """Record chunks, a kind's run cut every ``per_chunk(kind)`` records; ``dirty``: the
    record numbers whose chunks must be written again (None: all).  A chunk is
    ``{"r": rows, "g": names}``: a row is [title, url, section, file, text, cut] and, for a
    record of an assessment, the place of that assessment's names in ``g``."""
    spans = []  # (first record number, count, kind number, number within the kind's run)
    start = 0
    while start < len(recs):
        kind = recs[start].kind
        end = start
        while end < len(recs) and recs[end].kind == kind:
            end += 1
        per = per_chunk(kind)
        spans += [(s, min(per, end - s), kind_index[kind], (s - start) // per) for s in range(start, end, per)]
        start = end

    def chunk(start: int, count: int) -> dict:
        rows, table, place = [], [], {}
        for rid in range(start, start + count):
            r, text = recs[rid], recs[rid].text
            # cut: the page has the rest (and the index has all of it)
            row = [r.title, r.url, r.section, r.file, text[:TEXT_LIMIT], 1 if len(text) > TEXT_LIMIT else 0]
            group = record_groups[rid]
            if group is not None:
                if group not in place:
                    place[group] = len(table)
                    table.append(names[group])
                row.append(place[group])
            rows.append(row)
        return {"r": rows, "g": table}

    firsts = [span[0] for span in spans]
    dirty_spans = None if dirty is None else {bisect.bisect_right(firsts, rid) - 1 for rid in dirty}
    for i, (first, count, k, n) in enumerate(spans):
        clean = dirty_spans is not None and i not in dirty_spans
        writer.dump(f"r{_base36(k)}-{_base36(n)}", lambda first=first, count=count: chunk(first, count),
                    token=(first, count), clean=clean)


def _base36(n: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        n, d = divmod(n, 36)
        out = digits[d] + out
        if n == 0:
            return out


class _Writer:
    """Writes index files, leaving a file untouched when its content is unchanged and
    removing the files of an earlier build that this one did not write.

    ``files`` (name → (token, digest, size)) describes what was written; given the last
    build's, a file passed as ``clean`` (none of its keys or records changed) with the same
    token as last time is known to be unchanged and is not even serialized."""

    def __init__(self, outdir: Path, previous: dict, incremental: bool):
        self.outdir = outdir
        self.previous = previous
        self.incremental = incremental
        self.present = set(os.listdir(outdir))
        self.written: set[str] = set()
        self.files: dict[str, tuple] = {}
        # "p:<first key>" or "b:<key>-<n>" → file name, where two files would share a name
        # (a crc32 collision); pia-search.js looks here before deriving the name
        self.alt: dict[str, str] = {}
        self.bytes = 0

    def dump(self, name: str, data, ident: str | None = None, token=None, clean: bool = False) -> None:
        if name + ".js" in self.written:
            alt = f"{name}x{len(self.alt)}"
            self.alt[ident or name] = alt
            name = alt
        fname = name + ".js"
        self.written.add(fname)
        old = self.previous.get(fname)
        if clean and self.incremental and old is not None and old[0] == token and fname in self.present:
            self.files[fname] = old
            self.bytes += old[2]
            return
        if callable(data):
            data = data()
        body = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        raw = f'piaSearchData("{name}",{body});\n'.encode("utf-8")
        digest = hashlib.blake2b(raw, digest_size=16).digest()
        self.files[fname] = (token, digest, len(raw))
        self.bytes += len(raw)
        target = self.outdir / fname
        if fname in self.present:
            if old is not None:
                if old[1] == digest:
                    return
            else:
                try:
                    if target.read_bytes() == raw:
                        return
                except OSError:
                    pass
        target.write_bytes(raw)

    def finish(self) -> dict:
        for stale in self.present - self.written:
            if stale.endswith(".js"):
                (self.outdir / stale).unlink()  # e.g. a record chunk of a corpus that has since shrunk
        return {"bytes": self.bytes, "files": len(self.written)}
