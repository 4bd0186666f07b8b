"""The search index writer: its chunked layout, deterministic output, the gram cache,
no churn, whole texts searchable, and the merge of shards.

A city publishes the built site by copying it to a web server; files that did
not change should not change, so an upload after one edit stays small.  The
layout is read back here by a small reader that follows the same directory as
pia-search.js (the browser tests run the real thing)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sphinx_pia.index import SiteIndex
from sphinx_pia.loader import load_content
from sphinx_pia.search import index as search_index
from sphinx_pia.search.records import signature_of as index_signature
from sphinx_pia.search.index import ALPHABET, build_corpus, crc, js_order, normalize, write_corpus, write_index
from sphinx_pia.search.records import Corpus, merge

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def assessments():
    return load_content(ROOT / "content")


@pytest.fixture(scope="module")
def site(assessments):
    return SiteIndex(assessments)


def _locate(site: SiteIndex):
    def locate(gid: str):
        rec = site.objects.get(gid)
        return (f"pia/{gid.replace('/', '-')}.html#x", rec.title) if rec else None

    return locate


def _files(path: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(path.glob("*.js"))}


class Reader:
    """Reads an index the way pia-search.js does: directory, chunks, blocks, record chunks."""

    def __init__(self, path: Path):
        self.path = path
        self.meta = self.load("meta")

    def load(self, name: str):
        text = (self.path / f"{name}.js").read_text(encoding="utf-8")
        head = f'piaSearchData("{name}",'
        assert text.startswith(head) and text.endswith(");\n")
        return json.loads(text[len(head) : -3])

    @staticmethod
    def ints(enc: str) -> list[int]:
        vals, v, mul = [], 0, 1
        for ch in enc:
            d = ALPHABET.index(ch)
            if d >= 32:
                v += (d - 32) * mul
                mul *= 32
            else:
                vals.append(v + d * mul)
                v, mul = 0, 1
        return vals

    @classmethod
    def decode(cls, enc: str) -> list[tuple[int, int]]:
        out, prev = [], -1
        for x in cls.ints(enc):
            prev += 1 + x // 2
            out.append((prev, x % 2))
        return out

    def _name(self, ident: str, derived: str) -> str:
        return self.meta["alt"].get(ident, derived)

    def postings(self, key: str) -> list[tuple[int, int]]:
        if "dir" in self.meta:  # a small directory travels in meta
            directory = self.meta["dir"]
        else:
            dirs = [k for k in self.meta["dirs"] if js_order(k) <= js_order(key)]
            if not dirs:
                return []
            directory = self.load(self._name(f"d:{dirs[-1]}", f"d{crc(dirs[-1])}"))
        chunks = directory["c"].split(" ") if directory["c"] else []
        bigs = directory["b"].split(" ") if directory["b"] else []
        counts = self.ints(directory["n"])
        big = {k: counts[2 * i : 2 * i + 2] for i, k in enumerate(bigs)}.get(key)
        if big:
            out = []
            for n in range(big[1]):
                out += self.decode(self.load(self._name(f"b:{key}-{n}", f"b{crc(key)}-{n}"))[key])
            assert len(out) == big[0]
            return out
        firsts = [k for k in chunks if js_order(k) <= js_order(key)]
        if not firsts:
            return []
        chunk = self.load(self._name(f"p:{firsts[-1]}", f"p{crc(firsts[-1])}"))
        return self.decode(chunk[key]) if key in chunk else []

    def _chunk_of(self, rid: int) -> tuple[dict, int]:
        # numbers run kind by kind: a kind's first number is the sum of the counts before it
        start = 0
        for k, n in enumerate(self.meta["kindCounts"]):
            if rid < start + n:
                per = self.meta["per"][k]
                name = f"r{search_index._base36(k)}-{search_index._base36((rid - start) // per)}"
                return self.load(name), (rid - start) % per
            start += n
        raise IndexError(rid)

    def record(self, rid: int) -> list:
        chunk, place = self._chunk_of(rid)
        return chunk["r"][place]

    def assessment(self, rid: int) -> list | None:
        """[ID, title, organization] of a record's assessment, from its record chunk."""
        chunk, place = self._chunk_of(rid)
        row = chunk["r"][place]
        return chunk["g"][row[6]] if len(row) > 6 else None

    def find(self, phrase: str) -> set[int]:
        """Records holding every bigram of the phrase."""
        ids = None
        for g in search_index.bigrams(normalize(phrase)):
            got = {rid for rid, _ in self.postings(g)}
            ids = got if ids is None else ids & got
        return ids or set()


