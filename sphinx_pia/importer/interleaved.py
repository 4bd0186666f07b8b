"""The column-interleaved layout (001, 002): the PDF's columns emitted one after
the other, rows of a page sometimes bottom-up, labels after their values.

The importer anchors on what the form prints and harvests around it:

- regions (the 変更箇所 table, the 別紙 tables, the record-item list) are
  found by their titles and column headers, widened to whole page blocks;
- the cover and the parts I-VI by their printed labels
  (``interleaved_form``): in this layout a form label line starts with one
  ASCII space and a value never does (seed notes §0.5).

Whatever is not recognised stays unplaced in the coverage report.
"""

from __future__ import annotations

from .coverage import Coverage
from .forms import FormInfo
from .interleaved_annex import is_annex_header, parse_annex
from .interleaved_changes import is_header as is_change_header
from .interleaved_changes import is_title as is_change_title
from .interleaved_changes import parse_changes
from .interleaved_form import FormHarvester
from .interleaved_text import block_start, blocks, double_spaced
from .parsed import ParsedForm
from .source import SourceText


class InterleavedImporter(ParsedForm):
    def __init__(self, src: SourceText, cov: Coverage, form: FormInfo):
        super().__init__(src, cov)
        self.form = form

    def run(self) -> None:
        lines = self.lines
        bounds = blocks(lines)
        n = len(lines)
        # the table starts at its column header: the title alone also appears in the
        # cover's 項目一覧, and starting there would swallow the whole form
        change_at = next((i for i, ln in enumerate(lines) if is_change_header(ln.raw)), None)
        if change_at is None:
            change_at = next((i for i, ln in enumerate(lines) if is_change_title(ln.raw) and i > 0
                              and not _in_contents(lines, i)), None)
        annex_at = next((i for i, ln in enumerate(lines)
                         if is_annex_header(ln.raw.strip()) and (change_at is None or i > change_at)), None)
        annex_start = block_start(bounds, annex_at) if annex_at is not None else n
        body_end = n
        if change_at is not None:
            start = block_start(bounds, change_at)
            if self.form.fragment:
                start = 0
            spaced = double_spaced(lines, start, annex_start)
            self.changes = parse_changes(lines, start, annex_start, self.cov, spaced)
            body_end = start
        if annex_at is not None:
            annex = parse_annex(lines, annex_start, n, self.cov)
            if annex is not None:
                self.annexes.append(annex)
            body_end = min(body_end, annex_start)
        if not self.form.fragment:
            self._form(0, body_end)

    def _form(self, a: int, b: int) -> None:
        """Cover, parts I-VI and the attachments of the form itself."""
        FormHarvester(self, a, b).run()


def _in_contents(lines, i: int) -> bool:
    """Whether line i is an entry of the cover's 項目一覧 (contents list)."""
    return any("項目一覧" in ln.raw for ln in lines[max(0, i - 15):i])
