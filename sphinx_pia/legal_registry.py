"""Known laws: e-Gov law IDs and deep links.

A small table for now; law pages for laws not listed here still exist (built
from the citation text) and say that no e-Gov ID is registered.
"""

from __future__ import annotations

from .legal import LegalKey

#: slug → (canonical name, law number, e-Gov law ID)
LAWS: dict[str, tuple[str, str, str]] = {
    "bangoho": ("行政手続における特定の個人を識別するための番号の利用等に関する法律", "平成25年法律第27号", "425AC0000000027"),
    "jukiho": ("住民基本台帳法", "昭和42年法律第81号", "342AC0000000081"),
    "jukiho-rei": ("住民基本台帳法施行令", "昭和42年政令第292号", "342CO0000000292"),
    "chihozeiho": ("地方税法", "昭和25年法律第226号", "325AC0000000226"),
    "jlis-ho": ("地方公共団体情報システム機構法", "平成25年法律第29号", "425AC0000000029"),
}

EGOV_BASE = "https://laws.e-gov.go.jp/law/"


def egov_url(key: LegalKey) -> str | None:
    """The e-Gov page of the law, anchored at the article when there is one."""
    entry = LAWS.get(key.law)
    if entry is None:
        return None
    url = EGOV_BASE + entry[2]
    if key.article:
        url += "#Mp-At_" + key.article.replace("-", "_")
    return url
