"""Old and new editions of legal bases: which reference succeeds which.

Loaded from ``sphinx_pia/data/renumbering.yaml``; see the comment at its top.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from .citations import Reference

DATA = Path(__file__).resolve().parent / "data" / "renumbering.yaml"


@dataclass(frozen=True)
class Correspondence:
    old: Reference
    new: Reference
    note: str
    evidence: str
    suspect: bool = False


def _ref(data: dict, row: str = "") -> Reference:
    return Reference(
        law=data["law"], article=str(data.get("article", "")), paragraph=str(data.get("paragraph", "")),
        item=str(data.get("item", "")), table=data.get("table", ""), row=row,
    )


@dataclass
class Renumbering:
    correspondences: list[Correspondence]

    def __post_init__(self) -> None:
        self._by_old: dict[Reference, list[Correspondence]] = {}
        self._by_new: dict[Reference, list[Correspondence]] = {}
        for c in self.correspondences:
            self._by_old.setdefault(c.old, []).append(c)
            self._by_new.setdefault(c.new, []).append(c)

    @classmethod
    def load(cls, path: Path = DATA) -> "Renumbering":
        data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}
        out: list[Correspondence] = []
        for entry in (data or {}).get("articles", []):
            out.append(Correspondence(_ref(entry["old"]), _ref(entry["new"]), entry.get("note", ""), "; ".join(entry.get("evidence", []))))
        for table in (data or {}).get("rows", []):
            suspect = set(table.get("suspect", []))
            for old_row, new_row in table["pairs"]:
                note = table.get("suspect_note", "") if old_row in suspect else ""
                out.append(Correspondence(_ref(table["old_table"], str(old_row)), _ref(table["new_table"], str(new_row)), note, table["evidence"], old_row in suspect))
        return cls(out)

    def successors(self, ref: Reference) -> list[Correspondence]:
        return self._by_old.get(ref, [])

    def predecessors(self, ref: Reference) -> list[Correspondence]:
        return self._by_new.get(ref, [])


@lru_cache(maxsize=1)
def default_renumbering() -> Renumbering:
    return Renumbering.load()
