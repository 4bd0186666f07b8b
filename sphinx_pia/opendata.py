"""Open data: the whole model as JSON (with its JSON Schema) and one CSV per kind.

Pure Python (no Sphinx); the build writes the files (sphinx_ext/review.py).

- ``pia.json``: every assessment exactly as the model holds it (the YAML files
  with their derived IDs), plus a summary per assessment and the findings.
  ``OpenData.model_validate(json)`` gives the model back: it round-trips.
- ``pia.schema.json``: the JSON Schema of ``pia.json``, generated from the model.
- ``<kind>.csv``: flat tables for spreadsheets.  IDs are the site's global IDs
  (``<assessment id>/<local id>``), stable across builds because they come from the
  form's numbering.  Every date is given as printed (和暦) and in ISO 8601 beside it
  (オープンデータガイド: 「年の値には、西暦表記を備えることが望ましい」).  UTF-8, with a
  BOM by default so that Excel opens it as UTF-8.

``COLUMNS`` describes every column in Japanese; the site's open-data page lists it.
"""

from __future__ import annotations

import csv
import hashlib
import datetime as dt
import io
import json
from typing import Callable, Iterable

from pydantic import BaseModel, Field as PydField

from .check import Finding
from .index import SiteIndex, system_name
from .model import Annex, Assessment, AssessmentDoc, ChangeLog, FieldKey, SpecificFile
from .model.values import Field

FORMAT = "sphinx-pia/open-data/1"


# --- JSON ------------------------------------------------------------------------------------


class OpenAssessment(BaseModel):
    id: str
    organization: str
    title: str
    published_on: str | None = PydField(description="公表日 as printed (和暦).")
    published_on_iso: str | None = PydField(description="公表日 in ISO 8601 (YYYY, YYYY-MM or YYYY-MM-DD).")
    assessment: AssessmentDoc
    files: list[SpecificFile] = []
    changes: ChangeLog | None = None
    annexes: list[Annex] = []


class OpenFinding(BaseModel):
    rule: str
    severity: str
    title: str
    basis: str
    assessment: str
    organization: str
    target: str
    message: str
    line: int | None = None


class OpenData(BaseModel):
    format: str = FORMAT
    generated: str = PydField(description="The build date, ISO 8601.")
    assessments: list[OpenAssessment]
    findings: list[OpenFinding] = []

    def to_models(self) -> list[Assessment]:
        return [Assessment(doc=a.assessment, files=list(a.files), changes=a.changes, annexes=list(a.annexes)) for a in self.assessments]


def _iso(item: Field | None) -> str | None:
    d = item.date if item is not None and item.text else None
    return d.iso if d else None


def open_assessment(a: Assessment) -> OpenAssessment:
    pub = a.cover_item(FieldKey.published_on)
    return OpenAssessment(
        id=a.id, organization=a.doc.organization.id, title=a.title,
        published_on=(pub.text or None) if pub else None, published_on_iso=_iso(pub),
        assessment=a.doc, files=a.files, changes=a.changes, annexes=a.annexes,
    )


def open_data(assessments: Iterable[Assessment], findings: Iterable[Finding] = (), today: dt.date | None = None) -> OpenData:
    return OpenData(
        generated=(today or dt.date.today()).isoformat(), assessments=[open_assessment(a) for a in assessments],
        findings=[OpenFinding(**{k: v for k, v in f.as_dict().items()}) for f in findings],
    )


def to_json(data: OpenData, lines: Iterable[str] | None = None) -> str:
    """``pia.json``: indented at the top, one line per assessment (a diff of two
    versions shows which assessments changed; and the compact form is written by the
    json module's C encoder, where indenting takes its Python one: at 40 assessments
    that was seconds of every build).  *lines*: the assessments' lines, when *data*
    holds none of its own (``assessment_json`` of each, or the same text from a cache):
    the file is the same either way."""
    if lines is None:
        lines = [assessment_json(a) for a in data.assessments]
    head, tail = _frame(data, bool(lines))
    return head + ",\n  ".join(lines) + tail


