"""Importer: extracted text of a published assessment → a YAML draft + a coverage report.

Layers, each testable alone:

- ``source``   bytes → lines (UTF-8 or CP932), refusing what is neither;
- ``forms``    which form (基礎/重点/全項目), which part a heading opens;
- ``cells``    one cell: markup, 選択肢, checkboxes, counts;
- ``tsv`` / ``interleaved``  the two extraction layouts → YAML-shaped dicts;
- ``coverage`` what happened to every line;
- ``draft``    assembling and writing the draft, validated by ``sphinx_pia.loader``.
"""

from .draft import Draft, import_file, write_draft
from .source import ImportProblem

__all__ = ["Draft", "ImportProblem", "import_file", "write_draft"]
