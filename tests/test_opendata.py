"""Open data: JSON round-trips the model, the CSVs read back with the csv module match it."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import jsonschema
import pytest

from sphinx_pia.check import check
from sphinx_pia.index import SiteIndex
from sphinx_pia.loader import load_content
from sphinx_pia.model import FieldKey
from sphinx_pia.opendata import COLUMNS, csv_files, from_json, json_schema, open_data, to_json, write_open_data

ROOT = Path(__file__).resolve().parents[1]
DAY = dt.date(2026, 12, 2)


@pytest.fixture(scope="module")
def model():
    assessments = load_content(ROOT / "content")
    return assessments, check(assessments, DAY)


@pytest.fixture(scope="module")
def tables(model):
    assessments, findings = model
    files = csv_files(SiteIndex(assessments), findings)
    out = {}
    for name, data in files.items():
        assert data.startswith(b"\xef\xbb\xbf"), name  # BOM by default, for Excel
        out[name.removesuffix(".csv")] = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    return out


def test_json_round_trips_the_model(model):
    assessments, findings = model
    text = to_json(open_data(assessments, findings, DAY))
    back = from_json(text)
    assert back.generated == "2026-12-02"
    models = back.to_models()
    assert [a.id for a in models] == [a.id for a in assessments]
    for a, b in zip(assessments, models):
        assert a.doc == b.doc, a.id
        assert a.files == b.files and a.changes == b.changes and a.annexes == b.annexes, a.id
    assert len(back.findings) == len(findings)
    assert back.findings[0].basis == findings[0].rule_info.basis


def test_json_validates_against_its_schema(model):
    assessments, findings = model
    data = json.loads(to_json(open_data(assessments, findings, DAY)))
    jsonschema.Draft202012Validator(json_schema()).validate(data)
    data["assessments"][0]["assessment"]["status"] = "finished"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(json_schema()).validate(data)


def test_every_kind_has_its_columns(tables):
    assert set(tables) == set(COLUMNS)
    for kind, rows in tables.items():
        assert rows, kind
        assert list(rows[0]) == [c for c, _ in COLUMNS[kind]]
        for _, description in COLUMNS[kind]:
            assert description


def test_assessments_csv(model, tables):
    assessments, _ = model
    rows = {r["id"]: r for r in tables["assessments"]}
    assert set(rows) == {a.id for a in assessments}
    for a in assessments:
        pub = a.cover_item(FieldKey.published_on)
        assert rows[a.id]["published_on"] == ((pub.text or "") if pub else "")
        assert rows[a.id]["form"] == a.doc.form.kind.value
        assert int(rows[a.id]["files"]) == len(a.files)
    assert rows["hanamaki-kojin-juminzei"]["published_on_iso"] == "2020-03-29"
    assert rows["fujimino-juki"]["published_on_iso"] == "2026-02-05"
    assert rows["sapporo-juki"]["published_on_iso"] == ""


def test_record_items_csv(model, tables):
    assessments, _ = model
    for a in assessments:
        for f in a.files:
            got = [r["name"] for r in tables["record_items"] if r["file_id"] == f"{a.id}/{f.id}"]
            assert got == [i.name for i in (f.record_items.all if f.record_items else [])]


def test_provisions_csv(model, tables):
    assessments, _ = model
    by_id = {a.id: a for a in assessments}
    rows = tables["provisions"]
    fuji = [r for r in rows if r["assessment_id"] == "fujimino-juki" and r["source"] == "annex-row"]
    annexes = {x.id: x for x in by_id["fujimino-juki"].annexes}
    assert len(fuji) == len(annexes["annex-1"].rows) + len(annexes["annex-2"].rows) == 81
    entries = [r for r in rows if r["source"] == "entry"]
    expected = [(f"{a.id}/{p.id}", p.get(FieldKey.legal_basis).display if p.get(FieldKey.legal_basis) else "")
                for a in assessments for f in a.files for s in f.overview.sections for p in [*s.provisions, *s.transfers]]
    assert sorted((r["id"], r["legal_basis"]) for r in entries) == sorted(expected)
    # parsed legal bases: Hanamaki's 提供先1 cites 番号法第19条第7号 and 別表第二の1の項
    h1 = next(r for r in entries if r["id"] == "hanamaki-kojin-juminzei/file-1-prov-1")
    assert "law/bangoho-art-19-i7" in h1["references"].split(";")
    assert any("別表第二" in label for label in h1["reference_labels"].split(";"))


def test_changes_and_findings_csv(model, tables):
    assessments, findings = model
    rows = {r["id"]: r for r in tables["changes"]}
    n = 0
    for a in assessments:
        for e in a.changes.entries if a.changes else []:
            n += 1
            r = rows[f"{a.id}/{e.id}"]
            assert (r["before"], r["after"], r["date"]) == (e.before.text or "", e.after.text or "", e.date.text or "")
            if e.date.text and e.date.date:
                assert r["date_iso"] == e.date.date.iso
    assert len(rows) == n == 166
    assert [(r["rule"], r["target"], r["message"]) for r in tables["findings"]] == [(f.rule, f.target, f.message) for f in findings]


def test_write_without_bom(tmp_path, model):
    assessments, findings = model
    names = write_open_data(tmp_path, assessments, findings, bom=False, today=DAY)
    assert {"pia.json", "pia.schema.json", "changes.csv"} <= set(names)
    data = (tmp_path / "changes.csv").read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf") and data.decode("utf-8").startswith("id,")


def test_cached_parts_give_the_same_files_and_follow_an_edit(tmp_path, model):
    assessments, findings = model
    plain = tmp_path / "plain"
    write_open_data(plain, assessments, findings, today=DAY)
    cache: dict = {}
    keys = {a.id: "v1" for a in assessments}
    first = tmp_path / "first"
    write_open_data(first, assessments, findings, today=DAY, cache=cache, keys=keys)
    assert cache and {aid for part, aid in cache if part != "file"} == set(keys)
    # and what it wrote: a file left as it was is not read back to be compared
    assert {name for part, name in cache if part == "file"} == {str(p) for p in first.iterdir()}
    mtimes = {p.name: p.stat().st_mtime_ns for p in first.iterdir()}
    (first / "systems.csv").write_bytes(b"edited by hand")
    write_open_data(first, assessments, findings, today=DAY, cache=cache, keys=keys)
    assert (first / "systems.csv").read_bytes() == (plain / "systems.csv").read_bytes()  # put right again
    assert {p.name: p.stat().st_mtime_ns for p in first.iterdir() if p.name != "systems.csv"} == {
        n: t for n, t in mtimes.items() if n != "systems.csv"}  # the others were left as they were
    for path in plain.iterdir():
        assert (first / path.name).read_bytes() == path.read_bytes(), path.name
    # a cached part is used as it is while its key holds: a planted text shows it is
    edited = next(a for a in assessments if a.files)
    part = ("csv:files", edited.id)
    assert isinstance(cache[part][1], bytes)  # pickled as it is, not encoded again
    cache[part] = (cache[part][0], cache[part][1].replace(edited.files[0].name.text.encode("utf-8"), "キャッシュから".encode("utf-8")))
    second = tmp_path / "second"
    write_open_data(second, assessments, findings, today=DAY, cache=cache, keys=keys)
    assert "キャッシュから" in (second / "files.csv").read_bytes().decode("utf-8-sig")
    # a new key computes the part again
    third = tmp_path / "third"
    write_open_data(third, assessments, findings, today=DAY, cache=cache, keys={**keys, edited.id: "v2"})
    assert (third / "files.csv").read_bytes() == (plain / "files.csv").read_bytes()
    assert (third / "pia.json").read_bytes() == (plain / "pia.json").read_bytes()
