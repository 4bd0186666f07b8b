"""Properties of the loader: whatever the text or structure, a ContentError or a model, never
anything else; and what loads can be indexed, pickled (the build cache) and rendered later."""

from __future__ import annotations

import copy
import pickle
import shutil
import sys
import tempfile
from pathlib import Path

import yaml
from hypothesis import event, given
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fuzzing import fuzz  # noqa: E402

from sphinx_pia.index import SiteIndex  # noqa: E402
from sphinx_pia.loader import ContentError, _all_field_names, load_assessment  # noqa: E402
from sphinx_pia.yamlsafe import parse_yaml, read_yaml  # noqa: E402

BASE = Path(__file__).resolve().parent / "roots" / "test-basic"
GOOD = BASE / "content" / "city-a-juki"
FILES = ["assessment.yaml", "file-1.yaml", "annex-1.yaml", "changes.yaml"]
BASE_DATA = {name: read_yaml(GOOD / name)[0] for name in FILES}  # keys as written ("no", not False)

TOKENS = [": ", "- ", "\n", "\n  ", "\n    ", "[", "]", "{", "}", ",", "&a ", "*a", "!!str ", "!!binary ", "!x ", "? ", "| ", "> ",
          "'", '"', "#", "%YAML 1.1\n", "---\n", "...\n", "<<: ", "\\x07", "\\u2028", "\\e", "\t", "\x07", "\x85", "\u2028",
          "key", "line", "end_line", "items", "text", "日本語", "true", "null", "1", "0x1", "017", "1:30", "1e3", ".inf", "~", "="]
yaml_like = st.lists(st.one_of(st.sampled_from(TOKENS), st.text(max_size=3)), max_size=60).map("".join)


def _must_be_content_error(fn, *args):
    try:
        return fn(*args)
    except ContentError as exc:
        assert exc.problems and all(p.path for p in exc.problems)
        for p in exc.problems:
            assert "\x1b" not in str(p) and "\x07" not in str(p)
        return None


@fuzz
@given(st.one_of(yaml_like, st.text(max_size=300)))
def test_any_text_gives_data_or_content_error(text):
    _must_be_content_error(parse_yaml, text, "x.yaml")


@fuzz
@given(st.binary(max_size=300))
def test_any_bytes_give_data_or_content_error(data):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "x.yaml"
        path.write_bytes(data)
        _must_be_content_error(read_yaml, path, "x.yaml")


FIELD_NAMES = sorted(_all_field_names())
scalars = st.one_of(st.none(), st.booleans(), st.integers(-5, 10**6), st.floats(allow_nan=False), st.text(max_size=20),
                    st.sampled_from(["file-1-prov-2", "sys-1", "annex-1", "chg-1", "index", "juten", "missing", "その他", "10万人以上100万人未満"]))
structures = st.recursive(
    scalars,
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(st.one_of(st.sampled_from(FIELD_NAMES), st.text(max_size=8)), children, max_size=4)),
    max_leaves=30,
)


class _NoAliases(yaml.SafeDumper):
    def ignore_aliases(self, data):
        return True


def _replace_somewhere(data, draw):
    """A copy of ``data`` with one randomly chosen value replaced by a random structure."""
    doc = copy.deepcopy(data)
    parent, key, node = None, None, doc
    while isinstance(node, (dict, list)) and node and draw(st.integers(0, 4)) > 0:
        keys = sorted(node) if isinstance(node, dict) else list(range(len(node)))
        parent, key = node, draw(st.sampled_from(keys))
        node = parent[key]
    new = draw(structures)
    if parent is None:
        return new
    parent[key] = new
    return doc


@fuzz
@given(st.data())
def test_random_structures_load_or_fail_cleanly(data):
    name = data.draw(st.sampled_from(FILES))
    mutated = _replace_somewhere(BASE_DATA[name], data.draw)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        shutil.copytree(BASE / "sources", root / "sources")
        directory = root / "content" / "city-a-juki"
        shutil.copytree(GOOD, directory)
        (directory / name).write_text(yaml.dump(mutated, Dumper=_NoAliases, allow_unicode=True), encoding="utf-8")
        assessment = _must_be_content_error(load_assessment, directory, root / "content", None, root / "sources")
        event("loaded" if assessment is not None else "refused")
        if assessment is not None:  # what validates must survive the rest of the build
            SiteIndex([assessment])
            pickle.loads(pickle.dumps(assessment))


@fuzz
@given(st.integers(1, 200), st.sampled_from(["[", "{a: ", "- "]))
def test_nesting_never_exhausts_the_stack(depth, opener):
    closer = {"[": "]", "{a: ": "}", "- ": ""}[opener]
    if opener == "- ":
        text = "".join("  " * i + "- \n" for i in range(depth)) + "  " * depth + "x\n"
    else:
        text = opener * depth + "1" + closer * depth
    _must_be_content_error(parse_yaml, text, "x.yaml")
