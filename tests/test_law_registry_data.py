"""The shipped law registry (sphinx_pia/data/laws.yaml): shape, e-Gov IDs, aliases, and
coverage of every law the five source assessments (sources/*.txt) cite.

The coverage check does not trust the registry: it re-scans the NFKC-normalised sources
with its own regexes for law-like names (…法, …法律, …政令, …省令, …府令, …命令, …規則,
…条例, …施行令), for law numbers (「平成十九年法律第三十号」) and for defined
abbreviations (「(以下「番号法」という。)」), and fails on anything the registry does
not name.  Regex false positives are listed, with a reason each, in EXCLUDED below.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "sphinx_pia" / "data" / "laws.yaml"
SOURCES = sorted((ROOT / "sources").glob("*.txt"))

KINDS = {"act", "cabinet-order", "ministerial-ordinance", "rule", "ordinance", "ordinance-rule", "notice"}
ID_SOURCES = {"seen", "derived", "none"}
ERAS = {"明治": 1, "大正": 2, "昭和": 3, "平成": 4, "令和": 5}
# era digit + 2-digit year + AC (act) / CO (cabinet order) / M<digit> (ordinances, rules)
# + 7 characters (ministry code in hex for ordinances; 1000000/0100000 for members' bills)
# + 3-digit serial
EGOV_ID = re.compile(r"^[1-5]\d{2}(?:AC|CO|M\d)[0-9A-F]{7}\d{3}$")
NUMBER = re.compile(r"^(明治|大正|昭和|平成|令和)(元|\d+)年(.+?)第(\d+)号$")
_K = "〇一二三四五六七八九十百千"
NUMBER_ANY = re.compile(rf"^(明治|大正|昭和|平成|令和)(元|[\d{_K}]+)年(.+?)第([\d{_K}]+)号$")  # kanji numerals too
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
EVIDENCE = re.compile(r"^(\d{3}) L(\d+)$")


@lru_cache(maxsize=1)
def laws() -> list[dict]:
    return yaml.safe_load(DATA.read_text(encoding="utf-8"))


def norm(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def names_of(law: dict) -> list[str]:
    return [law["name"], *(a["name"] for a in law.get("aliases") or [])]


# --- kanji numerals ------------------------------------------------------------------

_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")}


def kanji_to_int(text: str) -> int:
    if text.isdigit():
        return int(text)
    if text == "元":
        return 1
    total = current = 0
    for ch in text:
        if ch in _DIGITS:
            current = _DIGITS[ch]
        elif ch in "十百千":
            total += (current or 1) * {"十": 10, "百": 100, "千": 1000}[ch]
            current = 0
    return total + current


def test_kanji_to_int():
    assert [kanji_to_int(k) for k in ["三十", "百九十二", "二百二十三", "四百十一", "十九", "六十八", "元", "27"]] == [
        30, 192, 223, 411, 19, 68, 1, 27,
    ]


def canonical_number(number: str) -> str:
    """「平成十九年法律第三十号」/「平成19年法律第30号」 → 「平成19年法律第30号」."""
    m = NUMBER_ANY.match(norm(number))
    assert m, number
    era, year, kind, serial = m.groups()
    return f"{era}{kanji_to_int(year)}年{kind}第{kanji_to_int(serial)}号"


def derive_egov_id(number: str, kind: str) -> str:
    m = NUMBER.match(canonical_number(number))
    era, year, _law_type, serial = m.groups()
    middle = {"act": "AC0000000", "cabinet-order": "CO0000000"}[kind]
    return f"{ERAS[era]}{int(year):02d}{middle}{int(serial):03d}"


# --- shape ---------------------------------------------------------------------------


def test_registry_loads_with_the_package_loader():
    from sphinx_pia.law_registry import Registry

    reg = Registry.load(DATA)
    assert len(reg.laws) == len(laws())
    assert reg.match_name("番号法").id == "bangoho"
    assert reg.by_number("平成25年法律第27号").id == "bangoho"
    # the display short name is the usual abbreviation, not a misprint or an old title
    assert reg.get("bangoho").short_name == "番号法"
    assert reg.get("jukiho").short_name == "住基法"
    assert reg.get("shumu-shorei").short_name == "主務省令"
    assert reg.get("kojin-bango-card-shorei").short_name == "個人番号カード省令"


def test_ids_unique_and_slug_shaped():
    ids = [law["id"] for law in laws()]
    dupes = [i for i, n in Counter(ids).items() if n > 1]
    assert not dupes, dupes
    bad = [i for i in ids if not SLUG.match(i)]
    assert not bad, bad


def test_fields_and_kinds():
    allowed = {"id", "name", "reading", "number", "number_variants", "kind", "egov_id", "egov_id_source", "jurisdiction", "aliases", "evidence", "note"}
    problems = []
    for law in laws():
        lid = law["id"]
        if set(law) - allowed:
            problems.append(f"{lid}: unknown keys {set(law) - allowed}")
        if not {"id", "name", "reading", "number", "kind", "egov_id", "egov_id_source", "jurisdiction", "aliases", "evidence"} <= set(law):
            problems.append(f"{lid}: missing keys")
            continue
        if law["kind"] not in KINDS:
            problems.append(f"{lid}: kind {law['kind']!r}")
        if law["egov_id_source"] not in ID_SOURCES:
            problems.append(f"{lid}: egov_id_source {law['egov_id_source']!r}")
        if (law["egov_id"] is None) != (law["egov_id_source"] == "none"):
            problems.append(f"{lid}: egov_id and egov_id_source disagree")
        local = law["kind"] in ("ordinance", "ordinance-rule")
        if local and (law["egov_id"] or not law["jurisdiction"]):
            problems.append(f"{lid}: a local ordinance needs a jurisdiction and no e-Gov ID")
        if not local and law["jurisdiction"]:
            problems.append(f"{lid}: jurisdiction on a national instrument")
        if law["number"] is not None and not NUMBER.match(law["number"]):
            problems.append(f"{lid}: number {law['number']!r}")
        if law["number"] is None and not law.get("note"):
            problems.append(f"{lid}: no number and no note saying why")
        for a in law["aliases"]:
            if set(a) - {"name", "note", "since", "until"} or not a.get("name"):
                problems.append(f"{lid}: alias {a!r}")  # e.g. an unquoted comma in a flow mapping
        for ev in law["evidence"]:
            m = EVIDENCE.match(ev)
            files = [p for p in SOURCES if m and p.name.startswith(m.group(1) + "_")]
            if not m or not files or int(m.group(2)) > len(files[0].read_text(encoding="utf-8").split("\n")):
                problems.append(f"{lid}: evidence {ev!r}")
    assert not problems, "\n".join(problems)


# --- readings: the law index is in 五十音 order ------------------------------------------

KANA_READING = re.compile(r"^[ぁ-ゖー]+$")


def test_every_law_has_a_hiragana_reading():
    bad = [f"{law['id']}: {law.get('reading')!r}" for law in laws() if not (isinstance(law.get("reading"), str) and KANA_READING.match(law["reading"]))]
    assert not bad, "\n".join(bad)


def test_readings_agree_with_the_kana_of_the_title():
    """Kana already in a title read as themselves: the reading keeps them in order
    (hiragana as is, katakana as hiragana, 「・」「、」 dropped).  Catches a reading
    copied onto the wrong entry or a title changed without its reading."""
    problems = []
    for law in laws():
        kana = "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in law["name"] if "ぁ" <= c <= "ヶ" or c == "ー")
        rest = iter(law["reading"])
        if not all(c in rest for c in kana):  # kana is a subsequence of the reading
            problems.append(f"{law['id']}: {law['reading']} lacks the kana {kana} of its title")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    "law_id, reading",
    [
        ("bangoho", "ぎょうせいてつづきにおけるとくていのこじんをしきべつするためのばんごうのりようとうにかんするほうりつ"),
        ("bangoho-rei", "ぎょうせいてつづきにおけるとくていのこじんをしきべつするためのばんごうのりようとうにかんするほうりつしこうれい"),
        ("jukiho", "じゅうみんきほんだいちょうほう"),
        ("chihozeiho", "ちほうぜいほう"),
        ("chiteki-shogaisha-fukushiho", "ちてきしょうがいしゃふくしほう"),  # 者 しゃ, not もの
        ("jasso-ho", "どくりつぎょうせいほうじんにほんがくせいしえんきこうほう"),
        ("kodomo-kosodate-shienho", "こどもこそだてしえんほう"),  # 「・」 dropped
        ("gunma-juki-jorei-kisoku", "ぐんまけんじゅうみんきほんだいちょうほうしこうじょうれいしこうきそく"),
        ("fujimino-kojin-joho-hogo-jorei", "ふじみのしこじんじょうほうほごじょうれい"),
    ],
)
def test_standard_readings(law_id, reading):
    assert next(law["reading"] for law in laws() if law["id"] == law_id) == reading


def test_the_registry_sorts_in_gojuon_order():
    """By code point 番号法's title (行 U+884C) would follow 住民基本台帳法 (住 U+4F4F) and
    地方税法 (地 U+5730); by reading it is ぎ < じ < ち, and 介護保険法 (か, 介 U+4ECB)
    comes first."""
    from sphinx_pia.law_registry import Registry

    reg = Registry.load(DATA)
    order = ["kaigo-hokenho", "bangoho", "bangoho-rei", "jukiho", "chihozeiho", "rojin-fukushiho"]
    assert [law.id for law in sorted((reg.get(i) for i in order), key=lambda law: law.sort_key)] == order
    assert sorted(order, key=lambda i: reg.get(i).name) != order  # code point order differs
    every = sorted(reg.laws.values(), key=lambda law: law.sort_key)
    assert every[0].sort_key < every[-1].sort_key and all(law.reading for law in every)
    # かいご < かんせん < がっこう < ぎょうせい (番号法: 57th by code point, 4th by reading)
    assert [law.id for law in every[:4]] == ["kaigo-hokenho", "kansenshoho", "gakko-hoken-anzenho", "bangoho"]
    assert every[-1].id == "rojin-fukushiho"  # ろうじん


def test_sort_key_falls_back_to_the_title():
    from sphinx_pia.law_registry import Law

    assert Law(id="x", name="テスト法").sort_key == "テスト法"
    assert Law(id="x", name="テスト法", reading="てすとほう").sort_key == "てすとほう"


@pytest.mark.parametrize("reading", ["ジュウミン", "住民", "じゅうみん きほん", "じゅうみん・きほん", "", 42, "ゝ"])
def test_a_bad_reading_is_a_content_error(tmp_path, reading):
    from sphinx_pia.law_registry import Registry
    from sphinx_pia.problems import ContentError

    path = tmp_path / "laws.yaml"
    path.write_text(yaml.safe_dump([{"id": "ok", "name": "良い法", "reading": "よいほう"}, {"id": "x", "name": "テスト法", "reading": reading}], allow_unicode=True), encoding="utf-8")
    with pytest.raises(ContentError) as err:
        Registry.load(tmp_path / "none.yaml", extra=[path])
    [problem] = err.value.problems
    assert problem.field == "1.reading" and problem.line == 6 and "ひらがな" in problem.message
    assert f"{path}:6" in str(err.value)


def test_a_good_reading_loads(tmp_path):
    from sphinx_pia.law_registry import Registry

    path = tmp_path / "laws.yaml"
    path.write_text("- id: x\n  name: テスト法\n  reading: てすとほー\n- id: y\n  name: 無読法\n", encoding="utf-8")
    reg = Registry.load(tmp_path / "none.yaml", extra=[path])
    assert reg.get("x").reading == "てすとほー" and reg.get("y").reading is None


def test_egov_ids():
    problems = []
    seen_ids = Counter(law["egov_id"] for law in laws() if law["egov_id"])
    for law in laws():
        lid, eid = law["id"], law["egov_id"]
        if seen_ids.get(eid, 0) > 1:
            problems.append(f"{lid}: e-Gov ID {eid} used twice")
        if eid is None:
            continue
        if not EGOV_ID.match(eid):
            problems.append(f"{lid}: {eid} is not an e-Gov law ID")
            continue
        if law["number"]:
            m = NUMBER.match(canonical_number(law["number"]))
            if eid[:3] != f"{ERAS[m.group(1)]}{int(m.group(2)):02d}":
                problems.append(f"{lid}: {eid} does not start with the era and year of {law['number']}")
        type_code = {"act": "AC", "cabinet-order": "CO"}.get(law["kind"], "M")
        if eid[3 : 3 + len(type_code)] != type_code:
            problems.append(f"{lid}: {eid} does not fit kind {law['kind']}")
        if law["egov_id_source"] == "derived":
            if law["kind"] not in ("act", "cabinet-order"):
                problems.append(f"{lid}: only acts and cabinet orders can have a derived ID")
            elif eid != derive_egov_id(law["number"], law["kind"]):
                problems.append(f"{lid}: {eid} != {derive_egov_id(law['number'], law['kind'])} derived from {law['number']}")
    assert not problems, "\n".join(problems)


def test_derive_egov_id():
    assert derive_egov_id("平成25年法律第27号", "act") == "425AC0000000027"
    assert derive_egov_id("平成26年政令第155号", "cabinet-order") == "426CO0000000155"
    assert derive_egov_id("大正十一年法律第七十号", "act") == "211AC0000000070"
    assert derive_egov_id("令和元年法律第16号", "act") == "501AC0000000016"


# --- every law links to e-Gov (issue #4) -------------------------------------------------

EGOV = "https://laws.e-gov.go.jp/"


def test_kinds_are_classified_local_or_national():
    """The page decides between a link and an explanation by kind: an unclassified kind
    would get neither."""
    from sphinx_pia.law_registry import LOCAL_KINDS, NATIONAL_KINDS

    assert LOCAL_KINDS | NATIONAL_KINDS == KINDS
    assert not LOCAL_KINDS & NATIONAL_KINDS


def test_every_national_law_has_an_egov_id_or_an_egov_search_link():
    """Every non-local entry links to e-Gov: to the law when its ID is known, else to
    e-Gov 法令検索 to search it; a local ordinance links to neither."""
    from sphinx_pia.law_registry import EGOV_LAW_URL, Registry

    reg = Registry.load(DATA)
    problems, searched = [], []
    for law in reg.laws.values():
        direct, search = law.egov_url, law.egov_search_url
        if law.is_local:
            if direct or search:
                problems.append(f"{law.id}: a local ordinance must not link to e-Gov ({direct or search})")
        elif direct:
            if not direct.startswith(EGOV_LAW_URL) or search:
                problems.append(f"{law.id}: direct link {direct!r}, search link {search!r}")
        elif not (search or "").startswith(EGOV):
            problems.append(f"{law.id}: national instrument with neither an e-Gov ID nor an e-Gov search link")
        else:
            searched.append(law.id)
    assert not problems, "\n".join(problems)
    assert "shumu-shorei" in searched  # the ID of the 2024 主務省令 is not confirmed


@pytest.mark.parametrize(
    "kind, egov_id, expect",
    [
        ("act", "425AC0000000027", None),  # a direct link instead
        ("act", None, EGOV),
        ("notice", None, EGOV),
        ("ordinance", None, None),
        ("ordinance-rule", None, None),
        ("treaty", None, None),  # unclassified: caught by the two tests above
    ],
)
def test_egov_search_url(kind, egov_id, expect):
    from sphinx_pia.law_registry import Law

    url = Law(id="x", name="テスト法", number="令和6年法律第1号", kind=kind, egov_id=egov_id).egov_search_url
    assert (url if expect is None else (url or "")[: len(EGOV)]) == expect


def test_egov_search_url_quotes_the_title(monkeypatch):
    """Once a query URL is configured, the title goes into it percent-encoded."""
    from sphinx_pia import law_registry
    from sphinx_pia.law_registry import Law

    monkeypatch.setattr(law_registry, "EGOV_SEARCH_URL", EGOV + "result?q={query}")
    url = Law(id="x", name="A&B 法#1", kind="act").egov_search_url
    assert url == EGOV + "result?q=A%26B%20%E6%B3%95%231"


#: Official titles that two different laws really share; the sources cite both by
#: number only, so a name match never has to choose between them.
SHARED_TITLES = {
    "農業者年金基金法の一部を改正する法律": "平成2年法律第21号 and 平成13年法律第39号",
}


def test_aliases_name_one_law():
    owner: dict[str, str] = {}
    problems = []
    for law in laws():
        for n in dict.fromkeys(norm(x) for x in names_of(law)):
            if n in owner and not (n == norm(law["name"]) and n in SHARED_TITLES):
                problems.append(f"{n!r} names both {owner[n]} and {law['id']}")
            owner[n] = law["id"]
    assert not problems, "\n".join(problems)


def test_numbers_unique():
    numbers = Counter(canonical_number(law["number"]) for law in laws() if law["number"])
    # local ordinance numbers are per jurisdiction; national numbers must be unique
    assert not [n for n, c in numbers.items() if c > 1]


# --- coverage: an independent scan of the sources ---------------------------------------

NL = "⏎"  # stands for a line break or a space; a wrapped name (001 wraps cells, 000 puts spaces) spans it
NAME_CHARS = r"[一-龥々〆ヶぁ-んァ-ヴー・、⏎]"
SUFFIX = r"(?:施行令|法律|法|政令|省令|府令|命令|規則|条例)"
# what follows a law name when it is cited as one: an article, a number in brackets,
# 「による」, a conjunction, a cell or line end …
FOLLOW = (
    rf"(?={NL}*(?:第[\d{_K}]|\(|以下|によ|に基づ|の規定|に規定|別表|附則|施行(?!令|条例|規則)|等の|及び|並びに|又は|若しくは"
    r"|、|。|\)|」|で定め|に定め|で認め|上の|に掲げ|に係|において|\t|<|$))"
)
ENDPOINT = re.compile(rf"{SUFFIX}{FOLLOW}")
# a registered name is "found" when what precedes it ends like this (or at a line break)
BOUNDARY = re.compile(
    r"(?:及び|並びに|又は|若しくは|基づく|基づき|による|により|規定する|定める|における|であって|対する|から"
    r"|[・、。はがをにでとへもやの]|用途|根拠)$"
)

#: Regex hits that are not law names, with the reason.  Each entry is a regex matched
#: against the end of the candidate (the run of name characters before the endpoint,
#: line breaks removed).  Every entry must still match something (see
#: test_every_exclusion_is_used), so the list cannot silently outlive its reason.
EXCLUDED: dict[str, str] = {
    r"方法$": "「入手方法」「提供方法」「確認方法」…: 方法 (method) is a form label or common noun",
    r"同法$": "「同法」 refers back to the law just named",
    r"(?:^|・)法$": "a bare 「法」 (「法の規定に基づき」 000 L217, 「・法第30条の22」 004 L712) refers to the law of the context",
    r"その他法$": "「その他法で定める者」 (001 L77): 法 = 住基法 of the context",
    r"事務主務省令$": "「…に関する事務主務省令で定めるもの」 (003 L273): であって left out; 主務省令 is registered",
    r"(?:^|に基づく|基づいて制定した|都道府県の)条例$": "generic 「第9条第2項に基づく条例」 (003), 「…に基づいて制定した条例」 (001 L1503), 「都道府県の条例」 (004), 「これらの法律に基づく条例」: no particular ordinance named",
    r"(?:これらの|地方税法その他の地方税に関する)法律$": "generic 「地方税法その他の地方税に関する法律及びこれらの法律に基づく条例」 (000, 001, 003)",
    r"開示法律$": "「3. 本人確認情報の開示 法律に基づく…」 (004 L52, L760): a heading followed by 「法律に基づく」; no name",
    r"範囲内の政令$": "「…年を超えない範囲内の政令で定める日」 (004 L300, L318): a generic cabinet order, none named",
    r"^(?:内閣府令|総務省令)$|(?:号|年内閣府)、総務省令$": "parts of law numbers as printed in 000: 「(内閣府令第7号、総務省令第75号)」 (L832), 「(平成26年内閣府、総務省令第7号)」 (L846 ff.)",
    r"年(?:内閣府令|総務省令|政令|法律|条例)$": "「平成26年内閣府令第7号」「昭和42年政令第292号」…: a law number, checked by test_every_law_number_is_registered",
    r"日(?:法律|政令|総務省令)$": "「(昭和42年7月25日法律第81号)」: a law number with a date, checked by the number scan",
}
_EXCLUDED = [(re.compile(k), k) for k in EXCLUDED]


def load_source(path: Path) -> tuple[str, list[int]]:
    """NFKC text, lines joined with ⏎ and spaces turned into ⏎ (both are cell
    boundaries or wraps; tabs stay: they always separate cells); plus a line map."""
    text, lines = [], []
    for i, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
        line = re.sub(r" +", NL, unicodedata.normalize("NFKC", line).strip(" ")) + NL
        text.append(line)
        lines.extend([i] * len(line))
    return "".join(text), lines


def candidates(text: str):
    """(start, end, candidate with ⏎) for each law-like endpoint in the text."""
    for m in ENDPOINT.finditer(text):
        end = m.end()
        start = end
        while start > 0 and re.match(NAME_CHARS, text[start - 1]):
            start -= 1
        yield start, end, text[start:end]


def registered_names(registry: list[dict]) -> list[str]:
    return sorted({norm(n) for law in registry for n in names_of(law)}, key=len, reverse=True)


def scan(registry: list[dict]) -> tuple[list[str], Counter]:
    """Law-like names in the sources that the registry does not cover."""
    names = registered_names(registry)
    missing: list[str] = []
    used: Counter = Counter()
    for path in SOURCES:
        text, lines = load_source(path)
        for start, end, cand in candidates(text):
            clean = cand.replace(NL, "")
            where = f"{path.name[:3]} L{lines[end - 1]}"
            hit = next((n for n in names if clean.endswith(n)), None)
            if hit:
                prefix = clean[: -len(hit)]
                # does the name start right after a line break (another cell of the table)?
                at_break = cand[: _start_of_tail(cand, len(hit))].endswith(NL)
                if not prefix or at_break or BOUNDARY.search(prefix):
                    continue
            rule = next((k for rx, k in _EXCLUDED if rx.search(clean)), None)
            if rule:
                used[rule] += 1
                continue
            if hit:
                missing.append(f"{where}: 「{prefix[-8:]}{hit}」 ends in 「{hit}」 but may be a longer, unregistered name")
                continue
            missing.append(f"{where}: 「{clean[-60:]}」 is not in the registry")
    return missing, used


def _start_of_tail(cand: str, n: int) -> int:
    """Index in ``cand`` (which may contain ⏎) where its last ``n`` non-⏎ characters start."""
    i = len(cand)
    while n:
        i -= 1
        if cand[i] != NL:
            n -= 1
    return i


def test_every_law_named_in_the_sources_is_registered():
    assert SOURCES, "no sources/*.txt"
    missing, _ = scan(laws())
    assert not missing, "laws named in the sources but missing from laws.yaml:\n" + "\n".join(dict.fromkeys(missing))


def test_every_exclusion_is_used():
    _, used = scan(laws())
    unused = [k for k in EXCLUDED if not used[k]]
    assert not unused, f"exclusions that no longer match anything: {unused}"


LAW_NUMBER = re.compile(
    rf"(明治|大正|昭和|平成|令和)([\d{_K}]+|元)年(?:[\d{_K}]+月[\d{_K}]+日)?"
    rf"((?:法律|政令|[^\d{_K}年月日第()「」、。\s]{{0,16}}?(?:省令|府令|規則|条例|告示)))第([\d{_K}]+)号"
)


def test_every_law_number_is_registered():
    """「(昭和二十三年法律第六十八号)」, 「平成十九年法律第三十号附則…」, 「(平成26年内閣府令第7号)」 …"""
    known: dict[str, str] = {}
    for law in laws():
        for n in [law["number"], *(law.get("number_variants") or [])]:
            if n:
                known[canonical_number(n)] = law["id"]
        for name in names_of(law):  # abbreviations that are themselves numbers
            if NUMBER_ANY.match(norm(name)):
                known[canonical_number(name)] = law["id"]
    missing = []
    count = 0
    for path in SOURCES:
        text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", path.read_text(encoding="utf-8")))
        for m in LAW_NUMBER.finditer(text):
            count += 1
            era, year, kind, serial = m.groups()
            number = f"{era}{kanji_to_int(year)}年{kind}第{kanji_to_int(serial)}号"
            if number not in known:
                missing.append(f"{path.name[:3]}: {m.group(0)} ({number})")
    assert count > 50
    assert not missing, "law numbers in the sources that no registry entry carries:\n" + "\n".join(dict.fromkeys(missing))


DEFINITION = re.compile(r"\((?:[^()]{0,40}?。)?以下(?:この条[^「]{0,20}において)?「([^」]+)」とい")


def test_every_defined_law_abbreviation_is_registered():
    """「(以下「番号法」という。)」: when the defined short name looks like a law name or a
    law number, it must be an alias."""
    names = set(registered_names(laws()))
    missing = []
    for path in SOURCES:
        text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", path.read_text(encoding="utf-8")))
        for m in DEFINITION.finditer(text):
            short = m.group(1)
            if re.search(rf"{SUFFIX}$|法律第.+号$", short) and short not in names:
                missing.append(f"{path.name[:3]}: 「{short}」")
    assert not missing, "\n".join(missing)


# --- the checks can fail ----------------------------------------------------------------


@pytest.mark.parametrize(
    "drop, expect",
    [
        ("kenko-hokenho", "健康保険法"),  # a plain miss
        ("kokumin-kenko-hokenho", "国民健康保険法"),  # hidden behind the registered suffix 健康保険法
        ("gunma-juki-jorei", "住基条例"),  # an abbreviation
        ("shogaisha-sogo-shienho", "障害者の日常生活及び社会生活を総合的に支援するための法律"),  # wrapped across lines in 001
        ("jukiho-rei-kaisei-h31", "住民基本台帳法施行令等の一部を改正する政令"),  # a cabinet order
        ("fujimino-kojin-bango-riyo-jorei", "ふじみ野市個人番号の利用事務等に関する条例"),  # a local ordinance
        ("bangoho-betsuhyo2-meirei", "番号法別表第二の主務省令で定める事務及び情報を定める命令"),  # 主務省令 inside it is registered
    ],
)
def test_scan_reports_a_dropped_law(drop, expect):
    registry = [law for law in laws() if law["id"] != drop]
    missing, _ = scan(registry)
    assert any(expect in m for m in missing), missing[:5]
