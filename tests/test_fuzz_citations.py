"""Properties of the citation parser on arbitrary and citation-like text."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fuzzing import fuzz  # noqa: E402

from sphinx_pia.citations import Reference, _parse, parse  # noqa: E402
from sphinx_pia.law_registry import default_registry  # noqa: E402

TOKENS = ["番号法", "住基法", "住民基本台帳法", "地方税法", "主務省令", "行政手続における特定の個人を識別するための番号の利用等に関する法律",
          "別表第一", "別表第二", "別表", "の項", "第", "条", "項", "号", "の", "附則", "同法", "同条", "十", "九", "百", "二", "八", "、", "，",
          "及び", "並びに", "から", "まで", "。", " ", "　", "\n", "(", ")", "（", "）", "【", "】", "「", "」", "１", "９", "〇",
          "令和", "平成", "年", "法律第", "政令第", "条例", "以下「", "」という。"]

citation_like = st.lists(st.one_of(st.sampled_from(TOKENS), st.integers(0, 400).map(str), st.text(max_size=4)), max_size=40).map("".join)
texts = st.one_of(citation_like, st.text(max_size=200))

#: a reference key names a page (law/<key>): no separators, spaces, dots or control characters
KEY_RE = re.compile(r"^[^\s/\\.\x00-\x1f\x7f]+$")


@fuzz
@given(texts)
def test_parse_never_crashes_and_keeps_the_text(text):
    result = parse(text)
    assert result.text == text
    assert all(isinstance(r, Reference) for r in result.references)
    assert all(isinstance(name, str) and name for name in result.unknown_laws)


@fuzz
@given(texts)
def test_references_are_usable(text):
    registry = default_registry()
    for ref in parse(text).references:
        assert KEY_RE.match(ref.key), ref.key
        assert ref.label(registry)
        # the chain of coarser references ends at the whole law, each a prefix of the finer one
        chain, node = [], ref
        while (parent := node.parent()) is not None:
            assert node.key.startswith(parent.key), (node.key, parent.key)
            chain.append(parent)
            node = parent
            assert len(chain) <= 6
        assert node.law == ref.law and not (node.article or node.table or node.row)


@fuzz
@given(texts)
def test_parse_is_deterministic(text):
    registry = default_registry()
    first, second = _parse(text, registry, None), _parse(text, registry, None)
    assert first.references == second.references and first.normalized == second.normalized
    assert parse(text).references == first.references  # the cache returns what a fresh parse does


@fuzz
@given(citation_like, citation_like)
def test_references_of_separate_clauses_survive_joining(a, b):
    """Whatever a clause cites alone it still cites after an unrelated sentence ending: a
    reference never depends on text after it in another sentence."""
    alone = parse(a).references
    joined = parse(a + "。\n\n" + b).references
    missing = [r for r in alone if r not in joined]
    assert not missing or "同" in b or "「" in a + b, missing


@fuzz
@given(texts)
def test_reference_keys_are_bounded_by_the_numerals(text):
    """checks.py parses only texts with enough numerals to make an over-long key: that must be sound."""
    from sphinx_pia.checks import MAX_REFERENCE_KEY, _numeral_weight

    limit = _numeral_weight(text) * 2 + 40
    for ref in parse(text).references:
        assert len(ref.key) <= max(limit, MAX_REFERENCE_KEY), (ref.key, limit)
