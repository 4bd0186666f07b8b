"""The citation parser: known notations, every legal-basis string in content/, properties."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sphinx_pia.citations import Reference, normalize, parse
from sphinx_pia.law_registry import default_registry
from sphinx_pia.loader import load_content

ROOT = Path(__file__).resolve().parents[1]


def labels(text: str, **kw) -> list[str]:
    reg = default_registry()
    return [r.label(reg) for r in parse(text, **kw).references]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("番号法第19条第8号に基づく主務省令第2条の表", ["番号法第19条第8号", "主務省令第2条の表"]),
        ("番号法第19条8号に基づく主務省令第2条の表 1,2,3及び158の項", ["番号法第19条第8号", "主務省令第2条の表", "主務省令第2条の表 1の項", "主務省令第2条の表 2の項", "主務省令第2条の表 3の項", "主務省令第2条の表 158の項"]),
        ("番号法第19条第7号 別表第二の31の項", ["番号法第19条第7号", "番号法別表第二", "番号法別表第二 31の項"]),
        ("番号法第19条第7号 別表第2の3の項", ["番号法第19条第7号", "番号法別表第二", "番号法別表第二 3の項"]),
        ("住基法第30条の15第2項第1号(本人確認情報の利用)", ["住基法第30条の15第2項第1号"]),
        ("番号法第十九条第八号", ["番号法第19条第8号"]),
        ("番号法第１９条第８号", ["番号法第19条第8号"]),
        ("番号法第9条第1項 別表第1及び独自利用条例に定める事務", ["番号法第9条第1項", "番号法別表第一"]),
        # found in the 30-citation review: 「別表2」 without 第, and a short name in parentheses
        ("住基法第１条及び第３条第２項並びに札幌市個人番号利用条例（平成27年条例第42号）別表2", ["住基法第1条", "住基法第3条第2項", "札幌市個人番号利用条例別表第二"]),
        ("○行政手続における特定の個人を識別するための番号の利用等に関する法律(番号法)第9条第1項別表第一の16の項", ["番号法第9条第1項", "番号法別表第一", "番号法別表第一 16の項"]),
    ],
)
def test_notations(text, expected):
    got = labels(text)
    assert got[: len(expected)] == expected


def test_document_abbreviation():
    refs = parse("独自利用条例別表第2", abbreviations={"独自利用条例": "ふじみ野市個人番号の利用事務等に関する条例"}).references
    assert refs and refs[0].law == default_registry().match_name("ふじみ野市個人番号の利用事務等に関する条例").id


def test_split_numbers_are_repaired():
    norm, repairs = normalize("別表第二の 1.2.84. .85の 2.108.1 11.112及び120の項 第1 6条 第22 条の3")
    assert "85の2" in norm and ".111." in norm and "第16条" in norm and "第22条の3" in norm
    assert len(repairs) >= 4
    rows = [r.row for r in parse("番号法第19条第7号、" + "別表第二の 1.2.84. .85の 2.108.1 11.112及び120の項").references if r.row]
    assert rows == ["1", "2", "84", "85の2", "108", "111", "112", "120"]


def test_original_text_is_kept():
    text = "番号法第１９条第８号"
    assert parse(text).text == text


# --- every citation string in content/ ------------------------------------------

#: Legal-basis texts with no citation in them, and why that is right.
KNOWINGLY_UNPARSED = {
    "-": "「-」: the form's mark for 'not applicable'",
    "—": "EM DASH: 'not applicable'",
    "－": "full-width hyphen: 'not applicable'",
}


def _basis_texts():
    for a in load_content(ROOT / "content"):
        abbrevs = {ab.short: ab.full for ab in a.doc.abbreviations}
        for oid, obj in a.objects():
            for item in getattr(obj, "items", []) or []:
                for node in item.walk():
                    if node.key and node.key.value == "legal_basis" and node.text:
                        yield f"{a.id}/{oid}", node.text, abbrevs


def test_every_legal_basis_in_content_parses():
    failures = []
    count = 0
    for owner, text, abbrevs in _basis_texts():
        count += 1
        if text.strip() in KNOWINGLY_UNPARSED:
            continue
        parsed = parse(text, abbreviations=abbrevs)
        if not parsed.references:
            failures.append(f"{owner}: {text[:80]}")
        if parsed.unknown_laws:
            failures.append(f"{owner}: unknown law {parsed.unknown_laws} in {text[:60]}")
    assert count > 0
    assert not failures, "\n".join(failures)


# --- properties --------------------------------------------------------------------

citation_parts = st.lists(
    st.one_of(
        st.sampled_from(["番号法", "住基法", "主務省令", "別表第二", "別表", "の項", "第", "条", "項", "号", "の", "、", "及び", "。", " ", "(", ")", "【", "】"]),
        st.integers(min_value=0, max_value=300).map(str),
        st.text(max_size=3),
    ),
    max_size=25,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(citation_parts)
def test_parser_never_crashes(text):
    result = parse(text)
    assert all(isinstance(r, Reference) for r in result.references)


def _to_fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "0" <= c <= "9" else c for c in text)


@settings(max_examples=300, deadline=None)
@given(citation_parts)
def test_stable_under_width_normalization(text):
    """Full-width digits parse to the same references as half-width ones."""
    assert parse(_to_fullwidth(text)).references == parse(text).references
    assert parse(unicodedata.normalize("NFKC", text)).references == parse(text).references
