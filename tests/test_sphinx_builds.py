"""Incremental and parallel builds give the same, up-to-date HTML."""

from __future__ import annotations

import shutil
from pathlib import Path

from bs4 import BeautifulSoup

ROOTS = Path(__file__).parent / "roots"


def _copy_root(tmp_path: Path, name: str = "basic") -> Path:
    src = tmp_path / "src"
    shutil.copytree(ROOTS / f"test-{name}", src)
    return src


def _text(outdir: Path, page: str) -> str:
    return (outdir / page).read_text(encoding="utf-8")


def test_incremental_rebuild_updates_backlinks(make_app, tmp_path):
    src = _copy_root(tmp_path)
    app = make_app("html", srcdir=src)
    app.build()
    law19 = "pia/laws/bangoho-art-19-i8.html"
    assert "city-b-tax/file-1.html#file-1-tran-1" in _text(app.outdir, law19)
    assert not (app.outdir / "pia/laws/jukiho-art-16.html").exists()
    untouched = app.outdir / "pia/city-a-juki/changes.html"
    before_mtime = untouched.stat().st_mtime_ns

    yaml = src / "content/city-b-tax/file-1.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8").replace("番号法第１９条第８号", "住基法第16条"), encoding="utf-8")

    app2 = make_app("html", srcdir=src)
    app2.build()
    # an incremental build is as clean as a full one (-W); a second app in one process
    # re-registers Sphinx's own node classes, which sphinx.testing reports as warnings
    warnings = [w for w in app2._warning.getvalue().splitlines() if w.strip() and "is already registered" not in w]
    assert warnings == []
    # the old law page no longer lists the transfer; the new one does
    assert "city-b-tax/file-1.html#file-1-tran-1" not in _text(app2.outdir, law19)
    assert "city-b-tax/file-1.html#file-1-tran-1" in _text(app2.outdir, "pia/laws/jukiho-art-16.html")
    # the edited file's page shows the new citation
    assert "住基法第16条" in _text(app2.outdir, "pia/city-b-tax/file-1.html")
    # pages of the other assessment were not rewritten
    assert untouched.stat().st_mtime_ns == before_mtime


def test_incremental_rebuild_removes_deleted_assessment(make_app, tmp_path):
    src = _copy_root(tmp_path)
    app = make_app("html", srcdir=src)
    app.build()
    shutil.rmtree(src / "content/city-b-tax")
    app2 = make_app("html", srcdir=src)
    app2.build()
    assert "テストB市" not in _text(app2.outdir, "pia/index.html")
    assert "city-b-tax" not in _text(app2.outdir, "pia/laws/bangoho-art-19-i8.html")


def _html_files(outdir: Path) -> dict[str, str]:
    out = {}
    for path in sorted(outdir.rglob("*.html")):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        out[str(path.relative_to(outdir))] = str(soup.find("article") or soup.body)
    return out


def test_parallel_build_equals_serial(make_app, tmp_path):
    serial = make_app("html", srcdir=_copy_root(tmp_path / "a"), parallel=1)
    serial.build()
    parallel = make_app("html", srcdir=_copy_root(tmp_path / "b"), parallel=2)
    parallel.build()
    a, b = _html_files(serial.outdir), _html_files(parallel.outdir)
    assert a.keys() == b.keys()
    assert len(a) > 10
    for name in a:
        assert a[name] == b[name], name


