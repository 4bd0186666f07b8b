"""Assembling a draft from a parsed source, and writing it to disk."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..pagenames import SITE_PAGES
from .coverage import Coverage
from .forms import detect_form
from .source import NOT_TEXT, ImportProblem, SourceText, read_source


@dataclass
class Draft:
    id: str
    source: SourceText
    coverage: Coverage
    assessment: dict
    files: list[dict] = field(default_factory=list)
    changes: dict | None = None
    annexes: list[dict] = field(default_factory=list)

    def documents(self) -> dict[str, dict]:
        """File name → YAML document, as the loader expects them."""
        docs = {"assessment.yaml": self.assessment}
        for f in self.files:
            docs[f"file-{f['no']}.yaml"] = f
        if self.changes is not None:
            docs["changes.yaml"] = self.changes
        for a in self.annexes:
            docs[f"annex-{a['no']}.yaml"] = a
        return {name: _tidy(doc) for name, doc in docs.items()}


#: Room left in an ID for 「-org」 and a 「-NN」 suffix (see output.unique_ids).
_SLUG_LENGTH = 40


def draft_id(path: Path) -> str:
    """The draft's ID and directory name, from the file name.

    Letters outside ASCII cannot be in an ID; when the name has any, a short hash of
    the whole name keeps 「評価書.txt」 and 「別の評価書.txt」 apart."""
    stem = Path(path).stem
    slug = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")[:_SLUG_LENGTH].strip("-")
    if not stem.isascii():
        digest = hashlib.sha1(stem.encode("utf-8")).hexdigest()[:8]
        slug = f"{slug}-{digest}" if slug else f"draft-{digest}"
    if not slug:
        slug = "draft"
    if slug in SITE_PAGES:
        slug = f"draft-{slug}"
    return slug


def _org_kind(name: str) -> str:
    if re.search(r"(都|道|府|県)知事$", name):
        return "prefecture"
    if re.search(r"(市|区|町|村)長$", name):
        return "municipality"
    return "unidentified"


def import_file(path: Path | str, did: str | None = None) -> Draft:
    """Import one extracted text as the draft ``did`` (default: from the file name).

    Raises ImportProblem for a file that is not an assessment."""
    path = Path(path)
    src = read_source(path)
    form = detect_form(src)
    cov = Coverage(src)
    layout = src.layout
    if layout == "tsv":
        from .tsv import TsvImporter

        imp = TsvImporter(src, cov)
    else:
        from .interleaved import InterleavedImporter

        imp = InterleavedImporter(src, cov, form)
    imp.run()
    if not _has_form_content(imp):
        # a text that mentions 「全項目評価書」 (a report, a README) is not one
        raise ImportProblem(
            src.path,
            f"{NOT_TEXT}（評価書の名前はありますが、表紙の項目、部の見出し（「I 基本情報」など）、"
            "変更箇所の表のいずれも見つかりませんでした）。評価書のPDFから抽出したテキストか確認してください。",
        )
    if form.title_line:
        cov.use(form.title_line)
    if form.stamp_line:
        cov.use(form.stamp_line)

    did = did or draft_id(path)
    cover = imp.cover
    org_field = next((f for f in cover if f.get("key") == "organization_name"), None)
    org_name = (org_field or {}).get("text") or ""
    published = next((f for f in cover if f.get("key") == "published_on"), None)
    status = "fragment" if form.fragment else "published" if published and published.get("text") else "draft"
    if status == "draft":
        cov.low("状態", published.get("line") if published else None,
                "公表日が空のため、評価書(案)として status: draft にした。確認してください。")
    org = {"id": f"{did}-org", "name": re.sub(r"(知事|長)$", "", org_name) or "不明な実施機関",
           "kind": _org_kind(org_name)}
    cov.low("organization", (org_field or {}).get("line"),
            f"実施機関のID「{org['id']}」は仮のものである。サイト全体で一意なIDに置き換えてください。")
    title = getattr(imp, "title", None) or ({"text": form.title, "line": form.title_line} if form.title else
                                           {"gap": "missing", "note": "文書の表題が見つからない。"})
    stamp = {"text": form.stamp, "line": form.stamp_line} if form.stamp else {
        "gap": "missing", "note": "様式の表示が見つからない。"}
    kind = form.kind or "juten"
    if form.kind is None:
        stamp["note"] = "様式の表示も表題もない断片である。様式の種類は推定できないため juten を仮に置いた。確認してください。"
        cov.low("様式", None, stamp["note"])
    assessment = {
        "schema": "sphinx-pia/assessment/1",
        "id": did,
        "organization": org,
        "source": {"file": path.name, "layout": layout, "title": title,
                   "note": f"sphinx-pia import で生成した下書き（文字コード {src.encoding}）。人による確認が必要。"},
        "form": {"kind": kind, "stamp": stamp},
        "status": status,
        "cover": cover,
        "parts": imp.parts,
    }
    if imp.gaps:
        assessment["gaps"] = imp.gaps
    if imp.changes:
        from .changes import resolve

        for entry in imp.changes["entries"]:
            item = entry.get("item", {}).get("text")
            if not item:
                continue
            targets, resolution, note = resolve(item, {"form": {"kind": kind}, "parts": imp.parts}, imp.files)
            entry.update(targets=targets, resolution=resolution, resolution_note=note + "（取込み時に自動判定）")
            if resolution == "unresolved":
                cov.low("変更箇所", entry.get("line"), f"項目「{item[:40]}」の対象を特定できない: {note}")
    for f in imp.files:
        if f.get("name") is None:
            f["name"] = {"gap": "missing", "note": "ファイル名の行が見つからない。"}
    return Draft(did, src, cov, assessment, imp.files, imp.changes, imp.annexes)


def _has_form_content(imp) -> bool:
    """Whether the text held any of the form: a 表紙 item, a part, a change entry, a file, a 別紙."""
    entries = (imp.changes or {}).get("entries")
    return bool(imp.cover or imp.parts or entries or imp.files or imp.annexes)


def _tidy(obj):
    """Drop the importer's private keys and empty optional keys."""
    if isinstance(obj, dict):
        out = {}
        for k, v in obj.items():
            if k.startswith("_"):
                continue
            if v is None and k in ("key", "label", "raw", "note", "heading"):
                continue
            if k in ("items", "sections", "systems", "entrustments", "provisions", "transfers", "risks") and v == []:
                continue
            if k in ("overview", "risk_measures") and v == {}:
                continue
            out[k] = _tidy(v)
        sel = out.get("select")
        if isinstance(sel, dict) and sel.get("value") is not None and sel.get("options") \
                and sel["value"] not in sel["options"]:
            # the options read near the value are not this item's (the value is always one of
            # its own): they are not kept as its options; the printed text stays in raw
            out["select"] = dict(sel, options=[])
        check = out.get("check")
        if isinstance(check, dict) and isinstance(check.get("checked"), list):
            checked = list(dict.fromkeys(check["checked"]))
            if check.get("options") and any(c not in check["options"] for c in checked):
                check = dict(check, options=[])
            out["check"] = dict(check, checked=checked)
        start, end = out.get("line"), out.get("end_line")
        if isinstance(start, int) and isinstance(end, int) and end < start:
            # a value printed bottom-up (interleaved pages) spans its lines in the other order:
            # the range is the same lines, first to last
            out["line"], out["end_line"] = end, start
        return out
    if isinstance(obj, list):
        return [_tidy(v) for v in obj]
    return obj


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper, data: str):
    style = "|" if "\n" in data and len(data) < 5000 else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _str)


def write_draft(draft: Draft, out_dir: Path) -> Path:
    """Write the YAML files and ``coverage.md`` into ``out_dir/<draft id>/``."""
    target = Path(out_dir) / draft.id
    target.mkdir(parents=True, exist_ok=True)
    for name, doc in draft.documents().items():
        header = f"# Draft imported by `sphinx-pia import` from {draft.source.path}; review before publishing.\n"
        text = yaml.dump(doc, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10**9)
        (target / name).write_text(header + text, encoding="utf-8")
    title = draft.assessment["cover"] and next(
        (f.get("text") for f in draft.assessment["cover"] if f.get("key") == "title"), None) or draft.id
    (target / "coverage.md").write_text(draft.coverage.markdown(title), encoding="utf-8")
    return target


__all__ = ["Draft", "ImportProblem", "import_file", "write_draft"]
