"""The law registry: canonical names, numbers, aliases and e-Gov IDs, shipped as data
(``sphinx_pia/data/laws.yaml``).  Curated by hand; tests check it covers every
law the sources cite."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

import yaml

DATA = Path(__file__).resolve().parent / "data" / "laws.yaml"
EGOV_LAW_URL = "https://laws.e-gov.go.jp/law/"
# e-Gov 法令検索's top page: the fallback for a national instrument whose law ID is not
# confirmed.  No human-facing search URL with a query could be confirmed from a stored
# source: `https://laws.e-gov.go.jp/result` exists (the background-script tests of a public
# browser extension for e-Gov use it as the example of an e-Gov page that is not a law
# page), but the query forms seen in third-party code disagree and none is documented by
# e-Gov: `/result?searchType=keyword&searchText=…` (a search launcher's provider
# table), `/search?keyword=…` and `/search?lawname=…` (several chat/RAG front ends),
# `elaws.e-gov.go.jp/result?…&searchTextBox=…` (the older elaws host).  So the page links the
# top page (seen, e.g. as `https://laws.e-gov.go.jp/?utm_source=… "e-Gov 法令検索"` in a
# stored repository document) and shows the name and number to search for.  Switch EGOV_SEARCH_URL to a
# query form once one is confirmed; `egov_search_url` then quotes the terms.
EGOV_TOP_URL = "https://laws.e-gov.go.jp/"
EGOV_SEARCH_URL: str | None = None  # e.g. EGOV_TOP_URL + "result?...={query}" once confirmed
#: 条例 and 規則 of a municipality or prefecture: e-Gov 法令検索 holds national law only
#: (法律・政令・府省令・規則), so these never get an e-Gov link.
LOCAL_KINDS = frozenset({"ordinance", "ordinance-rule"})
#: Instruments of the State.  e-Gov holds all of these kinds except 告示 (notice); a
#: notice still gets the search fallback, with a note that e-Gov may not hold it.
NATIONAL_KINDS = frozenset({"act", "cabinet-order", "ministerial-ordinance", "rule", "notice"})
#: a reading: hiragana (ぁ-ゖ, without the iteration marks ゝゞ) and the long-vowel mark
READING = re.compile(r"[ぁ-ゖー]+")


@dataclass(frozen=True)
class Alias:
    name: str
    since: str | None = None
    until: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Law:
    id: str
    name: str
    number: str | None = None
    kind: str = "act"
    egov_id: str | None = None
    jurisdiction: str | None = None
    aliases: tuple[Alias, ...] = ()
    note: str | None = None
    #: the title read in hiragana (「じゅうみんきほんだいちょうほう」): kanji sort by code point,
    #: which is no order a reader knows, so indexes sort by this instead (五十音順)
    reading: str | None = None

    @property
    def sort_key(self) -> str:
        """The key of the law in a 五十音 index: the reading, else the title."""
        return self.reading or self.name

    @property
    def short_name(self) -> str:
        """The common short name (the first alias that is an abbreviation), else the title."""
        for alias in self.aliases:
            if len(alias.name) < len(self.name) and not alias.until and "誤記" not in (alias.note or ""):
                return alias.name
        return self.name

    @property
    def egov_url(self) -> str | None:
        return EGOV_LAW_URL + self.egov_id if self.egov_id else None

    @property
    def is_local(self) -> bool:
        """A local ordinance or rule (例規): not on e-Gov, which holds national law only."""
        return self.kind in LOCAL_KINDS

    @property
    def egov_search_url(self) -> str | None:
        """e-Gov 法令検索 for a national instrument whose law ID is not confirmed: a
        search for its title once a query URL is confirmed, else the top page (see
        EGOV_SEARCH_URL).  None when there is a direct link or the law is local."""
        if self.egov_id or self.kind not in NATIONAL_KINDS:
            return None
        if EGOV_SEARCH_URL:
            return EGOV_SEARCH_URL.replace("{query}", quote(self.name, safe=""))
        return EGOV_TOP_URL

    def article_url(self, article: str = "", paragraph: str = "", item: str = "", suppl: bool = False) -> str | None:
        """Deep link into e-Gov: #Mp-At_30_6-Pr_1-It_8 (main provision) or the law page."""
        if not self.egov_id:
            return None
        if not article or suppl:
            return self.egov_url
        anchor = "Mp-At_" + article.replace("-", "_")
        if paragraph or item:
            # an item cited without its paragraph (第19条第8号) sits in paragraph 1
            anchor += f"-Pr_{paragraph or 1}"
            if item:
                anchor += "-It_" + item.replace("-", "_")
        return f"{self.egov_url}#{anchor}"


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


