"""The column-interleaved layout (001, 002): not implemented yet."""

from __future__ import annotations

from .coverage import Coverage
from .forms import FormInfo
from .source import SourceText


class InterleavedImporter:
    def __init__(self, src: SourceText, cov: Coverage, form: FormInfo):
        self.src, self.cov, self.form = src, cov, form
        self.cover: list[dict] = []
        self.parts: list[dict] = []
        self.files: list[dict] = []
        self.changes: dict | None = None
        self.annexes: list[dict] = []
        self.gaps: list[dict] = []
        self.title: dict | None = None

    def run(self) -> None:
        return None
