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
- records are numbered by (assessment, kind, object) and stored in **record
  chunks** of a few records by number: the browser loads the chunks of the
  results it shows, not of every candidate.  Kind and assessment of any record
  number are known from ``meta``'s group table (counts of each kind per
  assessment), so filters and ranking need no record file.

Each file is a script calling ``piaSearchData(name, data)``: a page opened from
the file system cannot fetch() a JSON file, but it can load a <script>.
The browser side is ``static/pia-search.js``; it normalizes queries the same way.
"""

from __future__ import annotations

import json
import re
import unicodedata
import zlib
from functools import lru_cache
from pathlib import Path

from ..citations import _kanji_numbers
from ..index import SiteIndex
from ..render.laws import KIND_LABELS as RENDER_KIND_LABELS
from .records import Corpus, Record, build_corpus

VERSION = 2
CHUNK_BYTES = 12_000  # most a postings chunk holds (a big key's block: BLOCK_BYTES)
MIN_CHUNK_BYTES = 3_000  # a content-defined cut only after this much
CUT_EVERY = 16  # a key whose hash is 0 modulo this may start a chunk
BIG_KEY_BYTES = 6_000  # a list longer than this is a big key, in blocks of its own
BLOCK_BYTES = 24_000
DIR_UNITS_MIN, DIR_UNITS_MAX, DIR_CUT_EVERY = 8, 96, 32  # chunks and big keys per directory
RECORDS_PER_CHUNK = 4
GROUPS_PER_CHUNK = 16  # assessments' names (ID, title, organization) per names file
TEXT_LIMIT = 300  # characters of a record's text in its record chunk (the snippet's source);
# the bigrams index the whole text, and a cut text is shown as cut

KIND_LABELS = {**RENDER_KIND_LABELS, "record-item": "記録項目"}
CITE = "§"  # prefix of citation keys: "§b:<law key>" (basis), "§m:" (mention), "§x:" (the law itself)
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
    """Records numbered by (assessment, kind, object): a kind within an assessment is a
    run of numbers, which the group table in ``meta`` describes in a few bytes."""
    kinds = sorted({r.kind for r in corpus.records})
    groups: list[str | None] = sorted(corpus.assessments)
    gi = {aid: i for i, aid in enumerate(groups)}
    groups.append(None)  # laws and organizations
    ki = {k: i for i, k in enumerate(kinds)}
    recs = sorted(corpus.records, key=lambda r: (gi.get(r.aid, len(groups) - 1), ki[r.kind], r.gid))
    return recs, kinds, groups


def write_index(outdir: Path, site: SiteIndex, locate, gram_cache: dict | None = None) -> dict:
    """Write the index of a site under ``outdir`` (``_static/pia-search``); returns size figures."""
    return write_corpus(outdir, build_corpus(site, locate), gram_cache)


def write_corpus(outdir: Path, corpus: Corpus, gram_cache: dict | None = None) -> dict:
    """Write the index of a corpus; returns size figures.

    ``gram_cache`` maps (title, text, extra) to its grams; a rebuild after one edit finds
    nearly every record there.  Files whose content is unchanged are not rewritten,
    so a deployment that copies changed files only copies what changed."""
    recs, kinds, groups = ordered(corpus)
    outdir.mkdir(parents=True, exist_ok=True)
    cache = gram_cache if gram_cache is not None else {}
    used: dict = {}
    postings: dict[str, list[tuple[int, int]]] = {}
    for rid, r in enumerate(recs):
        sig = (r.title, r.text, r.extra)
        pairs = cache.get(sig)
        if pairs is None:
            pairs = record_grams(r.title, f"{r.text} {r.extra}")
        used[sig] = pairs
        for g, flag in pairs:
            postings.setdefault(g, []).append((rid, flag))
        for key, role in r.keys:
            postings.setdefault(f"{CITE}{role}:{key}", []).append((rid, 0))
    if gram_cache is not None:
        gram_cache.clear()
        gram_cache.update(used)  # keep what this build used: the cache does not grow without bound
    for lst in postings.values():
        lst.sort()  # citation keys of one record may come in any order
        # a record cites a key once in a role
        lst[:] = [p for i, p in enumerate(lst) if i == 0 or p[0] != lst[i - 1][0]]
    writer = _Writer(outdir)
    dirs = _write_postings(writer, postings)
    _write_records(writer, recs)
    kind_index = {k: i for i, k in enumerate(kinds)}
    group_index = {aid: i for i, aid in enumerate(groups[:-1])}
    counts = [[0] * len(kinds) for _ in groups]
    for r in recs:
        counts[group_index.get(r.aid, len(groups) - 1)][kind_index[r.kind]] += 1
    names = []
    for aid in groups:
        title, org = corpus.assessments[aid] if aid else ("", "")
        names.append([aid or "", title, org])
    for start in range(0, len(names), GROUPS_PER_CHUNK):
        writer.dump("n" + _base36(start // GROUPS_PER_CHUNK), names[start : start + GROUPS_PER_CHUNK])
    roles: dict[str, str] = {}
    for key in postings:
        if key.startswith(CITE):
            role, _, law_key = key[1:].partition(":")
            roles[law_key] = roles.get(law_key, "") + role
    meta = {
        "version": VERSION,
        "count": len(recs),
        "kinds": kinds,
        "kindLabels": {k: KIND_LABELS.get(k, k) for k in kinds},
        # per assessment (and last: none), its records of each kind
        "groups": ".".join(encode(row) for row in counts),
        "per": RECORDS_PER_CHUNK,
        "namesPer": GROUPS_PER_CHUNK,
        "dirs": dirs,
        "alt": writer.alt,
    }
    # loaded only for a query that looks like a citation
    writer.dump("laws", {
        "laws": {k: [*v, "".join(sorted(roles.get(k, "")))] for k, v in sorted(corpus.laws.items())},
        "aliases": dict(sorted(corpus.aliases.items())),
    })
    writer.dump("meta", meta)
    return {"records": len(recs), **writer.finish()}


def _write_postings(writer: "_Writer", postings: dict[str, list[tuple[int, int]]]) -> list[str]:
    """Write the postings chunks, the big keys' blocks and the directories; returns the
    first key of each directory (the top level, in ``meta``)."""
    units: list[tuple[str, object]] = []  # in key order: (first key, None) for a chunk, (key, [count, blocks]) for a big key
    chunk: dict[str, str] = {}
    size = 0

    def flush() -> None:
        nonlocal chunk, size
        if chunk:
            first = next(iter(chunk))
            units.append((first, None))
            writer.dump("p" + crc(first), chunk, "p:" + first)
        chunk, size = {}, 0

    for key in sorted(postings, key=js_order):
        entries = postings[key]
        enc = encode_postings(entries)
        if len(enc) > BIG_KEY_BYTES:
            flush()  # a chunk never spans a big key: a directory's chunks and big keys stay in order
            blocks = _blocks(entries)
            for n, block in enumerate(blocks):
                writer.dump(f"b{crc(key)}-{n}", {key: block}, f"b:{key}-{n}")
            units.append((key, [len(entries), len(blocks)]))
            continue
        entry = len(key.encode("utf-8")) + len(enc) + 6
        cut = size >= MIN_CHUNK_BYTES and zlib.crc32(key.encode("utf-8")) % CUT_EVERY == 0
        if chunk and (cut or size + entry > CHUNK_BYTES):
            flush()
        chunk[key] = enc
        size += entry
    flush()
    # directories of a few dozen units each, cut where a key's hash says (content-defined,
    # like the chunks): the top level lists only their first keys
    dirs: list[str] = []
    current: list[tuple[str, object]] = []

    def flush_dir() -> None:
        if current:
            first = current[0][0]
            dirs.append(first)
            writer.dump("d" + crc(first), {
                "c": [k for k, v in current if v is None],
                "big": {k: v for k, v in current if v is not None},
            }, "d:" + first)
        current.clear()

    for unit in units:
        key = unit[0]
        if current and (len(current) >= DIR_UNITS_MAX or (len(current) >= DIR_UNITS_MIN and zlib.crc32(b"d" + key.encode("utf-8")) % DIR_CUT_EVERY == 0)):
            flush_dir()
        current.append(unit)
    flush_dir()
    return dirs


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


def _write_records(writer: "_Writer", recs: list[Record]) -> None:
    for start in range(0, len(recs), RECORDS_PER_CHUNK):
        rows = []
        for r in recs[start : start + RECORDS_PER_CHUNK]:
            text = r.text
            row = [r.title, r.url, r.section, r.file, text[:TEXT_LIMIT]]
            if len(text) > TEXT_LIMIT:
                row.append(1)  # cut: the page has the rest (and the index has all of it)
            rows.append(row)
        writer.dump("r" + _base36(start // RECORDS_PER_CHUNK), rows)


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
    removing the files of an earlier build that this one did not write."""

    def __init__(self, outdir: Path):
        self.outdir = outdir
        self.written: set[str] = set()
        # "p:<first key>" or "b:<key>-<n>" → file name, where two files would share a name
        # (a crc32 collision); pia-search.js looks here before deriving the name
        self.alt: dict[str, str] = {}
        self.bytes = 0

    def dump(self, name: str, data, ident: str | None = None) -> None:
        if name + ".js" in self.written:
            alt = f"{name}x{len(self.alt)}"
            self.alt[ident or name] = alt
            name = alt
        body = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        text = f'piaSearchData("{name}",{body});\n'
        target = self.outdir / f"{name}.js"
        self.written.add(target.name)
        self.bytes += len(text.encode("utf-8"))
        try:
            if target.read_text(encoding="utf-8") == text:
                return
        except OSError:
            pass
        target.write_text(text, encoding="utf-8")

    def finish(self) -> dict:
        for stale in self.outdir.glob("*.js"):
            if stale.name not in self.written:
                stale.unlink()  # e.g. a record chunk of a corpus that has since shrunk
        return {"bytes": self.bytes, "files": len(self.written)}