def test_a_hand_written_guide_is_read_again_only_when_what_it_shows_changes(make_app, tmp_path):
    """A page with pia-home depends on the generated home page's digest, not on every
    assessment's YAML: an edit of a value the guide does not show leaves it alone; an
    edit of one it shows (a title) reads it again and shows the new value."""
    src = _copy_root(tmp_path)
    index = src / "index.rst"
    index.write_text(index.read_text(encoding="utf-8") + "\n.. pia-home::\n", encoding="utf-8")
    app = make_app("html", srcdir=src)
    app.build()
    assert "住民基本台帳事務 重点項目評価書" in _text(app.outdir, "index.html")

    def read_again(app) -> set[str]:
        # the documents Sphinx reads, from its own event (its log differs with and
        # without a terminal, e.g. CI=true adds line-erase sequences)
        read: set[str] = set()
        app.connect("env-before-read-docs", lambda app, env, docnames: read.update(docnames), priority=900)
        app.build()
        return read

    file_yaml = src / "content/city-a-juki/file-1.yaml"
    file_yaml.write_text(file_yaml.read_text(encoding="utf-8").replace("text: システム保守}", "text: システム保守（改）}"), encoding="utf-8")
    app2 = make_app("html", srcdir=src)
    assert "index" not in read_again(app2)
    assert "システム保守（改）" in _text(app2.outdir, "pia/city-a-juki/file-1.html")

    cover = src / "content/city-a-juki/assessment.yaml"
    cover.write_text(cover.read_text(encoding="utf-8").replace("text: 住民基本台帳事務 重点項目評価書,", "text: 住民基本台帳事務 重点項目評価書（改訂）,"), encoding="utf-8")
    app3 = make_app("html", srcdir=src)
    assert "index" in read_again(app3)
    assert "住民基本台帳事務 重点項目評価書（改訂）" in _text(app3.outdir, "index.html")


def test_the_loaded_content_is_left_to_the_operating_system_at_exit(tmp_path):
    """A sphinx-build process does not free the loaded site object by object at exit
    (seconds at hundreds of assessments): the site index is never freed.  Its class is
    given a finalizer that says when one is."""
    import os
    import subprocess
    import sys
    import textwrap

    src = _copy_root(tmp_path)
    script = textwrap.dedent(f"""
        import os
        from sphinx.cmd.build import build_main
        from sphinx_pia.index import SiteIndex
        SiteIndex.__del__ = lambda self, write=os.write: write(1, b"freed\\n")
        assert build_main(["-q", "-b", "html", {str(src)!r}, {str(src / "_build")!r}]) == 0
        os.write(1, b"built\\n")
        if os.environ.get("PIA_TEST_NO_KEEP"):
            import atexit
            from sphinx_pia.sphinx_ext import site
            atexit.unregister(site._keep)  # as a process without the handler
    """)

    def run(**env) -> list[str]:
        out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=600, cwd=tmp_path, env={**os.environ, **env})
        assert out.returncode == 0, out.stderr[-2000:]
        return out.stdout.split()

    assert run() == ["built"]
    # the finalizer does tell: without the handler the site index is freed at exit
    assert run(PIA_TEST_NO_KEEP="1") == ["built", "freed"]


def _index_files(outdir: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((outdir / "_static/pia-search").glob("*.js"))}


def test_the_search_index_written_beside_the_pages_equals_one_written_after_them(make_app, tmp_path, monkeypatch):
    """The index is written by a forked process while the pages are written; its files
    are those of the index written in the build's own process after the pages.  A child
    that fails leaves the parent to write it (the build never loses its index)."""
    import os

    from sphinx_pia.sphinx_ext import search

    forks: list[int] = []
    real_fork = os.fork

    def fork():
        pid = real_fork()
        if pid:
            forks.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", fork)
    beside = make_app("html", srcdir=_copy_root(tmp_path / "a"))
    beside.build()
    assert len(forks) == 1
    after = make_app("html", srcdir=_copy_root(tmp_path / "b"), confoverrides={"pia_search_index_process": False})
    after.build()
    assert len(forks) == 1  # no process
    files = _index_files(beside.outdir)
    assert len(files) > 10 and files == _index_files(after.outdir)

    parent, real_write = os.getpid(), search._write

    def write(app):
        if os.getpid() != parent:
            raise RuntimeError("the child fails")
        return real_write(app)

    monkeypatch.setattr(search, "_write", write)
    failed = make_app("html", srcdir=_copy_root(tmp_path / "c"))
    failed.build()
    assert len(forks) == 2
    assert _index_files(failed.outdir) == files
