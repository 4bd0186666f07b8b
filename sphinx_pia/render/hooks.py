"""Extension points of the object pages, for page kinds added beside the built-in ones.

The reviewer tools (sphinx_ext/review.py) register here so that an assessment's
page lists its 点検結果, versions and history pages, and an item's 変更履歴 links
to its history; the renderer stays unaware of what those pages are.
"""

from __future__ import annotations

from typing import Callable

#: (renderer) → list items for the home page's ways in (点検一覧, 変更の時系列, オープンデータ)
HOME_LINKS: list[Callable] = []
#: (renderer, assessment) → list items (nodes.list_item) for the assessment's 「この評価書のページ」
ASSESSMENT_LINKS: list[Callable] = []
#: (renderer, gid) → nodes shown with an item's 変更履歴 (e.g. a link to its history)
ITEM_LINKS: list[Callable] = []
