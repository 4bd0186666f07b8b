"""The renumbering data agrees with its evidence in the sources, and law pages show it."""

from __future__ import annotations

from pathlib import Path

import yaml

from sphinx_pia.citations import Reference, parse
from sphinx_pia.renumbering import DATA, default_renumbering

ROOT = Path(__file__).resolve().parents[1]


def test_row_pairs_match_the_change_entry_they_come_from():
    data = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    [table] = data["rows"]
    line = (ROOT / "sources" / "000_15f2a45ded04b7a0.txt").read_text(encoding="utf-8").split("\n")[872 - 1]
    before, after = line.split("\t")[2:4]
    old = [r.row for r in parse(before).references if r.row and r.table == "別表第二"]
    new = [r.row for r in parse(after).references if r.row and r.table == "別表第二"]
    assert len(old) == len(new) == 58
    assert [list(p) for p in zip(old, new)] == table["pairs"]
    # the 変更後 numbering is the one the current I.5② cites under 主務省令第2条の表
    current = (ROOT / "sources" / "000_15f2a45ded04b7a0.txt").read_text(encoding="utf-8").split("\n")[67 - 1]
    assert [r.row for r in parse(current).references if r.row] == new


def test_successor_lookup():
    ren = default_renumbering()
    old = Reference("bangoho", table="別表第二", row="85の2")
    [c] = ren.successors(old)
    assert c.new == Reference("shumu-shorei", article="2", table="表", row="124")
    assert ren.predecessors(c.new)[0].old == old
    [art] = ren.successors(Reference("bangoho", article="19", item="7"))
    assert art.new == Reference("bangoho", article="19", item="8")
