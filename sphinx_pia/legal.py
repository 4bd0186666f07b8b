"""Legal-basis keys from citation text.

A 法令上の根拠 cell is free text: 「番号法第19条第8号に基づく主務省令第2条の表」,
「住基法第30条の15第2項第1号(本人確認情報の利用)」.  This module finds the
article-level references in it and gives each a stable key, so that every item
citing the same article, in any assessment, lands on the same page.  The text
itself is never rewritten; keys sit beside it.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

from .dates import kanji_to_int

#: Common names and abbreviations → (key slug, canonical short name).
LAW_ALIASES: dict[str, tuple[str, str]] = {
    "行政手続における特定の個人を識別するための番号の利用等に関する法律": ("bangoho", "番号法"),
    "番号利用法": ("bangoho", "番号法"),
    "マイナンバー法": ("bangoho", "番号法"),
    "番号法": ("bangoho", "番号法"),
    "住民基本台帳法施行令": ("jukiho-rei", "住民基本台帳法施行令"),
    "住基法施行令": ("jukiho-rei", "住民基本台帳法施行令"),
    "住民基本台帳法": ("jukiho", "住民基本台帳法"),
    "住基法": ("jukiho", "住民基本台帳法"),
    "主務省令": ("shumu-shorei", "番号法第19条第8号に基づく主務省令"),
    "個人番号カード省令": ("card-shorei", "個人番号カード省令"),
    "地方税法": ("chihozeiho", "地方税法"),
    "住基条例": ("gunma-juki-jorei", "群馬県住民基本台帳法施行条例"),
    "群馬県住民基本台帳法施行条例": ("gunma-juki-jorei", "群馬県住民基本台帳法施行条例"),
    "地方公共団体情報システム機構法": ("jlis-ho", "地方公共団体情報システム機構法"),
    "群馬県個人情報保護条例": ("gunma-kojin-jorei", "群馬県個人情報保護条例"),
    "独自利用条例": ("dokuji-jorei", "独自利用条例"),
}

_NUM = r"[0-9０-９一二三四五六七八九十百千]+"
_ALIAS_RE = "|".join(sorted((re.escape(a) for a in LAW_ALIASES), key=len, reverse=True))
_CITE_RE = re.compile(
    rf"(?P<law>{_ALIAS_RE})?\s*第\s*(?P<art>{_NUM})\s*条(?P<branch>(?:\s*の\s*{_NUM})*)"
    rf"(?:\s*第\s*(?P<para>{_NUM})\s*項)?(?:\s*第?\s*(?P<item>{_NUM})\s*号)?"
)
_TABLE_RE = re.compile(rf"(?P<law>{_ALIAS_RE})\s*(?:第\s*{_NUM}\s*条[^、。]*?)?別表\s*(?P<no>第[一二三四五六七八九十0-9０-９]+)?")


def _int(text: str) -> int | None:
    text = unicodedata.normalize("NFKC", text)
    return int(text) if text.isdigit() else kanji_to_int(text)


@dataclass(frozen=True, order=True)
class LegalKey:
    """An article-level legal reference: law + article (+ の-branches) + 項 + 号."""

    law: str  # slug of the law (bangoho), or "text-<hash>" for an unknown law
    law_name: str  # canonical short name for display
    article: str = ""  # "19", "30-6"; empty for a whole law or table
    paragraph: int | None = None
    item: int | None = None
    table: str = ""  # 別表 designation, e.g. 別表第二

    @property
    def slug(self) -> str:
        parts = [self.law]
        if self.table:
            parts.append("table-" + _table_slug(self.table))
        if self.article:
            parts.append("art-" + self.article)
        if self.paragraph:
            parts.append(f"p{self.paragraph}")
        if self.item:
            parts.append(f"i{self.item}")
        return "-".join(parts)

    @property
    def label(self) -> str:
        out = self.law_name
        if self.table:
            out += self.table
        if self.article:
            art, *branches = self.article.split("-")
            out += f"第{art}条" + "".join(f"の{b}" for b in branches)
        if self.paragraph:
            out += f"第{self.paragraph}項"
        if self.item:
            out += f"第{self.item}号"
        return out


def _table_slug(table: str) -> str:
    m = re.search(r"第(.+)", table)
    if not m:
        return "0"
    n = _int(m.group(1))
    return str(n) if n is not None else "x"


def extract_keys(text: str | None) -> list[LegalKey]:
    """The article-level references in a citation text, in order, without duplicates.

    A bare 「第7条」 after a law name inherits that law (「番号法第7条、第16条」);
    an article with no law in reach is not a reference we can key, and is skipped.
    """
    if not text:
        return []
    norm = unicodedata.normalize("NFKC", text)
    keys: list[LegalKey] = []
    current: tuple[str, str] | None = None
    last_end = 0
    for m in _CITE_RE.finditer(norm):
        law = m.group("law")
        if law:
            current = LAW_ALIASES[law]
        elif current is None or _gap_breaks_law(norm[last_end : m.start()]):
            current = _law_before(norm[: m.start()])
        last_end = m.end()
        if current is None:
            continue
        art = _int(m.group("art"))
        if art is None:
            continue
        branches = [str(_int(b)) for b in re.findall(_NUM, m.group("branch") or "")]
        key = LegalKey(
            law=current[0],
            law_name=current[1],
            article="-".join([str(art), *branches]),
            paragraph=_int(m.group("para")) if m.group("para") else None,
            item=_int(m.group("item")) if m.group("item") else None,
        )
        if key not in keys:
            keys.append(key)
    for m in _TABLE_RE.finditer(norm):
        slug, name = LAW_ALIASES[m.group("law")]
        key = LegalKey(law=slug, law_name=name, table="別表" + (m.group("no") or ""))
        if key not in keys:
            keys.append(key)
    return keys


def _law_before(prefix: str) -> tuple[str, str] | None:
    found = None
    for m in re.finditer(_ALIAS_RE, prefix):
        found = LAW_ALIASES[m.group(0)]
    return found


def _gap_breaks_law(gap: str) -> bool:
    # 「番号法第7条及び住民基本台帳法第5条」: a law name in between resets the law; a
    # sentence end means the next bare article is not tied to the earlier law.
    return "。" in gap


def text_key(text: str) -> LegalKey:
    """A key for a citation we cannot parse: the whole normalized text."""
    norm = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    digest = hashlib.sha1(norm.encode("utf-8")).hexdigest()[:10]
    return LegalKey(law=f"text-{digest}", law_name=norm[:60])


def keys_for(text: str | None) -> list[LegalKey]:
    """Article keys, or one whole-text key when nothing parses (never silently nothing)."""
    if not text or not text.strip():
        return []
    return extract_keys(text) or [text_key(text)]
