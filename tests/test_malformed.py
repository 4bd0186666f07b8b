"""The generated corpus of malformed content (tests/malformed_corpus.py), through
``sphinx-pia validate`` and a Sphinx build.

For every case: no traceback, no hang (each run under a time limit), never silently
accepted (a problem for that case, with the expected wording), every message with
a location (file:line[:column], or the file for file-level problems); and the valid
assessment beside them still builds.
"""

from __future__ import annotations

import io
import re
import shutil
import signal
import sys
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from malformed_corpus import GOOD, build_corpus  # noqa: E402

from sphinx_pia.cli import main  # noqa: E402
from sphinx_pia.problems import show  # noqa: E402

#: a CLI line: <path>[:line[:column]]: [field:] message
CLI_LINE = re.compile(r"^(?P<path>[^:]+?)(?::(?P<line>\d+)(?::(?P<col>\d+))?)?: (?P<rest>.+)$")


class Hang(Exception):
    pass


@contextmanager
def time_limit(seconds: float):
    """Fail instead of hanging (a blocking open of a FIFO is interrupted too)."""

    def handler(signum, frame):
        raise Hang(f"no result after {seconds} s")

    old = signal.signal(signal.SIGALRM, handler)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    out = tmp_path_factory.mktemp("malformed")
    return out, build_corpus(out)


def _validate(*paths: Path, seconds: float = 20) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with time_limit(seconds), redirect_stdout(out), redirect_stderr(err):
        code = main(["validate", *map(str, paths)])
    return code, out.getvalue(), err.getvalue()


def _problem_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if not line.startswith("問題が ")]


def test_corpus_is_large_enough(corpus):
    _, cases = corpus
    assert len(cases) >= 150
    assert len({c.name for c in cases}) == len(cases)


def test_validate_each_case(corpus):
    """Each case alone: exit 1, its expected problem, located; no traceback, no hang."""
    out, cases = corpus
    content = out / "content"
    failures = []
    for case in cases:
        if case.whole:  # checked in test_validate_whole_corpus
            continue
        target = content / case.entry
        try:
            code, stdout, err = _validate(target, seconds=10)
        except Hang as exc:
            failures.append(f"{case.name}: hang ({exc})")
            continue
        lines = _problem_lines(err)
        mine = [line for line in lines if line.startswith(show(case.entry, 300))]
        if "Traceback" in err or "Traceback" in stdout:
            failures.append(f"{case.name}: traceback")
        elif code != 1 or not mine:
            failures.append(f"{case.name}: silently accepted (exit {code})")
        elif not any(case.expect in line for line in mine):
            failures.append(f"{case.name}: expected {case.expect!r}, got {mine[:2]}")
        for line in lines:
            m = CLI_LINE.match(line)
            if not m or not (m["line"] or not m["path"].endswith((".yaml", ".yml")) or _file_level(m["rest"])):
                failures.append(f"{case.name}: message without a location: {line[:160]}")
            if "\x1b" in line or "\x07" in line:
                failures.append(f"{case.name}: raw control character echoed: {line[:160]!r}")
    assert not failures, "\n".join(failures)


def _file_level(message: str) -> bool:
    """Problems about a file as a whole (what it is, not what it says) have no line."""
    return any(w in message for w in ("ファイル", "シンボリックリンク", "両方あります", "assessment.yaml がありません", "パスが長すぎます"))


def test_validate_whole_corpus(corpus):
    """All at once: one line per problem, the valid assessment listed as ok."""
    out, cases = corpus
    code, stdout, err = _validate(out / "content", seconds=60)
    assert code == 1 and "Traceback" not in err
    assert f"ok  {GOOD}:" in stdout
    by_entry: dict[str, list[str]] = {}
    for line in _problem_lines(err):
        by_entry.setdefault(line.split("/", 1)[0].split(":", 1)[0], []).append(line)
    silent = [c.name for c in cases if show(c.entry, 300) not in by_entry]
    assert not silent, silent
    unexpected = [c.name for c in cases if not any(c.expect in line for line in by_entry[show(c.entry, 300)])]
    assert not unexpected, unexpected


