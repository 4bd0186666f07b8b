"""Parse legal citations (法令上の根拠) into structured references.

The sources write one reference many ways: 「番号法第19条第8号」, 「番号法第19条8号」,
「第１９条第８号」, 「第十九条第八号」; tables as 「別表第二の31の項」, 「別表第2の3の項」,
「主務省令第2条の表 1,2,3,…及び158の項」, 「【1、2、3…の項】」; with numbers split by line
wraps (「85の 2」, 「第1 6条」, 「108.1 11.112」).  We normalize a *copy* of the text
(NFKC, kanji numerals to digits inside citations, wrap repairs), scan it for law
names and article/table/row references, and bind each reference to the law
named before it in the same clause.  The original text is never changed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property

from .dates import kanji_to_int
from .law_registry import Law, Registry, default_registry

_KANJI = "〇一二三四五六七八九十百千"
_K = f"[{_KANJI}]+"


@dataclass(frozen=True, order=True)
class Reference:
    """One legal reference, as precise as the text allows."""

    law: str  # registry id, or "unknown-<slug>" for a law not in the registry
    article: str = ""  # 「30-6」 for 第30条の6; empty for a whole law or table
    paragraph: str = ""
    item: str = ""  # 「9-2」 for 第9号の2
    table: str = ""  # 「別表」, 「別表第一」, 「別表第二」, 「表」 (for 第2条の表)
    row: str = ""  # 項番 as a string: 「85の2」
    suppl: bool = False  # 附則

    @cached_property
    def key(self) -> str:
        """A slug that names the page of this reference (computed once per reference: the
        site index asks it hundreds of thousands of times at 200 assessments)."""
        parts = [self.law]
        if self.suppl:
            parts.append("suppl")
        if self.article:
            parts.append("art-" + self.article)
        if self.paragraph:
            parts.append("p" + self.paragraph)
        if self.item:
            parts.append("i" + self.item)
        if self.table:
            parts.append("table" + (("-" + _table_no(self.table)) if _table_no(self.table) else ""))
        if self.row:
            parts.append("row-" + _slug(self.row))
        return "-".join(parts)

    def label(self, registry: Registry | None = None) -> str:
        registry = registry or default_registry()
        law = registry.get(self.law)
        out = law.short_name if law else self.law.removeprefix("unknown-")
        if self.suppl:
            out += "附則"
        if self.article:
            art, *branches = self.article.split("-")
            out += f"第{art}条" + "".join(f"の{b}" for b in branches)
        if self.paragraph:
            out += f"第{self.paragraph}項"
        if self.item:
            num, *branches = self.item.split("-")
            out += f"第{num}号" + "".join(f"の{b}" for b in branches)
        if self.table:
            out += ("の" if self.table == "表" else "") + self.table
        if self.row:
            out += f" {self.row}の項"
        return out

    def parent(self) -> "Reference | None":
        """The next coarser reference (row → table, item → paragraph → article → law)."""
        if self.row:
            return Reference(self.law, self.article, self.paragraph, self.item, self.table, "", self.suppl)
        if self.table and self.article:
            return Reference(self.law, self.article, self.paragraph, self.item, "", "", self.suppl)
        if self.table:
            return Reference(self.law)
        if self.item:
            return Reference(self.law, self.article, self.paragraph, "", "", "", self.suppl)
        if self.paragraph:
            return Reference(self.law, self.article, "", "", "", "", self.suppl)
        if self.article:
            return Reference(self.law)
        return None


def _table_no(table: str) -> str:
    m = re.search(r"第(\S+)", table)
    if not m:
        return ""
    n = m.group(1)
    return n if n.isdigit() else str(kanji_to_int(n) or n)


def _slug(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", "-", unicodedata.normalize("NFKC", text).replace("の", "-")).strip("-")


@dataclass
class Parsed:
    text: str  # the original text
    normalized: str
    references: list[Reference] = field(default_factory=list)
    unknown_laws: list[str] = field(default_factory=list)  # law names not in the registry
    repairs: list[str] = field(default_factory=list)  # split numbers joined, e.g. 「85の 2」→「85の2」


# --- normalization ---------------------------------------------------------------

_WS = r"[ \t\u3000]*"


def _kanji_numbers(text: str) -> str:
    def conv(m: re.Match) -> str:
        n = kanji_to_int(m.group(2))
        return m.group(1) + (str(n) if n is not None else m.group(2))

    # 第十九条 / 第二百二十五条 / 第八号 / 別表第二 stay 別表第二 (the table name keeps its kanji)
    text = re.sub(rf"((?<!別表)第)({_K})(?=[条項号])", conv, text)
    text = re.sub(rf"(条の|号の|項の)({_K})", conv, text)
    text = re.sub(rf"((?:昭和|平成|令和|大正|明治))({_K}|元)(?=年)", lambda m: m.group(1) + ("1" if m.group(2) == "元" else str(kanji_to_int(m.group(2)))), text)
    text = re.sub(rf"((?:法律|政令|省令|条例|規則)第)({_K})(?=号)", conv, text)
    return text


_REPAIRS = [
    # 「第1 6条」 → 第16条, 「第 1条」 → 第1条, 「第22 条の3」, 「第24条 の2」, 「85の 2」
    (re.compile(rf"第{_WS}(\d+){_WS}(\d+){_WS}(?=[条項号])"), lambda m: f"第{m.group(1)}{m.group(2)}"),
    (re.compile(r"第[ \t\u3000]+(?=\d)"), lambda m: "第"),
    (re.compile(r"(\d)[ \t\u3000]+(?=[条項号])"), lambda m: m.group(1)),
    (re.compile(r"([条号])[ \t\u3000]+(?=の\d)"), lambda m: m.group(1)),
    (re.compile(r"の[ \t\u3000]+(?=\d)"), lambda m: "の"),
]
# inside a number list: 「108.1 11.112」 → 111, 「39. 40」 stays two numbers
_LIST_SPLIT = re.compile(r"(?<=[,.、,])(\d{1,2})[ \t\u3000]+(\d{1,2})(?=[,.、,]|及び|の項)")


def normalize(text: str) -> tuple[str, list[str]]:
    repairs: list[str] = []
    norm = unicodedata.normalize("NFKC", text)
    norm = _kanji_numbers(norm)
    for pattern, repl in _REPAIRS:
        def sub(m: re.Match, repl=repl) -> str:
            out = repl(m)
            if out != m.group(0):
                repairs.append(f"{m.group(0)!r}→{out!r}")
            return out

        norm = pattern.sub(sub, norm)

    def join(m: re.Match) -> str:
        repairs.append(f"{m.group(0)!r}→{m.group(1) + m.group(2)!r}")
        return m.group(1) + m.group(2)

    norm = _LIST_SPLIT.sub(join, norm)
    norm = re.sub(r"\.\s*\.", ".", norm)  # 「84. .85の2」
    # PDF line wraps leave spaces inside words (「…を定 める命令」): drop spaces between
    # two Japanese characters, so law names match; spaces next to digits are kept
    norm = re.sub(r"(?<=[\u3040-\u30ff\u4e00-\u9fff、。()])[ \t\u3000]+(?=[\u3040-\u30ff\u4e00-\u9fff()])", "", norm)
    return norm, repairs


# --- scanning ------------------------------------------------------------------------

_ARTICLE = re.compile(
    r"(?P<suppl>附則)?第(?P<art>\d+)条(?P<branch>(?:の\d+)*)"
    r"(?:第(?P<para>\d+)項)?(?:第?(?P<item>\d+)号(?P<ibranch>(?:の\d+)*))?"
)
# 「(番号法)第19条8号」: an item without 第 right after an article
# 「別表第二」, 「別表第2」, and 「別表2」 (no 第) in one ordinance citation
_TABLE = re.compile(r"別表(?P<no>第?[一二三四五六七八九十]+|第?\d+(?!\s*条))?|(?<=条)の表")
_ROW_LIST = re.compile(
    r"^(?:の|[ \t]|)\s*(?:【|\(|（)?\s*(?P<list>\d+(?:の\d+)?(?:\s*[,、.・]\s*\d+(?:の\d+)?)*(?:\s*及び\s*\d+(?:の\d+)?)?)\s*の?項"
)
_ROW_ITEM = re.compile(r"\d+(?:の\d+)?")
_ROW_BRACKETS = re.compile(r"【(?P<list>[^】]*?)の?項】")
_ARTICLE_LIST = re.compile(r"【(?P<list>\d+(?:の\d+)*(?:\s*[,、]\s*\d+(?:の\d+)*)*)\s*条】")


def _rows(window: str) -> list[str]:
    """The 項番 listed right after a table: 「の31の項」, 「 1,2,…及び158の項」, 「【1、2…の項】」, 「(項番)77」."""
    rows: list[str] = []
    m = _ROW_LIST.match(window)
    if m:
        rows += _ROW_ITEM.findall(m.group("list"))
    for m in _ROW_BRACKETS.finditer(window):
        rows += _ROW_ITEM.findall(m.group("list"))
    if not rows:
        m = re.match(r"^\s*\(?項番\)?\s*(\d+(?:の\d+)?)", window)
        if m:
            rows.append(m.group(1))
    return rows
_NUMBERED_LAW = re.compile(r"(?P<era>昭和|平成|令和|大正|明治)(?P<y>\d+)年(?P<kind>法律|政令)第(?P<n>\d+)号")
_SAME_LAW = re.compile(r"同法|同令|同省令")
_CLAUSE_BREAK = re.compile(r"[。○●]|\n|\(情報照会\)|\(情報提供\)")


@dataclass
class _Event:
    start: int
    end: int
    kind: str  # law, article, table, break
    law: Law | None = None
    match: re.Match | None = None
    name: str = ""


_DOCUMENT_ABBREVIATIONS: dict[tuple, tuple[tuple[str, Law], ...]] = {}


def _document_abbreviations(registry: Registry, extra: tuple[tuple[str, str], ...]) -> tuple[tuple[str, Law], ...]:
    """The document's own short names with their laws: the same for every text of a
    document (matched once, not once per citation text)."""
    key = (registry.fingerprint, extra)
    hit = _DOCUMENT_ABBREVIATIONS.get(key)
    if hit is None:
        out = []
        for short, full in extra:
            law = registry.match_name(unicodedata.normalize("NFKC", full))
            if law:
                out.append((unicodedata.normalize("NFKC", short), law))
        if len(_DOCUMENT_ABBREVIATIONS) > 256:
            _DOCUMENT_ABBREVIATIONS.clear()
        hit = _DOCUMENT_ABBREVIATIONS[key] = tuple(out)
    return hit


def _abbreviations(norm: str, registry: Registry, extra: dict[str, str]) -> dict[str, Law]:
    """Short names the text (or the document) defines: 「X(以下「Y」という。)」."""
    out: dict[str, Law] = dict(_document_abbreviations(registry, tuple(extra.items())))
    for m in re.finditer(r"([^\s、。「」()]{2,80}?)\s*\(\s*以下\s*「([^」]+)」\s*という。?\s*\)", norm):
        law = registry.match_name(m.group(1))
        if law:
            out[m.group(2)] = law
    return out


#: Parsed citations by (registry, text, abbreviations): a build parses thousands of
#: texts, and most are unchanged from the last build (the site loader persists this).
PARSE_CACHE: dict[tuple, Parsed] = {}
PARSE_USED: set[tuple] = set()


def parse(text: str | None, registry: Registry | None = None, abbreviations: dict[str, str] | None = None) -> Parsed:
    """Parse one citation text. ``abbreviations`` maps the document's own short names
    (from ``assessment.yaml``) to their full titles."""
    registry = registry or default_registry()
    if not text:
        return Parsed(text or "", "")
    key = (registry.fingerprint, text, tuple(sorted((abbreviations or {}).items())))
    PARSE_USED.add(key)
    hit = PARSE_CACHE.get(key)
    if hit is None:
        hit = PARSE_CACHE[key] = _parse(text, registry, abbreviations)
    return Parsed(hit.text, hit.normalized, list(hit.references), list(hit.unknown_laws), list(hit.repairs))


def _parse(text: str, registry: Registry, abbreviations: dict[str, str] | None) -> Parsed:
    norm, repairs = normalize(text)
    result = Parsed(text, norm, repairs=repairs)
    local = _abbreviations(norm, registry, abbreviations or {})
    events: list[_Event] = []
    names = registry.find_names(norm, local)
    for start, end, law, name in names:
        events.append(_Event(start, end, "law", law=law, name=name))
    for m in _NUMBERED_LAW.finditer(norm):
        law = registry.by_number(f"{m.group('era')}{m.group('y')}年{m.group('kind')}第{m.group('n')}号")
        if law and not any(e.start <= m.start() < e.end for e in events):
            events.append(_Event(m.start(), m.end(), "law", law=law, name=m.group(0)))
    for m in _SAME_LAW.finditer(norm):
        events.append(_Event(m.start(), m.end(), "same"))
    law_spans = [(e.start, e.end) for e in events if e.kind == "law"]

    def inside_law(pos: int) -> bool:
        # 「…法律第27号」 is part of a law number, 「別表第二の主務省令で定める…命令」 part of a title
        return any(s <= pos < e for s, e in law_spans)

    for m in _ARTICLE.finditer(norm):
        if not inside_law(m.start()):
            events.append(_Event(m.start(), m.end(), "article", match=m))
    for m in _ARTICLE_LIST.finditer(norm):
        if not inside_law(m.start()):
            events.append(_Event(m.start(), m.end(), "articles", match=m))
    for m in _TABLE.finditer(norm):
        if not inside_law(m.start()):
            events.append(_Event(m.start(), m.end(), "table", match=m))
    for m in _CLAUSE_BREAK.finditer(norm):
        events.append(_Event(m.start(), m.end(), "break"))
    events.sort(key=lambda e: (e.start, e.kind != "law"))

    current: Law | None = None
    previous: Law | None = None
    last_article: Reference | None = None
    refs: list[Reference] = []
    for ev in events:
        if ev.kind == "break":
            last_article = None
            continue
        if ev.kind == "law":
            previous, current = current, ev.law
            last_article = None
            # 「…に関する法律(番号法)第9条」: a short name in parentheses still belongs to the mention
            after = ev.end + len(re.match(r"\s*(?:\([^()]{1,12}\))?\s*", norm[ev.end :]).group(0))
            if not any(e.kind in ("article", "table") and ev.end <= e.start <= after + 2 for e in events):
                refs.append(Reference(ev.law.id))  # a bare law name is a reference to the whole law
            continue
        if ev.kind == "same":
            current = current or previous
            continue
        if current is None:
            continue
        if ev.kind == "articles":  # 「情報提供にかかる条【1、2、3、…59条】」
            for art in _ROW_ITEM.findall(ev.match.group("list")):
                refs.append(Reference(current.id, art.replace("の", "-")))
            continue
        if ev.kind == "article":
            m = ev.match
            branch = "-".join(re.findall(r"\d+", m.group("branch") or ""))
            item = m.group("item") or ""
            if item and m.group("ibranch"):
                item += "-" + "-".join(re.findall(r"\d+", m.group("ibranch")))
            ref = Reference(current.id, m.group("art") + ("-" + branch if branch else ""), m.group("para") or "", item, "", "", bool(m.group("suppl")))
            refs.append(ref)
            last_article = ref
            continue
        # table
        m = ev.match
        if m.group(0) == "の表":
            table = "表"
            base = last_article or Reference(current.id)
            if base in refs:
                refs.remove(base)
            table_ref = Reference(base.law, base.article, base.paragraph, base.item, "表")
        else:
            table = "別表" + (m.group("no") or "")
            if m.group("no") and not m.group("no").startswith("第"):
                table = "別表第" + m.group("no")
            table_ref = Reference(current.id, table=_canonical_table(table))
        refs.append(table_ref)
        following = [e.start for e in events if e.start >= ev.end and e.kind in ("law", "table", "break", "article")]
        window = norm[ev.end : min(following) if following else len(norm)]
        for row in _rows(window):
            refs.append(Reference(table_ref.law, table_ref.article, table_ref.paragraph, table_ref.item, table_ref.table, row))
        del table
    seen: set[Reference] = set()
    for ref in refs:
        if ref not in seen:
            seen.add(ref)
            result.references.append(ref)
    result.unknown_laws = _unknown_laws(norm, names)
    return result


def _canonical_table(table: str) -> str:
    m = re.match(r"別表第?(.+)", table)
    if not m:
        return "別表"
    n = m.group(1)
    num = int(n) if n.isdigit() else kanji_to_int(n)
    return "別表第" + "〇一二三四五六七八九十"[num] if num is not None and num <= 10 else table


_LAW_NAME = re.compile(r"([一-龥ぁ-んァ-ヶー・、]{2,60}?(?:法律|法|政令|省令|命令|規則|条例))(?=第\d+条|\((?:昭和|平成|令和|大正|明治)\d+年)")


def _unknown_laws(norm: str, names: list[tuple[int, int, Law, str]]) -> list[str]:
    """Law-like names followed by an article or a law number that the registry does not
    know (*names*: the known ones, ``registry.find_names``)."""
    known_ends = {e for _, e, _, _ in names}
    out = []
    for m in _LAW_NAME.finditer(norm):
        if m.end(1) in known_ends:
            continue
        name = re.sub(r"^.*(?:及び|並びに|又は|若しくは|基づく|による|[、。はがを])", "", m.group(1))
        if len(name) < 3 or name in ("同法", "同令"):
            continue
        if name not in out:
            out.append(name)
    return out
