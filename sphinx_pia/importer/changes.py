"""Resolving a change entry's 項目 text to the section or object it affects.

The 項目 column is free text in a dozen shapes (「II 特定個人情報ファイルの概要
(送付先情報ファイル)」, 「Ｉ－２－システム９－③」, 「Ⅲリスク対策 3.特定個人情報の使用
リスク2.…」).  The resolver reads it in the form's terms: which part, which file
(by its name), which section (by title, else by number), which entity
(システムN, 委託事項N, 提供先N, 移転先N, リスクN).  It never guesses past the text:
what it cannot find stays unresolved, for the reviewer.
"""

from __future__ import annotations

import re
import unicodedata

from .fields import CIRCLED

PART_WORDS = [
    ("表紙", "cover"), ("基本情報", "basic"), ("事務の内容", "business_detail"), ("事務内容", "business_detail"),
    ("特定個人情報ファイルの概要", "overview"), ("リスク対策", "risk_measures"),
    ("開示請求", "disclosure"), ("評価実施手続", "procedures"),
]
NUMERALS = {"I": "basic", "II": "overview", "III": "risk_measures"}
ENTITY = re.compile(r"(システム|委託事項|提供先|移転先|リスク)\s*(\d+)")
#: the ID prefix of an entity of a file (model.assessment assigns the same)
SHORT = {"entrustments": "ent", "provisions": "prov", "transfers": "tran"}


def _norm(text: str) -> str:
    """NFKC without whitespace, keeping circled numbers: ① is an item, never a section number."""
    return "".join("".join(ch if ch in CIRCLED else unicodedata.normalize("NFKC", ch) for ch in text).split())


def _part_of(text: str, zenkomoku: bool) -> str | None:
    # the first part word in the text names the part (「II 特定個人情報ファイルの概要 - 2. 基本情報」)
    found = sorted((text.find(word), kind) for word, kind in PART_WORDS if word in text)
    if found:
        kind = found[0][1]
        if kind == "risk_measures" and text.startswith(("IV", "Ⅳ")):
            return "other_measures"
        return kind
    m = re.match(r"^(III|II|IV|VI|V|I|1)(?=[^IV]|$)", text)
    if m:
        numeral = {"1": "I"}.get(m.group(1), m.group(1))
        if numeral == "IV":
            return "other_measures" if zenkomoku else "disclosure"
        if numeral == "V":
            return "disclosure" if zenkomoku else "procedures"
        if numeral == "VI":
            return "procedures"
        return NUMERALS.get(numeral)
    return None


def _section(text: str, sections: list[dict]) -> dict | None:
    """The section the 項目 path ends in: the last section title it names, else the
    last section number (a path runs part → file → section → item)."""
    by_title = []
    for sec in sections:
        title = re.sub(r"[(（].*", "", _norm(sec.get("title") or ""))
        if len(title) >= 4 and title in text:
            by_title.append((text.rfind(title), len(title), sec))
    if by_title:
        return max(by_title, key=lambda t: (t[0], t[1]))[2]
    numbers = {str(sec.get("no")): sec for sec in sections}
    # a number right after an entity word (「システム9」, 「提供先1」) is the entity's, not a section's
    entity = r"(?<!システム)(?<!委託事項)(?<!提供先)(?<!移転先)(?<!リスク)"
    for pattern in (r"(?:^|[^\d])(\d{1,2})[.．]", entity + r"(?:^|(?<=[^\d]))(\d{1,2})(?=[\-－、]|[^\d\-の号条項]|$)"):
        hits = [numbers[m.group(1)] for m in re.finditer(pattern, text) if m.group(1) in numbers]
        if hits:
            return hits[-1]
    return None


