"""What a layout importer produces: the draft's parts as YAML-shaped dicts."""

from __future__ import annotations

from .coverage import Coverage
from .source import SourceText


class ParsedForm:
    """Base of the layout importers (``tsv``, ``interleaved``): ``run()`` fills these."""

    def __init__(self, src: SourceText, cov: Coverage):
        self.src = src
        self.cov = cov
        self.lines = src.lines
        self.cover: list[dict] = []  # 表紙 fields
        self.parts: list[dict] = []  # I, 別添1, IV-VI
        self.files: list[dict] = []  # one per 特定個人情報ファイル: II, record items, III
        self.changes: dict | None = None  # 変更箇所
        self.annexes: list[dict] = []  # 別紙 tables
        self.gaps: list[dict] = []  # document-level gaps found while parsing
        self.title: dict | None = None  # the document title line

    def run(self) -> None:
        raise NotImplementedError


def new_file(no: str) -> dict:
    """A 特定個人情報ファイル of the draft, before its parts are read."""
    return {"schema": "sphinx-pia/file/1", "no": no, "name": None, "overview": {}, "risk_measures": {}}