def test_state_gives_the_same_index_and_unchanged_files_are_not_rewritten(site, tmp_path):
    plain, kept = tmp_path / "plain", tmp_path / "kept"
    write_index(plain, site, _locate(site))
    state: dict = {}
    write_index(kept, site, _locate(site), state)
    assert state["files"] and state["enc"]  # filled by the first build
    assert _files(plain) == _files(kept)

    mtimes = {p.name: p.stat().st_mtime_ns for p in kept.glob("*.js")}
    write_index(kept, site, _locate(site), state)
    assert {p.name: p.stat().st_mtime_ns for p in kept.glob("*.js")} == mtimes
    assert _files(plain) == _files(kept)


def test_a_smaller_corpus_leaves_no_stale_files(assessments, site, tmp_path):
    out = tmp_path / "idx"
    write_index(out, site, _locate(site))
    before = set(_files(out))
    small = SiteIndex([a for a in assessments if a.id == "unidentified-juki-changes"])
    state: dict = {"stale": ()}
    write_index(out, small, _locate(small), state)
    after = set(_files(out))
    assert len(after) < len(before)  # fewer chunks; the old ones are gone
    assert "stale" not in state  # the state keeps only what the last build wrote
    fresh = tmp_path / "fresh"
    write_index(fresh, small, _locate(small))
    assert _files(out) == _files(fresh)


def test_chunks_are_bounded_and_every_key_is_found_through_the_directory(site, tmp_path, monkeypatch):
    # the seeds are small: lower the bounds so frequent bigrams become big keys in several blocks
    monkeypatch.setattr(search_index, "BIG_KEY_BYTES", 400)
    monkeypatch.setattr(search_index, "BLOCK_BYTES", 600)
    monkeypatch.setattr(search_index, "INLINE_UNITS", 0)  # directories in files of their own, as at scale
    out = tmp_path / "idx"
    corpus = build_corpus(site, _locate(site))
    write_corpus(out, corpus)
    reader = Reader(out)
    files = _files(out)
    for name, text in files.items():
        size = len(text.encode("utf-8"))
        if name.startswith("p"):
            assert size <= search_index.CHUNK_BYTES + 200, name
        elif name.startswith("b"):
            assert size <= search_index.BLOCK_BYTES + 200, name
    assert len([n for n in files if n.startswith("p")]) > 10  # postings are split, not one file
    blocks = [n for d in files if d.startswith("d") for n in reader.ints(reader.load(d[:-3])["n"])[1::2]]
    assert any(n > 1 for n in blocks)  # frequent bigrams have blocks of their own
    assert len(reader.meta["dirs"]) > 1  # a directory of directories
    # every key of every record is where the directory says, with the record's number
    recs, _, _ = search_index.ordered(corpus)
    for rid in range(0, len(recs), 37):
        r = recs[rid]
        assert reader.record(rid)[:2] == [r.title, r.url]
        for gram, flag in search_index.record_grams(r.title, f"{r.text} {r.extra}"):
            assert (rid, flag) in reader.postings(gram), (r.gid, gram)
        for key, role in r.keys:
            assert rid in {i for i, _ in reader.postings(search_index.cite_key(key, role))}
    assert reader.postings("存在しない語句") == []


