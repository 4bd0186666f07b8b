"""Japanese era (和暦) and western dates, as printed in assessments.

The sources write 「令和8年2月5日」, 「平成２７年７月２５日」, 「令和1年5月24日」
(for 令和元年), 「平成27年7月」 (month precision) and 「2023/2/6」.  We parse
them into a :class:`PartialDate` that keeps its precision, so a month-only
date is never shown as the first of the month.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

# Start dates of the modern eras (the day each 元年 began).
ERAS: tuple[tuple[str, dt.date], ...] = (
    ("令和", dt.date(2019, 5, 1)),
    ("平成", dt.date(1989, 1, 8)),
    ("昭和", dt.date(1926, 12, 25)),
    ("大正", dt.date(1912, 7, 30)),
    ("明治", dt.date(1868, 1, 25)),
)
_ERA_START = dict(ERAS)

_KANJI_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def kanji_to_int(text: str) -> int | None:
    """Convert a kanji numeral up to the thousands (「二百二十五」 → 225, 「十九」 → 19)."""
    if not text:
        return None
    if all(ch in _KANJI_DIGITS for ch in text):  # positional: 「一九」
        return int("".join(str(_KANJI_DIGITS[ch]) for ch in text))
    total, current = 0, 0
    for ch in text:
        if ch in _KANJI_DIGITS:
            current = _KANJI_DIGITS[ch]
        elif ch in "十百千":
            unit = {"十": 10, "百": 100, "千": 1000}[ch]
            total += (current or 1) * unit
            current = 0
        else:
            return None
    return total + current


def _num(text: str) -> int | None:
    text = unicodedata.normalize("NFKC", text)
    if text == "元":
        return 1
    if text.isdigit():
        return int(text)
    return kanji_to_int(text)


_WAREKI_RE = re.compile(
    r"(?P<era>令和|平成|昭和|大正|明治)\s*(?P<y>元|[0-9０-９]+|[一二三四五六七八九十]+)\s*年"
    r"(?:\s*(?P<m>[0-9０-９]+|[一二三四五六七八九十]+)\s*月(?:\s*(?P<d>[0-9０-９]+|[一二三四五六七八九十]+)\s*日)?)?"
)
_WESTERN_RE = re.compile(r"(?<![0-9])(?P<y>(?:19|20)[0-9]{2})\s*[/年.-]\s*(?P<m>[0-9]{1,2})(?:\s*[/月.-]\s*(?P<d>[0-9]{1,2})\s*日?)?")


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date known to year, month or day precision."""

    year: int
    month: int | None = None
    day: int | None = None
    era: str | None = None  # the era the source used, if any

    @property
    def iso(self) -> str:
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    @property
    def wareki(self) -> str:
        """The date in 和暦, with 元年 for the first year of an era."""
        ref = dt.date(self.year, self.month or 12, self.day or 1)
        for era, start in ERAS:
            if ref >= start:
                y = self.year - start.year + 1
                out = f"{era}{'元' if y == 1 else y}年"
                if self.month:
                    out += f"{self.month}月"
                    if self.day:
                        out += f"{self.day}日"
                return out
        return self.iso


def parse_date(text: str | None) -> PartialDate | None:
    """Parse the first date in ``text``; None when there is none or it is impossible."""
    if not text:
        return None
    m = _WAREKI_RE.search(text)
    if m:
        era = m.group("era")
        year_in_era = _num(m.group("y"))
        month = _num(m.group("m")) if m.group("m") else None
        day = _num(m.group("d")) if m.group("d") else None
        if year_in_era is None:
            return None
        year = _ERA_START[era].year + year_in_era - 1
        return _checked(year, month, day, era)
    m = _WESTERN_RE.search(unicodedata.normalize("NFKC", text))
    if m:
        return _checked(int(m.group("y")), int(m.group("m")), int(m.group("d")) if m.group("d") else None, None)
    return None


def _checked(year: int, month: int | None, day: int | None, era: str | None) -> PartialDate | None:
    try:
        dt.date(year, month or 1, day or 1)
    except ValueError:
        return None
    return PartialDate(year, month, day, era)