def resolve(item_text: str, assessment: dict, files: list[dict]) -> tuple[list[dict], str, str]:
    """(targets, resolution, note) for one change entry's 項目."""
    text = _norm(item_text)
    zenkomoku = assessment.get("form", {}).get("kind") == "zenkomoku"
    kind = _part_of(text, zenkomoku)
    if kind is None:
        return [], "unresolved", "項目欄から評価書の部を特定できない。"
    if kind == "cover":
        return [{"ref": "cover"}], "resolved", "表紙の項目。"
    if kind in ("overview", "risk_measures"):
        named = [f for f in files if (f.get("name") or {}).get("text") and _norm(f["name"]["text"]) in text]
        named.sort(key=lambda f: -len(f["name"]["text"]))
        if named:
            file = named[0]
        elif len(files) == 1:
            file = files[0]
        else:
            return [], "unresolved", "項目欄からファイルを特定できない（ファイル名がない）。"
        label = "ii" if kind == "overview" else "iii"
        part = file["overview" if kind == "overview" else "risk_measures"]
        text_rest = text.replace(_norm(file["name"]["text"]), " ") if (file.get("name") or {}).get("text") else text
        prefix = f"file-{file['no']}-{label}"
        sec = _section(_strip_part(text_rest), part.get("sections", []))
        if sec is None:
            return [{"ref": prefix}], "resolved", "部とファイルまで特定した（節は項目欄にない）。"
        sec_id = sec.get("id") or f"{prefix}-{sec['no']}"
        return _entity(text_rest, sec, sec_id, f"file-{file['no']}"), "resolved", "項目欄の部・ファイル・節から特定した。"
    part = next((p for p in assessment.get("parts", []) if p.get("kind") == kind), None)
    if part is None:
        return [], "unresolved", "項目欄の部が下書きにない。"
    base = kind.replace("_", "-")
    sec = _section(_strip_part(text), part.get("sections", []))
    if sec is None:
        return [{"ref": base}], "resolved", "部まで特定した（節は項目欄にない）。"
    sec_id = sec.get("id") or f"{base}-{sec['no']}"
    return _entity(text, sec, sec_id, None), "resolved", "項目欄の部・節から特定した。"


def _strip_part(text: str) -> str:
    """Drop the part numeral and heading, whose digits are not section numbers."""
    text = re.sub(r"^(III|II|IV|VI|V|I|Ⅰ|Ⅱ|Ⅲ|Ⅳ|Ⅴ|Ⅵ)", "", text)
    text = re.sub(r"[(（]別添\d+[)）]", " ", text)
    for word, _ in PART_WORDS:
        text = text.replace(word, " ", 1)
    return text


def _entity_ref(group: str, no: str, sec_id: str, file_prefix: str | None) -> str:
    """The ID model.assessment gives entity `no` of `group` in this section."""
    if group == "systems":
        return f"sys-{no}"
    if group == "risks":
        return f"{sec_id}-risk-{no}"
    return f"{file_prefix}-{SHORT[group]}-{no}" if file_prefix else sec_id


def _entity(text: str, sec: dict, sec_id: str, file_prefix: str | None) -> list[dict]:
    for m in ENTITY.finditer(text):
        word, no = m.group(1), m.group(2)
        group = {"システム": "systems", "委託事項": "entrustments", "提供先": "provisions", "移転先": "transfers",
                 "リスク": "risks"}[word]
        if any(str(e.get("no")) == no for e in sec.get(group, [])):
            return [{"ref": _entity_ref(group, no, sec_id, file_prefix)}]
    # an entity named without a number (「リスク:…」, 「②提供先における用途」) where the
    # section has only one of that kind
    for word, group in (("提供先", "provisions"), ("移転先", "transfers"), ("委託事項", "entrustments"),
                        ("リスク(?!対策)", "risks")):  # 「リスク対策」 is the part's name
        only = sec.get(group, [])
        if re.search(word, text) and len(only) == 1:
            no = only[0].get("no") or "1"  # an unnumbered entity's ID is its position (model.assessment._slug)
            return [{"ref": _entity_ref(group, no, sec_id, file_prefix)}]
    return [{"ref": sec_id}]