def test_an_edit_rewrites_only_the_files_it_touches(assessments, site, tmp_path):
    out = tmp_path / "idx"
    corpus = build_corpus(site, _locate(site))
    write_corpus(out, corpus)
    before = _files(out)
    edited = next(r for r in corpus.records if r.kind == "entrustment")
    edited.text += " 改訂された委託の内容"
    write_corpus(out, corpus)
    after = _files(out)
    changed = {n for n in after if before.get(n) != after[n]} | (set(before) - set(after))
    assert changed  # the edit reached the index
    assert len(changed) <= 12, sorted(changed)  # a record chunk, a few postings chunks, the directory
    assert len(changed) < len(after) / 10
    reader = Reader(out)
    recs, _, _ = search_index.ordered(corpus)
    rid = next(i for i, r in enumerate(recs) if r.gid == edited.gid)
    assert rid in reader.find("改訂された委託")


def test_long_texts_are_indexed_whole_and_shown_cut(site, tmp_path):
    corpus = build_corpus(site, _locate(site))
    long = max(corpus.records, key=lambda r: len(r.text))
    assert len(long.text) > search_index.TEXT_LIMIT * 3  # the seeds have such texts
    out = tmp_path / "idx"
    write_corpus(out, corpus)
    reader = Reader(out)
    recs, _, _ = search_index.ordered(corpus)
    rid = next(i for i, r in enumerate(recs) if r.gid == long.gid)
    row = reader.record(rid)
    assert row[4] == long.text[: search_index.TEXT_LIMIT] and row[5] == 1  # cut, and marked as cut
    tail = long.text[-12:]
    assert rid in reader.find(tail)  # the end of the text is still found


def test_choices_show_the_chosen_value_and_keep_the_others_searchable(site):
    corpus = build_corpus(site, _locate(site))
    checked = 0
    for gid, rec in site.objects.items():
        if rec.kind != "entrustment":
            continue
        sub = rec.obj.get("subcontract")
        if sub is None or sub.select is None or not sub.select.value or len(sub.select.options) < 2:
            continue
        r = next(x for x in corpus.records if x.gid == gid)
        for option in sub.select.options:
            if option == sub.select.value:
                assert option in r.text
            else:
                assert option in r.extra
        checked += 1
    assert checked >= 3
    shown = " ".join(r.text for r in corpus.records)
    assert "再委託する 再委託しない" not in shown  # the option list no longer reads as the value


def test_records_name_their_file(site):
    corpus = build_corpus(site, _locate(site))
    rows = [r for r in corpus.records if r.kind == "entrustment" and r.aid == "fujimino-juki"]
    files = {r.file for r in rows}
    assert len(files) >= 2 and "" not in files  # 委託 rows of file-1…5 can be told apart


def _shard_corpora(assessments, locate_factory):
    by_org: dict[str, list] = {}
    for a in assessments:
        by_org.setdefault(a.doc.organization.id, []).append(a)
    out = []
    for org in sorted(by_org):
        shard = SiteIndex(by_org[org])
        exported = json.dumps(build_corpus(shard, locate_factory(shard)).to_json(), ensure_ascii=False)
        out.append(Corpus.from_json(json.loads(exported)))  # through JSON, as a shard's export would travel
    return out


def test_the_index_merged_from_shards_equals_the_single_build(assessments, site, tmp_path):
    """docs/scale.md: each organization's shard exports its corpus; the merged corpus
    gives the same index files, byte for byte, as one build of every assessment."""
    single, merged = tmp_path / "single", tmp_path / "merged"
    write_index(single, site, _locate(site))
    shards = _shard_corpora(assessments, _locate)
    assert len(shards) >= 4
    write_corpus(merged, merge(shards))
    assert _files(merged) == _files(single)


