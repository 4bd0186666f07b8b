"""The site's own search index: Japanese text and legal citations, static and offline.

Sphinx's built-in search cannot find 「第19条第8号」, 「住民票コード」 or 「委託先」 in
Japanese (its index drops one-character tokens and it never splits the query).
We index instead:

- every object (provision, file, system, record item, …) as a *record* with its
  page, anchor, organization, assessment and text;
- the normalized text as character bigrams (no word segmentation to disagree
  between index and query), sharded so the browser loads only the shards of the
  query's bigrams;
- legal citations as structured keys (law, article, paragraph, item, table, row)
  from the citation parser, so a citation typed in any notation finds the items
  that cite it, whatever notation they were written in.

The browser side is ``static/pia-search.js``; it normalizes queries the same way.
"""

from __future__ import annotations

import json
import re
import unicodedata
import zlib
from functools import lru_cache
from dataclasses import dataclass, field
from pathlib import Path

from ..citations import _kanji_numbers
from ..index import SiteIndex
from ..render.laws import KIND_LABELS as RENDER_KIND_LABELS

SHARDS = 64
CHUNK = 400
TEXT_LIMIT = 1200

KIND_LABELS = {**RENDER_KIND_LABELS, "record-item": "記録項目"}


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


@lru_cache(maxsize=None)
def shard_of(gram: str) -> int:
    """Stable across Python and JS: crc32 of the UTF-8 bytes."""
    return zlib.crc32(gram.encode("utf-8")) % SHARDS


@dataclass
class Record:
    title: str
    kind: str
    url: str
    assessment: int  # index into the assessments table, -1 for none
    section: str  # where on the page (the parent's title)
    text: str
    keys: list[tuple[str, str]] = field(default_factory=list)  # (law gid, role)


def _texts(obj) -> list[str]:
    """The displayable strings of a model object: labels, values, options, notes."""
    out: list[str] = []

    def walk(value) -> None:
        if value is None:
            return
        if isinstance(value, str):
            out.append(value)
        elif isinstance(value, list):
            for v in value:
                walk(v)
        elif hasattr(type(value), "model_fields"):
            for name in type(value).model_fields:
                # curator notes and provenance are not what readers search for
                if name in ("raw", "id", "line", "end_line", "schema_", "key", "gap", "resolution", "confidence", "note", "resolution_note", "evidence", "ref", "duplicate_of", "annex"):
                    continue
                walk(getattr(value, name))

    walk(obj)
    return out


def build_records(site: SiteIndex, locate) -> tuple[list[Record], list[list[str]]]:
    """``locate(gid)`` → (url, title) where the site documents the object, or None."""
    assessments = sorted(site.assessments)
    a_index = {aid: i for i, aid in enumerate(assessments)}
    table = [[aid, site.assessments[aid].title, site.assessments[aid].doc.organization.name] for aid in assessments]
    owner_laws: dict[str, list[tuple[str, str]]] = {}
    for lgid, citations in site.citations.items():
        for c in citations:
            owner_laws.setdefault(c.owner, []).append((lgid, c.role))
    records: list[Record] = []
    for gid, rec in sorted(site.objects.items()):
        where = locate(gid)
        if where is None:
            continue
        url, _ = where
        kind = rec.kind
        parent = site.objects.get(rec.parent) if rec.parent else None
        section = parent.title if parent else (site.objects[rec.file].title if rec.file and rec.file in site.objects else "")
        if kind == "law":
            text = " ".join(f"{c.label} {c.text}" for c in site.citations.get(gid, [])[:5])
            keys = [(gid, "self")]
        elif kind == "file":
            f = rec.obj
            text = " ".join(_texts(f.name))
            keys = []
        elif kind in ("section",) and rec.obj is not None and hasattr(rec.obj, "sections"):
            text = ""  # a whole part: its sections are records of their own
            keys = []
        elif kind == "section":
            obj = rec.obj
            parts = _texts(getattr(obj, "items", obj if isinstance(obj, list) else []))
            text = " ".join(parts)
            keys = owner_laws.get(gid, [])
        elif kind == "assessment":
            text = " ".join(_texts(rec.obj.doc.cover))
            keys = []
        else:
            text = " ".join(_texts(rec.obj))
            keys = owner_laws.get(gid, [])
        title = rec.title
        if kind == "entrustment":
            # what a reader scans a result list for: who, and whether they subcontract
            facts = []
            contractor = rec.obj.get("contractor")
            if contractor is not None and contractor.text:
                facts.append(f"委託先: {contractor.text}")
            sub = rec.obj.get("subcontract")
            if sub is not None and sub.select is not None and sub.select.value:
                facts.append(f"再委託: {sub.select.value}")
            if facts:
                title = f"{title}（{'、'.join(facts)}）"
        records.append(Record(title, kind, url, a_index.get(rec.assessment, -1), section, text[: TEXT_LIMIT * 4], keys))
        if kind == "file" and rec.obj.record_items is not None:
            items_url = url.split("#")[0] + f"#{rec.obj.id}-items"
            for item in rec.obj.record_items.all:
                records.append(Record(item.name, "record-item", items_url, a_index.get(rec.assessment, -1), rec.title, f"記録項目 {item.name} {rec.title}"))
    return records, table


