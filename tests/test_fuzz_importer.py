"""Properties of the importer on arbitrary and damaged input.

For any bytes, and for the seed texts with lines deleted, shuffled, duplicated,
truncated or sprinkled with tabs and control characters:

- ``import_file`` raises nothing but ``ImportProblem``, whose message names the file;
- every draft it makes either validates (``load_assessment`` on the files written)
  or is set aside as ``<id>.invalid/`` with its problems in ``INVALID.md``, which
  the command reports with exit status 1.

A few dozen examples run with the other tests.  The fuzz run, 2,000 examples
per property::

    HYPOTHESIS_PROFILE=fuzz python -m pytest -m fuzz tests/test_fuzz_importer.py

(``PIA_FUZZ=1`` does the same; ``PIA_FUZZ_EXAMPLES=N`` changes the count.)
"""

from __future__ import annotations

import os
import random
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from sphinx_pia.importer import ImportProblem, import_file
from sphinx_pia.importer.output import INVALID_SUFFIX, place
from sphinx_pia.loader import load_assessment

ROOT = Path(__file__).resolve().parents[1]
SEEDS = {p.name[:3]: p.read_text(encoding="utf-8") for p in sorted((ROOT / "sources").glob("*.txt"))}
SEED_LINES = sorted({ln for text in SEEDS.values() for ln in text.splitlines() if ln.strip()})

FUZZ = os.environ.get("PIA_FUZZ") == "1" or os.environ.get("HYPOTHESIS_PROFILE") == "fuzz"
EXAMPLES = int(os.environ.get("PIA_FUZZ_EXAMPLES", "2000")) if FUZZ else None

pytestmark = pytest.mark.fuzz


def fuzz_settings(default_examples: int):
    # the default run is small and reproducible; the fuzz run is long and random
    return settings(
        max_examples=EXAMPLES or default_examples,
        derandomize=not FUZZ,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
    )


def check_import(data: bytes, name: str = "input.txt") -> str:
    """Import ``data`` as the command does; assert the properties; say what happened."""
    with tempfile.TemporaryDirectory(prefix="pia-fuzz-") as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        out = Path(tmp) / "drafts"
        out.mkdir()
        try:
            draft = import_file(path)
        except ImportProblem as exc:
            assert str(exc).startswith(str(path)), str(exc)
            assert exc.message.strip()
            return "refused"
        placed = place(draft, out)
        if placed.valid:
            # place() validated the files it wrote (load_assessment), then renamed the directory
            assert placed.target == out / draft.id and placed.assessment.id == draft.id
            assert (placed.target / "assessment.yaml").is_file() and (placed.target / "coverage.md").is_file()
            assert not any(p.name.endswith(".partial") for p in out.iterdir())
            return "valid"
        assert placed.target == out / f"{draft.id}{INVALID_SUFFIX}"
        assert not (out / draft.id).exists()
        report = (placed.target / "INVALID.md").read_text(encoding="utf-8")
        assert all(str(p).split("\n")[0] in report for p in placed.problems)
        return "invalid"


def encode(text: str, cp932: bool) -> bytes:
    if cp932:
        try:
            return text.encode("cp932")
        except UnicodeEncodeError:
            pass
    return text.encode("utf-8")


FORM_HEADS = ["特定個人情報保護評価書（全項目評価書）", "特定個人情報保護評価書(重点項目評価書)",
              "[令和６年10月　様式４]", "(別添3) 変更箇所", "変更箇所", "事後", "評価書番号\t評価書名", " I 基本情報"]

arbitrary_text = st.one_of(
    st.text(max_size=2000),
    # lines of the seeds in any order and number: the importer's own vocabulary, out of place
    st.lists(st.sampled_from(SEED_LINES), max_size=300).map("\n".join),
    st.tuples(st.lists(st.sampled_from(FORM_HEADS), min_size=1, max_size=4), st.text(max_size=500),
              st.lists(st.sampled_from(SEED_LINES), max_size=100)).map(
        lambda t: "\n".join(t[0]) + "\n" + t[1] + "\n" + "\n".join(t[2])),
)


@fuzz_settings(25)
@given(st.one_of(st.tuples(arbitrary_text, st.booleans()).map(lambda t: encode(*t)), st.binary(max_size=2000)))
def test_arbitrary_input_is_imported_or_refused(data):
    event(check_import(data))


INSERTED = ["\t", "\t\t", "\x0b", "\x0c", "\x1b", "\x7f", "\u2028", "\u3000", "\ufeff", "\u200b", " ", "\r", "[", "）", "①"]


@st.composite
def mutated_seed(draw) -> tuple[str, bytes]:
    key = draw(st.sampled_from(sorted(SEEDS)))
    lines = SEEDS[key].split("\n")
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["delete", "shuffle", "duplicate", "truncate", "insert", "replace", "swap"]))
        n = len(lines)
        if n < 2:
            break
        i = draw(st.integers(0, n - 1))
        span = draw(st.integers(1, max(1, min(200, n - i))))
        if op == "delete":
            del lines[i:i + span]
        elif op == "shuffle":
            part = lines[i:i + span]
            random.Random(draw(st.integers(0, 2**32))).shuffle(part)
            lines[i:i + span] = part
        elif op == "duplicate":
            lines[i:i] = lines[i:i + span]
        elif op == "truncate":
            lines = lines[:i]
            if lines and draw(st.booleans()):
                lines[-1] = lines[-1][: draw(st.integers(0, len(lines[-1])))]
        elif op == "insert":
            for _ in range(draw(st.integers(1, 20))):
                j = draw(st.integers(0, len(lines) - 1))
                pos = draw(st.integers(0, len(lines[j])))
                lines[j] = lines[j][:pos] + draw(st.sampled_from(INSERTED)) + lines[j][pos:]
        elif op == "replace":
            lines[i] = draw(st.text(max_size=80))
        elif op == "swap":
            j = draw(st.integers(0, n - 1))
            lines[i], lines[j] = lines[j], lines[i]
    return key, encode("\n".join(lines), draw(st.booleans()))


@fuzz_settings(15)
@given(mutated_seed())
def test_damaged_seed_is_imported_or_refused(sample):
    key, data = sample
    outcome = check_import(data, f"{key}.txt")
    event(outcome)
    event(f"{key}: {outcome}")


def test_the_check_can_fail():
    """check_import is not vacuous: a draft made invalid after import is seen as invalid."""
    import sphinx_pia.importer.output as output

    real = output.write_draft

    def corrupt(draft, out_dir):
        draft.assessment["status"] = "bogus"
        return real(draft, out_dir)

    output.write_draft = corrupt
    try:
        assert check_import(SEEDS["003"].encode()) == "invalid"
    finally:
        output.write_draft = real
    assert check_import(SEEDS["003"].encode()) == "valid"
    assert check_import(b"hello\n") == "refused"
    with tempfile.TemporaryDirectory() as tmp:  # what place() calls valid reads back as valid
        load_assessment(place(import_file(next((ROOT / "sources").glob("003_*.txt"))), Path(tmp)).target, Path(tmp))