def test_an_incremental_write_equals_a_full_write_after_edits(site, tmp_path, monkeypatch):
    """The state of the last build lets an edit re-read only the records it changed and
    re-encode only the lists it changed; the files are still those of a build from scratch."""
    import copy

    corpus = build_corpus(site, _locate(site))
    out, state = tmp_path / "idx", {}
    write_corpus(out, corpus, state)
    grams, encoded = [], []
    record_grams, encode_postings = search_index.record_grams, search_index.encode_postings
    monkeypatch.setattr(search_index, "record_grams", lambda *a: grams.append(a) or record_grams(*a))
    monkeypatch.setattr(search_index, "encode_postings", lambda e: encoded.append(e) or encode_postings(e))

    def edit(change, rewrites: float = 0.1) -> tuple[int, int]:
        change(corpus)
        grams.clear()
        encoded.clear()
        before = {p.name: p.stat().st_mtime_ns for p in out.glob("*.js")}
        write_corpus(out, corpus, state)
        work = len(grams), len(encoded)
        fresh = tmp_path / f"fresh{len(list(tmp_path.iterdir()))}"
        write_corpus(fresh, copy.deepcopy(corpus))
        assert _files(out) == _files(fresh)
        after = {p.name: p.stat().st_mtime_ns for p in out.glob("*.js")}
        rewritten = {n for n in after if before.get(n) != after[n]}
        assert len(rewritten) < len(after) * rewrites, sorted(rewritten)
        return work

    entrustment = next(r for r in corpus.records if r.kind == "entrustment")
    read, lists = edit(lambda c: setattr(entrustment, "text", entrustment.text + " 改訂された委託の内容"))
    assert read == 1  # only the edited record was read again
    assert 0 < lists < 40  # only the lists it changed were encoded
    # a title edit moves the record within its kind (records are numbered by title) and
    # shifts the records between: only the edited one is read again, and only the lists
    # holding one of the moved records are encoded again
    cited = next(r for r in corpus.records if r.keys and r.kind not in ("law",))
    before, _, _ = search_index.ordered(corpus)
    read, lists = edit(lambda c: (setattr(cited, "keys", cited.keys[1:]), setattr(cited, "title", cited.title + "改題")), rewrites=0.5)
    assert read == 1
    reader = Reader(out)
    recs, _, _ = search_index.ordered(corpus)
    rid = next(i for i, r in enumerate(recs) if r.gid == cited.gid)
    assert rid != next(i for i, r in enumerate(before) if r.gid == cited.gid)  # it moved
    assert (rid, 1) in reader.postings("改題")  # a title gram, flagged as such
    moved = [r for i, r in enumerate(recs) if before[i].gid != r.gid]
    keys = set().union(*(search_index.record_grams(r.title, f"{r.text} {r.extra}") for r in moved))
    assert 0 < lists <= len(keys) + sum(len(r.keys) for r in moved) + len(moved) + 2

    # a record removed: the numbers after it move, so every list is built again, but the
    # grams of unchanged records still come from the state
    gone = next(r for r in corpus.records if r.kind == "change")
    corpus.records.remove(gone)
    grams.clear()
    write_corpus(out, corpus, state)
    assert grams == []
    fresh = tmp_path / "fresh-removed"
    write_corpus(fresh, corpus)
    assert _files(out) == _files(fresh)