def test_build_reports_each_case_and_builds_the_rest(corpus, tmp_path):
    """One Sphinx build over the whole corpus: a located warning for each case, the valid assessment built."""
    from sphinx.application import Sphinx
    from sphinx.util.docutils import docutils_namespace

    out, cases = corpus
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text(f"extensions = ['sphinx_pia']\nlanguage = 'ja'\npia_content_dir = {str(out / 'content')!r}\n", encoding="utf-8")
    (src / "index.rst").write_text("Corpus\n======\n\n.. toctree::\n   :glob:\n\n   pia/*/index\n", encoding="utf-8")
    status, warnings = io.StringIO(), io.StringIO()
    with time_limit(90), docutils_namespace():
        app = Sphinx(str(src), str(src), str(tmp_path / "html"), str(tmp_path / "doctrees"), "html", status=status, warning=warnings, freshenv=True)
        app.build()
    text = re.sub(r"\x1b\[[0-9;]*m", "", warnings.getvalue())  # Sphinx's own colours
    assert "\x1b" not in text, "a control character from the content reached the log"
    assert "Traceback" not in text and "Traceback" not in status.getvalue()
    content = str(out / "content")
    pia = [line for line in text.splitlines() if content in line]
    failures = []
    for case in cases:
        prefix = f"{content}/{show(case.entry, 300)}"
        mine = [line for line in pia if line.startswith(prefix) or f"WARNING: {prefix}" in line]
        if not mine:
            failures.append(f"{case.name}: no warning")
        elif not any(case.expect in line for line in mine):
            failures.append(f"{case.name}: expected {case.expect!r}, got {mine[:1]}")
    for line in pia:
        located = re.match(rf"^{re.escape(content)}/\S+?:\d+(:\d+)?: WARNING: ", line) or re.search(rf"WARNING: {re.escape(content)}/.+?: ", line)
        if not located:
            failures.append(f"warning without a location: {line[:200]}")
        if ".yaml.rst" in line or ".yml.rst" in line:
            failures.append(f"location turned into a document name: {line[:200]}")
    assert not failures, "\n".join(failures)
    good = tmp_path / "html" / "pia" / GOOD / "index.html"
    assert good.exists(), "the valid assessment was not built"
    assert "住民基本台帳事務 重点項目評価書" in good.read_text(encoding="utf-8")
    assert not (tmp_path / "html" / "pia" / "case-001").exists()


def test_deepest_nesting_allowed_still_builds(tmp_path):
    """The depth cap is low enough that what passes it also survives rendering and pickling."""
    from sphinx.application import Sphinx
    from sphinx.util.docutils import docutils_namespace

    from malformed_corpus import BASE, SYS1, _nested_items
    from sphinx_pia.loader import ContentError, load_assessment

    root = tmp_path / "root"
    shutil.copytree(BASE, root)
    path = root / "content" / "city-a-juki" / "assessment.yaml"
    original = path.read_text(encoding="utf-8")
    deepest = None
    for depth in range(30, 0, -1):
        path.write_text(original.replace(SYS1, "{key: system_name, label: x, " + _nested_items(depth) + "}"), encoding="utf-8")
        try:
            load_assessment(path.parent, root / "content", sources=root / "sources")
        except ContentError as exc:
            assert "入れ子が深すぎます" in str(exc)
            continue
        deepest = depth
        break
    assert deepest and deepest >= 8, deepest  # real content nests Field items about 3 deep
    warnings = io.StringIO()
    with time_limit(90), docutils_namespace():
        app = Sphinx(str(root), str(root), str(tmp_path / "html"), str(tmp_path / "doctrees"), "html", status=None, warning=warnings, freshenv=True)
        app.build()
    assert "Traceback" not in warnings.getvalue() and "RecursionError" not in warnings.getvalue()
    assert (tmp_path / "html" / "pia" / "city-a-juki" / "systems.html").exists()
