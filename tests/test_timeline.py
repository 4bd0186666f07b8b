"""The change timeline lists every 変更箇所 row of the five seeds, dated, with its groups."""

from __future__ import annotations

import re
from pathlib import Path

from sphinx_pia.loader import load_content
from sphinx_pia.timeline import GROUPS, by_group, by_year, timeline

ROOT = Path(__file__).resolve().parents[1]


def test_every_change_entry_is_on_the_timeline():
    assessments = load_content(ROOT / "content")
    entries = timeline(assessments)
    expected = {f"{a.id}/{e.id}" for a in assessments if a.changes for e in a.changes.entries}
    assert len(entries) == len(expected) == 166  # 55 + 33 + 12 + 23 + 43
    assert {e.gid for e in entries} == expected


def test_order_dates_and_organizations():
    entries = timeline(load_content(ROOT / "content"))
    dated = [e.date_iso for e in entries if e.date_iso]
    assert dated == sorted(dated)
    assert entries[0].date_iso == "2017-04-24" and entries[0].organization_name == "花巻市"
    assert all(e.date_iso is None for e in entries[len(dated):])  # undated rows last
    for e in entries:
        if e.date:
            assert re.match(r"\d{4}-\d{2}-\d{2}$", e.date_iso), e
    assert set(by_year(entries)) >= {"2017", "2019", "2020", "2026", ""}


def test_groups():
    groups = by_group(timeline(load_content(ROOT / "content")))
    assert set(groups) == set(GROUPS)
    renumbering = {e.gid for e in groups["renumbering-2024"]}
    # 000 L872 (令和7年3月14日) renumbers the 項番 list; 令和8年2月2日 moves 別表第二 → 主務省令, 別表第1 → 別表
    assert {"fujimino-juki/chg-44", "fujimino-juki/chg-50", "fujimino-juki/chg-53", "sapporo-juki/chg-13"} <= renumbering
    # the 令和6年3月18日 委託 rows have nothing to do with it
    assert "fujimino-juki/chg-38" not in renumbering
    assert all(e.organization in {"saitama-fujimino", "hokkaido-sapporo"} for e in groups["renumbering-2024"])
    nw = {e.gid for e in groups["nw-provision"]}
    assert "fujimino-juki/chg-34" in nw  # 「番号法第19条第7号 別表第2」→「番号法第19条第8号 別表第二」
    undated = groups["undated"]
    assert undated and all(not (e.date or "").strip() for e in undated)