def test_records_are_numbered_by_kind_and_title_and_a_record_chunk_holds_one_kind(site, tmp_path):
    # a first page of results is mostly one kind, often the same item in many assessments:
    # numbered by kind, then title, those records are neighbours in a chunk or two
    corpus = build_corpus(site, _locate(site))
    out = tmp_path / "idx"
    write_corpus(out, corpus)
    recs, kinds, groups = search_index.ordered(corpus)
    order = [(kinds.index(r.kind), r.title, groups.index(r.aid if r.aid in groups else None)) for r in recs]
    assert order == sorted(order)
    reader = Reader(out)
    by_file: dict[str, set[str]] = {}
    offset = {}
    for rid, r in enumerate(recs):
        offset.setdefault(r.kind, rid)
        name, _ = search_index.record_chunk(kinds.index(r.kind), rid - offset[r.kind], search_index.per_chunk(r.kind))
        by_file.setdefault(name, set()).add(r.kind)
        assert reader.record(rid)[:2] == [r.title, r.url]
        # the chunk names the record's assessment (laws and organizations have none)
        names = reader.assessment(rid)
        if r.aid in corpus.assessments:
            assert names == [r.aid, *corpus.assessments[r.aid]], r.gid
        else:
            assert names is None, r.gid
    assert all(len(k) == 1 for k in by_file.values())
    assert set(by_file) == {n[:-3] for n in _files(out) if n.startswith("r")}
    # records of one title in different assessments are neighbours, in as few chunks as they fill
    same_title: dict[tuple[str, str], list[int]] = {}
    for rid, r in enumerate(recs):
        same_title.setdefault((r.kind, r.title), []).append(rid)
    shared = [rids for rids in same_title.values() if len({recs[i].aid for i in rids}) >= 3]
    assert shared  # the seeds share items such as 住民票コード across assessments
    for rids in shared:
        files = {search_index.record_chunk(kinds.index(recs[i].kind), i - offset[recs[i].kind], search_index.per_chunk(recs[i].kind))[0] for i in rids}
        assert rids == list(range(rids[0], rids[0] + len(rids)))  # neighbours
        per = search_index.per_chunk(recs[rids[0]].kind)
        assert len(files) <= 1 + -(-len(rids) // per), (recs[rids[0]].title, files)  # a chunk boundary at most


def test_group_keys_list_each_assessments_records(site, tmp_path):
    """A filter by assessment or organization reads group keys: each lists exactly the
    records of its assessment."""
    corpus = build_corpus(site, _locate(site))
    out = tmp_path / "idx"
    write_corpus(out, corpus)
    recs, _, groups = search_index.ordered(corpus)
    reader = Reader(out)
    assert reader.meta["ngroups"] == len(groups)
    for gi, aid in enumerate(groups[:-1]):
        listed = reader.postings(search_index.group_key(gi))
        assert [rid for rid, _ in listed] == [rid for rid, r in enumerate(recs) if r.aid == aid], aid
    assert len(groups) > 3


def test_a_renamed_assessment_rewrites_the_record_chunks_that_name_it(site, tmp_path):
    corpus = build_corpus(site, _locate(site))
    out = tmp_path / "idx"
    state: dict = {}
    write_corpus(out, corpus, state)
    aid = sorted(corpus.assessments)[0]
    title, org = corpus.assessments[aid]
    corpus.assessments[aid] = (title + "（改訂）", org)
    write_corpus(out, corpus, state)
    fresh = tmp_path / "fresh"
    write_corpus(fresh, corpus)
    assert _files(out) == _files(fresh)
    reader = Reader(out)
    recs, _, _ = search_index.ordered(corpus)
    rid = next(i for i, r in enumerate(recs) if r.aid == aid and r.kind != "assessment")
    assert reader.assessment(rid)[1] == title + "（改訂）"


def test_corpus_records_of_unchanged_assessments_come_from_the_state(assessments, site, monkeypatch):
    """build_corpus walks the models of changed assessments only; the corpus is the same."""
    from sphinx_pia.search import records

    def locate(gid):
        return f"{gid}.html", gid

    walked: list = []
    real = records._texts
    monkeypatch.setattr(records, "_texts", lambda obj: walked.append(obj) or real(obj))
    plain = records.build_corpus(site, locate)
    first_walks = len(walked)
    cache: dict = {}
    signatures = {a.id: f"sig-{a.id}" for a in assessments}
    assert records.build_corpus(site, locate, cache, signatures) == plain
    assert set(cache) == set(signatures)
    walked.clear()
    again = records.build_corpus(site, locate, cache, signatures)
    assert again == plain
    # only what belongs to no assessment (an organization) is walked again
    assert walked and all(type(obj).__name__ == "Organization" for obj in walked)
    # a reused record remembers the cache's signature tuple: the state pickles it once
    reused = next(r for r in again.records if r.aid)
    assert index_signature(reused) is next(sig for sig in cache[reused.aid][1] if sig[0] == reused.gid)
    reused.text += " 編集"  # a record changed after it was made is signed anew
    assert index_signature(reused)[7].endswith(" 編集")
    unowned = len(walked)
    walked.clear()
    edited = sorted(signatures)[0]
    signatures[edited] = "sig-changed"
    assert records.build_corpus(site, locate, cache, signatures) == plain
    assert unowned < len(walked) < first_walks
    assert {aid for aid, (key, _) in cache.items() if key[0] == "sig-changed"} == {edited}
    # where the pages are is part of the key: another URL scheme walks every model again
    walked.clear()
    assert records.build_corpus(site, lambda gid: (f"other/{gid}.html", gid), cache, signatures) != plain
    assert len(walked) == first_walks