def _frame(data: OpenData, any_lines: bool) -> tuple[str, str]:
    """pia.json before and after the assessments' lines (which go between, separated by
    ``",\n  "``)."""
    # exclude_defaults keeps the file small; required values (even null ones) stay
    rest = data.model_dump(mode="json", by_alias=True, exclude_defaults=True, exclude={"assessments"})
    parts = []
    for name in OpenData.model_fields:
        if name == "assessments":
            # a NUL marks the place: JSON text never holds one raw (json.dumps escapes it)
            parts.append(' "assessments": [\n  \x00\n ]' if any_lines else ' "assessments": [\x00]')
        elif name in rest:
            parts.append(f" {json.dumps(name)}: " + json.dumps(rest[name], ensure_ascii=False, indent=1).replace("\n", "\n "))
    head, tail = ("{\n" + ",\n".join(parts) + "\n}").split("\x00")
    return head, tail


def assessment_json(a: OpenAssessment) -> str:
    """One element of pia.json's "assessments": one line of compact JSON."""
    return json.dumps(a.model_dump(mode="json", by_alias=True, exclude_defaults=True), ensure_ascii=False, separators=(",", ":"))


def from_json(text: str) -> OpenData:
    return OpenData.model_validate(json.loads(text))


def json_schema() -> dict:
    schema = OpenData.model_json_schema(by_alias=True, mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://sphinx-pia.invalid/schemas/open-data.schema.json"
    return schema


# --- CSV -------------------------------------------------------------------------------------

#: kind → [(column, 説明)]
COLUMNS: dict[str, list[tuple[str, str]]] = {
    "assessments": [
        ("id", "評価書のID（サイト内で一意、ディレクトリ名）"),
        ("organization_id", "評価実施機関のID"),
        ("organization_name", "評価実施機関の略称（索引用）"),
        ("organization_kind", "機関の種類（municipality=市区町村、prefecture=都道府県、national=国の機関、unidentified=不明）"),
        ("prefecture", "都道府県（市区町村のとき）"),
        ("form", "評価書の種類（kiso=基礎項目、juten=重点項目、zenkomoku=全項目）"),
        ("form_label", "評価書の種類（日本語）"),
        ("form_stamp", "様式の版の表示（印字どおり）"),
        ("status", "状態（published=公表済み、draft=評価書(案)、fragment=断片）"),
        ("number", "評価書番号"),
        ("title", "評価書名"),
        ("organization_printed", "評価実施機関名（表紙の印字どおり）"),
        ("published_on", "公表日（印字どおり、和暦）"),
        ("published_on_iso", "公表日（西暦、ISO 8601）"),
        ("source_file", "原本の抽出テキストのファイル名"),
        ("files", "特定個人情報ファイルの数"),
        ("systems", "システムの数"),
        ("change_entries", "変更箇所の行数"),
    ],
    "systems": [
        ("id", "システムのID（評価書ID/ローカルID）"),
        ("assessment_id", "評価書のID"),
        ("no", "システムの番号（印字どおり）"),
        ("name", "システムの名称"),
        ("files", "このシステムが扱う特定個人情報ファイルのID（; 区切り）"),
    ],
    "files": [
        ("id", "特定個人情報ファイルのID"),
        ("assessment_id", "評価書のID"),
        ("no", "ファイルの番号（印字どおり）"),
        ("name", "特定個人情報ファイル名"),
        ("population", "対象となる本人の数（選ばれた区分）"),
        ("record_count", "記録される項目（選ばれた区分）"),
        ("record_items", "列挙された記録項目の数"),
        ("systems", "このファイルを扱うシステムのID（; 区切り）"),
    ],
    "record_items": [
        ("file_id", "特定個人情報ファイルのID"),
        ("assessment_id", "評価書のID"),
        ("position", "一覧の中の順番（1から）"),
        ("group", "グループの見出し（印字どおり）"),
        ("no", "項目の番号（印字どおり）"),
        ("name", "記録項目の名称"),
    ],
    "provisions": [
        ("id", "提供先・移転先のID（別紙の行は別紙の行のID）"),
        ("assessment_id", "評価書のID"),
        ("file_id", "特定個人情報ファイルのID"),
        ("kind", "提供先 または 移転先"),
        ("source", "entry=II.5 の提供先N・移転先N、annex-row=別紙の行"),
        ("no", "番号（印字どおり）"),
        ("recipient", "提供先・移転先の名称"),
        ("legal_basis", "法令上の根拠（印字どおり。別紙の行は項番の列）"),
        ("references", "解析した法令上の根拠のキー（law/… の ; 区切り）"),
        ("reference_labels", "解析した法令上の根拠の表示名（; 区切り）"),
        ("use", "提供先・移転先における用途"),
        ("annex_id", "この提供先が参照する別紙のID、または別紙の行が属する別紙のID"),
    ],
    "entrustments": [
        ("id", "委託事項のID"),
        ("assessment_id", "評価書のID"),
        ("file_id", "特定個人情報ファイルのID"),
        ("no", "委託事項の番号"),
        ("title", "委託事項（見出しの記載）"),
        ("content", "委託内容"),
        ("contractor", "委託先名"),
        ("handlers", "委託先における取扱者数（選ばれた区分）"),
        ("subcontract", "再委託の有無"),
        ("subcontract_approval", "再委託の許諾方法"),
        ("subcontract_content", "再委託事項"),
    ],
    "changes": [
        ("id", "変更箇所の行のID"),
        ("assessment_id", "評価書のID"),
        ("organization_id", "評価実施機関のID"),
        ("position", "変更箇所の表の中の順番（1から）"),
        ("date", "変更日（印字どおり、和暦）"),
        ("date_iso", "変更日（西暦、ISO 8601）"),
        ("item", "項目（印字どおり）"),
        ("targets", "変更した節・項目のID（; 区切り）"),
        ("before", "変更前の記載"),
        ("after", "変更後の記載"),
        ("timing", "提出時期（事前／事後）"),
        ("reason", "提出時期に係る説明"),
        ("resolution", "項目の特定（resolved=特定できた、suspect=食い違いあり、unresolved=特定できない）"),
        ("groups", "変更の分類（renumbering-2024 など、; 区切り）"),
    ],
    "findings": [
        ("rule", "点検の規則のID"),
        ("severity", "重大度（error=エラー、warning=警告、info=情報）"),
        ("title", "規則の名称"),
        ("assessment_id", "評価書のID"),
        ("organization_id", "評価実施機関のID"),
        ("target", "指摘の対象の項目のID"),
        ("message", "指摘の内容"),
        ("line", "原本の抽出テキストの行番号"),
    ],
}


def _v(item: Field | None) -> str:
    return item.display if item is not None else ""


def _find(items, key: FieldKey) -> Field | None:
    from .model import find_field

    return find_field(items, key)


def _rows_assessments(site: SiteIndex, findings) -> Iterable[list]:
    for a in site.assessments.values():
        pub = a.cover_item(FieldKey.published_on)
        stamp = a.doc.form.stamp
        org = a.doc.organization
        yield [
            a.id, org.id, org.name, org.kind.value, org.prefecture or "", a.doc.form.kind.value, a.doc.form.kind.label,
            stamp.text if stamp is not None and stamp.text else "", a.doc.status.value, _v(a.cover_item(FieldKey.number)),
            _v(a.cover_item(FieldKey.title)), _v(a.cover_item(FieldKey.organization_name)), (pub.text or "") if pub else "",
            _iso(pub) or "", a.doc.source.file, len(a.files), len(a.systems), len(a.changes.entries) if a.changes else 0,
        ]


def _rows_systems(site: SiteIndex, findings) -> Iterable[list]:
    for a in site.assessments.values():
        for s in a.systems:
            gid = f"{a.id}/{s.id}"
            yield [gid, a.id, s.no or "", system_name(s), ";".join(site.system_files.get(gid, []))]


def _rows_files(site: SiteIndex, findings) -> Iterable[list]:
    for a in site.assessments.values():
        for f in a.files:
            gid = f"{a.id}/{f.id}"
            items = [i for sec in f.overview.sections for i in sec.items]
            yield [
                gid, a.id, f.no, f.name.text or "", _v(_find(items, FieldKey.population)), _v(_find(items, FieldKey.record_count)),
                len(f.record_items.all) if f.record_items else 0, ";".join(site.file_systems.get(gid, [])),
            ]


def _rows_record_items(site: SiteIndex, findings) -> Iterable[list]:
    for a in site.assessments.values():
        for f in a.files:
            if f.record_items is None:
                continue
            i = 0
            for group in f.record_items.groups:
                for item in group.items:
                    i += 1
                    yield [f"{a.id}/{f.id}", a.id, i, group.label or "", item.no or "", item.name]


def _laws(site: SiteIndex, owner: str) -> tuple[str, str]:
    gids = site.cited_laws.get(owner, [])
    return ";".join(gids), ";".join(site.law_label(g) for g in gids)


def _rows_provisions(site: SiteIndex, findings) -> Iterable[list]:
    for a in site.assessments.values():
        annexes = {x.id: x for x in a.annexes}
        for f in a.files:
            for sec in f.overview.sections:
                for kind, entries in (("提供先", sec.provisions), ("移転先", sec.transfers)):
                    for ent in entries:
                        gid = f"{a.id}/{ent.id}"
                        refs, labels = _laws(site, gid)
                        yield [
                            gid, a.id, f"{a.id}/{f.id}", kind, "entry", ent.no or "",
                            ent.title.text if ent.title is not None and ent.title.text else "",
                            _v(ent.get(FieldKey.legal_basis)), refs, labels, _v(ent.get(FieldKey.recipient_use)),
                            f"{a.id}/{ent.annex}" if ent.annex else "",
                        ]
                        annex = annexes.get(ent.annex) if ent.annex else None
                        if annex is None:
                            continue
                        use_col = next((i for i, c in enumerate(annex.columns) if "用途" in c), None)
                        for row in annex.rows:
                            rgid = f"{a.id}/{row.id}"
                            refs, labels = _laws(site, rgid)

                            def cell(i):
                                return row.cells[i] if i is not None and i < len(row.cells) else ""

                            yield [
                                rgid, a.id, f"{a.id}/{f.id}", kind, "annex-row", cell(0), cell(annex.recipient_column),
                                cell(annex.basis_column), refs, labels, cell(use_col), f"{a.id}/{annex.id}",
                            ]


def _rows_entrustments(site: SiteIndex, findings) -> Iterable[list]:
    for a in site.assessments.values():
        for f in a.files:
            for sec in f.overview.sections:
                for ent in sec.entrustments:
                    yield [
                        f"{a.id}/{ent.id}", a.id, f"{a.id}/{f.id}", ent.no or "",
                        ent.title.text if ent.title is not None and ent.title.text else "",
                        _v(ent.get(FieldKey.entrusted_content)), _v(ent.get(FieldKey.contractor)), _v(ent.get(FieldKey.handlers)),
                        _v(ent.get(FieldKey.subcontract)), _v(ent.get(FieldKey.subcontract_approval)), _v(ent.get(FieldKey.subcontract_content)),
                    ]


def _rows_changes(site: SiteIndex, findings) -> Iterable[list]:
    resolution = {f"{a.id}/{e.id}": e.resolution.value for a in site.assessments.values() if a.changes for e in a.changes.entries}
    for t in site.timeline():
        yield [
            t.gid, t.assessment, t.organization, t.position, t.date or "", t.date_iso or "", t.item, ";".join(t.targets),
            t.before or "", t.after or "", t.timing or "", t.reason or "", resolution[t.gid], ";".join(t.groups),
        ]


def _rows_findings(site: SiteIndex, findings) -> Iterable[list]:
    for f in findings:
        yield [f.rule, f.severity.value, f.rule_info.title, f.assessment, f.organization, f.target, f.message, f.line or ""]


ROWS: dict[str, Callable] = {
    "assessments": _rows_assessments, "systems": _rows_systems, "files": _rows_files, "record_items": _rows_record_items,
    "provisions": _rows_provisions, "entrustments": _rows_entrustments, "changes": _rows_changes, "findings": _rows_findings,
}


def _csv_rows(kind: str, site, findings) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    for row in ROWS[kind](site, findings):
        assert len(row) == len(COLUMNS[kind]), kind
        writer.writerow(row)
    return buf.getvalue()


#: kinds whose rows are those of each assessment in turn (the others are ordered across
#: assessments, or are the findings): these can be cached per assessment
PER_ASSESSMENT = ("assessments", "systems", "files", "record_items", "provisions", "entrustments")


class _One:
    """The site seen through one assessment: rows of that assessment only."""

    def __init__(self, site: SiteIndex, a: Assessment) -> None:
        self._site = site
        self.assessments = {a.id: a}

    def __getattr__(self, name: str):
        return getattr(self._site, name)


def csv_text(kind: str, site: SiteIndex, findings: list[Finding], cached: Callable[[str, Assessment, Callable[[], str]], str] | None = None) -> str:
    """One CSV file.  *cached(key, assessment, make)* may give an assessment's rows of a
    PER_ASSESSMENT kind from a cache (``make()`` computes them); the file is the same."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerow([c for c, _ in COLUMNS[kind]])
    if cached is None or kind not in PER_ASSESSMENT:
        return buf.getvalue() + _csv_rows(kind, site, findings)
    return buf.getvalue() + "".join(
        cached(f"csv:{kind}", a, lambda a=a: _csv_rows(kind, _One(site, a), findings)) for a in site.assessments.values())


def csv_files(site: SiteIndex, findings: list[Finding], bom: bool = True, cached=None) -> dict[str, bytes]:
    """File name → bytes, for every kind."""
    encoding = "utf-8-sig" if bom else "utf-8"
    return {f"{kind}.csv": csv_text(kind, site, findings, cached).encode(encoding) for kind in COLUMNS}


def write_open_data(directory, assessments: list[Assessment], findings: list[Finding], *, bom: bool = True, today: dt.date | None = None,
                    site: SiteIndex | None = None, cache: dict | None = None, keys: dict[str, str] | None = None) -> list[str]:
    """Write pia.json, pia.schema.json and the CSV files into ``directory``; return their names.

    With *cache* (a dict kept between builds) and *keys* (assessment id → a key that
    changes whenever the assessment or the law registry does), each assessment's part
    of pia.json and of the per-assessment CSV files is computed only when its key
    changed; entries of other assessments leave the cache."""
    from pathlib import Path

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    site = site if site is not None else SiteIndex(assessments)
    cached = None
    fresh: dict = {}

    def line(a: Assessment) -> bytes:
        # made (its open-data model built and dumped) only when it is not cached
        return assessment_json(open_assessment(a)).encode("utf-8")

    if cache is not None and keys is not None:

        def cached_bytes(part: str, a: Assessment, make: Callable[[], bytes]) -> bytes:
            # kept as UTF-8 bytes: the cache is pickled whole every build, and pickle
            # copies bytes where it encodes and decodes strings (tens of MB at 200)
            key = keys.get(a.id)
            hit = cache.get((part, a.id))
            data = hit[1] if key is not None and hit is not None and hit[0] == key and isinstance(hit[1], bytes) else make()
            fresh[(part, a.id)] = (key, data)
            return data

        def cached(part: str, a: Assessment, make: Callable[[], str]) -> str:
            return cached_bytes(part, a, lambda: make().encode("utf-8")).decode("utf-8")

        lines = [cached_bytes("json", a, lambda a=a: line(a)) for a in assessments]
    else:
        lines = [line(a) for a in assessments]
    head, tail = _frame(open_data([], findings, today), bool(lines))
    files = {
        "pia.json": head.encode("utf-8") + b",\n  ".join(lines) + tail.encode("utf-8"),
        "pia.schema.json": json.dumps(json_schema(), ensure_ascii=False, indent=1).encode("utf-8"),
        **csv_files(site, findings, bom, cached),
    }
    for name, data in files.items():
        path = directory / name
        # what this cache wrote last time, if the file is still as it was left: a file
        # whose digest is unchanged is not read back to be compared (pia.json: tens of MB)
        digest = hashlib.sha1(data).hexdigest()
        seen = cache.get(("file", str(path))) if cache is not None else None
        try:
            stat = path.stat()
        except OSError:
            stat = None
        same = stat is not None and (seen == (digest, stat.st_size, stat.st_mtime_ns) or (seen is None and path.read_bytes() == data))
        if not same:
            path.write_bytes(data)
            stat = path.stat()
        fresh[("file", str(path))] = (digest, stat.st_size, stat.st_mtime_ns)
    if cache is not None:
        cache.clear()
        cache.update(fresh if keys is not None else {k: v for k, v in fresh.items() if k[0] == "file"})
    return sorted(files)