@dataclass
class Registry:
    laws: dict[str, Law] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._names: dict[str, Law] = {}
        self._numbers: dict[str, Law] = {}
        for law in self.laws.values():
            for name in (law.name, *(a.name for a in law.aliases)):
                self._names.setdefault(_norm(name), law)
            if law.number:
                self._numbers[_norm(law.number)] = law
        # An alias that itself holds an article (「番号法第19条第8号に基づく主務省令」) is a
        # compound citation: scanning for it would hide the article it contains.
        names = sorted((n for n in self._names if not re.search(r"第\d+条", n)), key=len, reverse=True)
        import hashlib

        self.fingerprint = hashlib.sha256(repr(sorted((law.id, law.name, law.aliases) for law in self.laws.values())).encode()).hexdigest()[:16]
        self._pattern = re.compile("|".join(re.escape(n) for n in names)) if names else None

    @classmethod
    def load(cls, path: Path = DATA, extra: list[Path] = ()) -> Registry:
        """The shipped registry, plus a project's own files (local ordinances, say);
        an entry in a later file replaces one with the same id."""
        laws: dict[str, Law] = {}
        for p in [path, *extra]:
            if p.exists():
                laws.update(cls._read(p))
        return cls(laws)

    @staticmethod
    def _read(path: Path) -> dict[str, Law]:
        """One registry file; a project's own file is content too, so it is read by the
        content loader's safe YAML reader and checked entry by entry (ContentError)."""
        from .loader import ContentError, Problem, read_yaml

        data, positions = read_yaml(path)
        problems: list[Problem] = []

        def bad(loc: tuple, message: str) -> None:
            line, col = positions.find(loc) or (None, None)
            problems.append(Problem(str(path), line, col, ".".join(str(p) for p in loc), message))

        if data is None:
            return {}
        if not isinstance(data, list):
            bad((), "法令の一覧（「- id: ...」の形のリスト）が必要です。")
            raise ContentError(problems)
        laws = {}
        for i, entry in enumerate(data):
            if not isinstance(entry, dict):
                bad((i,), "「id: 」「name: 」を持つ項目が必要です。")
                continue
            for key in ("id", "name"):
                if not isinstance(entry.get(key), str) or not entry.get(key).strip():
                    bad((i, key), f"'{key}' が必要です（文字列）。")
            if isinstance(entry.get("id"), str) and not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,63}", entry["id"]):
                bad((i, "id"), "id は半角英小文字・数字・「-」で64文字以内にしてください。")
            egov_id = entry.get("egov_id")
            # the e-Gov link is built from this ID: nothing but its own characters may reach an href
            if egov_id is not None and not (isinstance(egov_id, str) and re.fullmatch(r"[0-9A-Za-z_]{1,64}", egov_id)):
                bad((i, "egov_id"), "egov_id は e-Gov の法令ID（半角英数字と「_」）にしてください。")
            if entry.get("kind", "act") not in LOCAL_KINDS | NATIONAL_KINDS:
                bad((i, "kind"), f"kind は {', '.join(sorted(LOCAL_KINDS | NATIONAL_KINDS))} のいずれかにしてください。")
            for key in ("number", "jurisdiction", "note"):
                if entry.get(key) is not None and not isinstance(entry.get(key), str):
                    bad((i, key), f"'{key}' は文字列にしてください。")
            reading = entry.get("reading")
            if reading is not None and not (isinstance(reading, str) and READING.fullmatch(reading)):
                bad((i, "reading"), "reading は法令名の読みをひらがなと「ー」だけで書いてください（空白・記号・カタカナ・漢字は不可）。")
            aliases = entry.get("aliases") or []
            if not isinstance(aliases, list) or not all(isinstance(a, dict) and isinstance(a.get("name"), str) and a["name"] for a in aliases):
                bad((i, "aliases"), "aliases は「- name: 略称」のリストにしてください。")
                continue
            if problems:
                continue
            laws[entry["id"]] = Law(
                id=entry["id"],
                name=entry["name"],
                number=entry.get("number"),
                kind=entry.get("kind", "act"),
                egov_id=egov_id,
                jurisdiction=entry.get("jurisdiction"),
                aliases=tuple(Alias(a["name"], a.get("since"), a.get("until"), a.get("note")) for a in aliases),
                note=entry.get("note"),
                reading=reading,
            )
        if problems:
            raise ContentError(problems)
        return laws

    def get(self, law_id: str) -> Law | None:
        return self.laws.get(law_id)

    def match_name(self, name: str) -> Law | None:
        """The law with exactly this name or alias (after NFKC)."""
        return self._names.get(_norm(name))

    def by_number(self, number: str) -> Law | None:
        return self._numbers.get(_norm(number))

    def find_names(self, norm: str, local: dict[str, Law] | None = None) -> list[tuple[int, int, Law, str]]:
        """Non-overlapping law names in ``norm``, longest first."""
        found: list[tuple[int, int, Law, str]] = []
        taken: list[tuple[int, int]] = []

        def free(s: int, e: int) -> bool:
            return all(e <= a or s >= b for a, b in taken)

        candidates: list[tuple[int, int, Law, str]] = []
        for short, law in (local or {}).items():
            for m in re.finditer(re.escape(short), norm):
                candidates.append((m.start(), m.end(), law, short))
        if self._pattern is not None:
            for m in self._pattern.finditer(norm):
                candidates.append((m.start(), m.end(), self._names[m.group(0)], m.group(0)))
        for s, e, law, name in sorted(candidates, key=lambda c: (-(c[1] - c[0]), c[0])):
            if free(s, e):
                taken.append((s, e))
                found.append((s, e, law, name))
        return sorted(found)


@lru_cache(maxsize=1)
def default_registry() -> Registry:
    return Registry.load()
