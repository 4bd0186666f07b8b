from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ("sphinx.testing.fixtures",)

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def rootdir() -> Path:
    """sphinx.testing looks for testroots here (tests/roots/test-<name>)."""
    return Path(__file__).resolve().parent / "roots"


@pytest.fixture
def html(app):
    """Build the app and return a reader of output pages as BeautifulSoup."""
    from bs4 import BeautifulSoup

    app.build()

    def read(name: str) -> BeautifulSoup:
        return BeautifulSoup((Path(app.outdir) / name).read_text(encoding="utf-8"), "html.parser")

    return read
