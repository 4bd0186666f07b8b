"""Shared fixtures of the browser tests: one site built from content/ for the whole
session, one Chromium per module (Playwright's sync API runs one instance at a time,
and test_search.py starts its own)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("PIA_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
               "--disable-component-update", "--disable-sync"]


def build_site(tmp: Path) -> Path:
    """Build as `nox -s site` does, outside the source tree (a file missing from the
    installed package fails here too)."""
    src = tmp / "site"
    shutil.copytree(ROOT / "site", src, ignore=shutil.ignore_patterns("_build", "pia"))
    out = tmp / "html"
    subprocess.run([sys.executable, "-m", "sphinx", "-q", "-W", "-b", "html", "-D", f"pia_content_dir={ROOT / 'content'}",
                    str(src), str(out)], cwd=tmp, check=True, timeout=600)
    return out


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    return build_site(tmp_path_factory.mktemp("ui-site"))


@pytest.fixture(scope="module")
def chromium():
    pytest.importorskip("playwright.sync_api")
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}; install Debian's chromium package (see .ci/run)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium):
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="ja-JP")
    pg = context.new_page()
    pg.set_default_timeout(30000)
    yield pg
    context.close()


@pytest.fixture(scope="session")
def a11y_report():
    """What the accessibility tests found, written as JSON to $PIA_A11Y_RESULTS at the end
    of the session (site/accessibility-results.json feeds the site's 「ウェブアクセシビリティ
    方針・試験結果」 page).  Nothing is written by a run that did not test every page kind."""
    import datetime
    import json

    report = {"date": datetime.date.today().isoformat(), "widths": [], "tags": [], "tools": {},
              "pages": [], "criteria": {}, "keyboard": []}
    yield report
    target = os.environ.get("PIA_A11Y_RESULTS")
    if not target or not report.get("complete"):
        return
    report.pop("complete")
    report["pages"].sort(key=lambda p: p["order"])
    for p in report["pages"]:
        p.pop("order")
    report["keyboard"].sort(key=lambda k: k["name"])
    for crit in report["criteria"].values():
        crit["rules"] = sorted(set(crit["rules"]))
    report["criteria"] = dict(sorted(report["criteria"].items(), key=lambda kv: [int(x) for x in kv[0].split(".")]))
    Path(target).write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def record(report: dict, name: str, criteria: list[str], passed: bool, detail: str = "") -> None:
    """Note a keyboard/structure check in the report, then assert it."""
    report["keyboard"] = [k for k in report["keyboard"] if k["name"] != name]
    report["keyboard"].append({"name": name, "criteria": criteria, "passed": bool(passed), "detail": detail if not passed else ""})
    assert passed, f"{name}: {detail}"


@pytest.fixture(scope="session")
def themes_site(tmp_path_factory) -> Path:
    """tests/roots/test-themes (a page of reviewer detail, a dropdown) built with furo."""
    tmp = tmp_path_factory.mktemp("themes-site")
    src = tmp / "src"
    shutil.copytree(ROOT / "tests" / "roots" / "test-themes", src)
    shutil.copytree(ROOT / "tests" / "roots" / "test-basic" / "content", src / "content")
    out = tmp / "html"
    subprocess.run([sys.executable, "-m", "sphinx", "-q", "-W", "-b", "html", "-D", "html_theme=furo", str(src), str(out)],
                   cwd=tmp, check=True, timeout=600)
    return out