def record_grams(title: str, text: str) -> tuple[tuple[int, str], ...]:
    """(shard, gram) pairs of one record: its text and title bigrams, and the title
    bigrams again marked 「T」 (a title match ranks first)."""
    title_norm = normalize(title)
    title_grams = bigrams(title_norm)
    grams = bigrams(normalize(text)) | title_grams
    pairs = [(shard_of(g), g) for g in sorted(grams)]
    pairs += [(shard_of("T" + g), "T" + g) for g in sorted(title_grams)]
    return tuple(pairs)


def write_index(outdir: Path, site: SiteIndex, locate, gram_cache: dict | None = None) -> dict:
    """Write the index under ``outdir`` (``_static/pia-search``); returns size figures.

    ``gram_cache`` maps (title, text) to its grams; a rebuild after one edit finds
    nearly every record there.  Files whose content is unchanged are not rewritten,
    so a deployment that copies changed files only copies what changed."""
    records, table = build_records(site, locate)
    outdir.mkdir(parents=True, exist_ok=True)
    cache = gram_cache if gram_cache is not None else {}
    used: dict = {}
    postings: list[dict[str, list[int]]] = [{} for _ in range(SHARDS)]
    for rid, r in enumerate(records):
        sig = (r.title, r.text)
        pairs = cache.get(sig)
        if pairs is None:
            pairs = record_grams(r.title, r.text)
        used[sig] = pairs
        for shard, g in pairs:
            postings[shard].setdefault(g, []).append(rid)
    if gram_cache is not None:
        gram_cache.clear()
        gram_cache.update(used)  # keep what this build used: the cache does not grow without bound
    written: set[str] = set()
    for n, shard in enumerate(postings):
        enc = {g: _delta(ids) for g, ids in sorted(shard.items())}
        written.add(_dump(outdir / f"p{n:02d}.json", enc))
    for start in range(0, len(records), CHUNK):
        chunk = [[r.title, r.url, r.section, r.text[:TEXT_LIMIT]] for r in records[start : start + CHUNK]]
        written.add(_dump(outdir / f"r{start // CHUNK:04d}.json", chunk))
    kinds = sorted({r.kind for r in records})
    keys: dict[str, dict] = {}
    for rid, r in enumerate(records):
        for lgid, role in r.keys:
            ref = site.laws[lgid]
            entry = keys.setdefault(ref.key, {"l": ref.law, "a": ref.article, "p": ref.paragraph, "i": ref.item, "t": ref.table, "r": ref.row, "s": int(ref.suppl), "b": [], "m": [], "x": []})
            entry[{"basis": "b", "mention": "m", "self": "x"}[role]].append(rid)
    aliases = {}
    for law in site.registry.laws.values():
        for name in (law.name, *(a.name for a in law.aliases)):
            aliases[normalize(name)] = law.id
    meta = {
        "version": 1,
        "shards": SHARDS,
        "chunk": CHUNK,
        "count": len(records),
        "kinds": kinds,
        "kindLabels": {k: KIND_LABELS.get(k, k) for k in kinds},
        "assessments": table,
        "rk": [kinds.index(r.kind) for r in records],
        "ra": [r.assessment for r in records],
    }
    written.add(_dump(outdir / "meta.json", meta))
    written.add(_dump(outdir / "keys.json", {"keys": keys, "aliases": aliases}))
    for stale in outdir.glob("*.js"):
        if stale.name not in written:
            stale.unlink()  # e.g. a record chunk of a corpus that has since shrunk
    size = sum(p.stat().st_size for p in outdir.glob("*.js"))
    return {"records": len(records), "bytes": size, "files": len(list(outdir.glob("*.js")))}


def _delta(ids: list[int]) -> list[int]:
    out, prev = [], 0
    for i in ids:
        out.append(i - prev)
        prev = i
    return out


def _dump(path: Path, data) -> str:
    """Index files are scripts that hand their data to the page: a fetch() of a JSON
    file is refused for pages opened from the file system, a <script> is not."""
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    target = path.with_suffix(".js")
    text = f'piaSearchData("{path.stem}",{body});\n'
    try:
        if target.read_text(encoding="utf-8") == text:
            return target.name
    except OSError:
        pass
    target.write_text(text, encoding="utf-8")
    return target.name
