"""The 点検 rules.  Each checker yields (local id of the item, message, source line).

Thresholds and their sources are written into each rule's basis text, which the
site and the CLI show beside every finding: a reviewer must be able to see what
the finding was judged against without reading this code.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Iterator

from ..citations import Reference, parse
from ..dates import PartialDate
from ..model import Assessment, FieldKey, FormKind, PartKind, Resolution, Status
from ..model.entities import Entity, Section
from ..model.values import Field, Gap
from ..renumbering import default_renumbering
from .engine import Context, Severity, iter_fields, rule

#: 2024-05-27: 番号法別表第二 deleted (→ 主務省令第2条の表), 別表第一 renamed 別表
#: (sphinx_pia/data/renumbering.yaml; /work notes: 指針 告示第2号 of that date).
RENUMBERING_DATE = dt.date(2024, 5, 27)

_FORM_RANK = {FormKind.kiso: 0, FormKind.juten: 1, FormKind.zenkomoku: 2}

Yield = Iterator[tuple[str | None, str, int | None]]


# --- helpers -------------------------------------------------------------------


def _value(item: Field | None) -> str:
    """What the cell says: the chosen option, the checked boxes, or the text."""
    if item is None:
        return ""
    return (item.display or "").strip()


def _empty(item: Field | None) -> bool:
    return item is None or (not _value(item) and not (item.count and item.count.declared is not None))


_RANGE_RE = re.compile(r"(\d[\d,]*)\s*(万)?\s*(?:人|項目)\s*(以上|未満)")


def parse_range(text: str | None) -> tuple[int | None, int | None]:
    """「10万人以上30万人未満」 → (100000, 300000); 「1万人未満」 → (None, 10000)."""
    lo = hi = None
    for m in _RANGE_RE.finditer(unicodedata.normalize("NFKC", text or "")):
        n = int(m.group(1).replace(",", "")) * (10000 if m.group(2) else 1)
        if m.group(3) == "以上":
            lo = n
        else:
            hi = n
    return lo, hi


def _date(item: Field | None) -> dt.date | None:
    d = item.date if item is not None and item.text else None
    if d is None or d.month is None:
        return None
    return dt.date(d.year, d.month, d.day or 1)


def _sections(a: Assessment) -> Iterator[tuple[str | None, Section]]:
    """Every section with the local id of its file (None outside files)."""
    for part in a.doc.parts:
        for sec in part.sections:
            yield None, sec
    for f in a.files:
        for part in (f.overview, f.risk_measures):
            for sec in part.sections:
                yield f.id, sec


def _placeholder(ent: Entity) -> bool:
    """An empty frame of the form (「提供先1」 with every cell blank)."""
    title = ent.title.text if ent.title is not None else ""
    return not (title or "").strip() and all(_empty(i) for i in iter_fields(ent.items))


def _gap_note(a: Assessment, word: str) -> str:
    gaps = [g.where for g in a.doc.gaps if word in g.where]
    return f"（評価書の欠落として記録: {'、'.join(gaps)}）" if gaps else ""


def version_date(a: Assessment) -> tuple[dt.date | None, str]:
    """The date this version speaks for: its 公表日, else its latest 変更日, else its 様式 stamp."""
    published = _date(a.cover_item(FieldKey.published_on))
    if published:
        return published, "公表日"
    dates = [d for d in (_date(e.date) for e in (a.changes.entries if a.changes else [])) if d]
    if dates:
        return max(dates), "変更箇所の最新の変更日"
    stamp = a.doc.form.stamp
    d = stamp.date if stamp is not None and stamp.text else None
    if d is not None and d.month:
        return dt.date(d.year, d.month, 1), "様式の版の表示"
    return None, ""


# --- declared counts against the rows present -----------------------------------------


@rule(
    "PIA-C01", Severity.error, "提供先・移転先の件数が記載の件数と一致しない",
    "様式のII.5「提供・移転の有無」は提供・移転の件数を「( N ) 件」と記載させる。記載の件数と、評価書に記載された提供先・移転先"
    "（別紙を参照する提供先は別紙の行）の数を比べる。",
)
def _provision_counts(ctx: Context) -> Yield:
    a = ctx.assessment
    for _, sec in _sections(a):
        status = sec.get(FieldKey.provision_status)
        if status is None:
            continue
        for label, entries, word in (("提供を行っている", sec.provisions, "提供先"), ("移転を行っている", sec.transfers, "移転先")):
            declared = next((i for i in status.items if i.label == label and i.count is not None), None)
            if declared is None or declared.count.declared is None:
                continue
            present, via = 0, []
            for ent in entries:
                if ent.annex:
                    annex = next((x for x in a.annexes if x.id == ent.annex), None)
                    n = len(annex.rows) if annex else 0
                    present += n
                    via.append(f"別紙{annex.no if annex else '?'} の {n} 行")
                elif not _placeholder(ent):
                    present += 1
            if present != declared.count.declared:
                detail = f"（{'、'.join(via)}）" if via else ""
                yield sec.id, (
                    f"「{label} ({declared.count.declared}) 件」と記載されているが、記載された{word}は {present} 件{detail}。"
                    + _gap_note(a, word)
                ), declared.line or status.line


@rule(
    "PIA-C02", Severity.error, "委託の件数が委託事項の数と一致しない",
    "様式のII.4「委託の有無」は委託の件数を「( N ) 件」と記載させる。記載の件数と、記載された委託事項の数を比べる。",
)
def _entrustment_counts(ctx: Context) -> Yield:
    for _, sec in _sections(ctx.assessment):
        item = sec.get(FieldKey.entrusted)
        if item is None or item.count is None or item.count.declared is None:
            continue
        present = sum(1 for e in sec.entrustments if not _placeholder(e))
        if present != item.count.declared:
            yield sec.id, f"「委託の有無」に ({item.count.declared}) 件と記載されているが、委託事項は {present} 件記載されている。", item.line


@rule(
    "PIA-C03", Severity.warning, "記録項目の数が「記録される項目」の区分と合わない",
    "様式のII.2④「記録される項目」は項目数の区分（10項目未満／10項目以上50項目未満／50項目以上100項目未満／100項目以上）を選ばせ、"
    "別添で全記録項目を列挙させる。選ばれた区分と、列挙された記録項目の数を比べる。",
)
def _record_counts(ctx: Context) -> Yield:
    for f in ctx.assessment.files:
        if f.record_items is None or not f.record_items.all:
            continue
        for sec in f.overview.sections:
            item = sec.get(FieldKey.record_count)
            if item is None or not _value(item):
                continue
            lo, hi = parse_range(_value(item))
            n = len(f.record_items.all)
            if (lo is not None and n < lo) or (hi is not None and n >= hi):
                gaps = [
                    g.where for g in ctx.assessment.doc.gaps
                    if f.name.text and f.name.text.strip() in g.where and ("記録項目" in g.where or "別添" in g.where)
                ]
                note = f"（評価書の欠落として記録: {'、'.join(gaps)}）" if gaps else ""
                yield sec.id, f"「④記録される項目」は「{_value(item)}」だが、別添の記録項目は {n} 項目列挙されている。{note}", item.line


# --- items the form requires ------------------------------------------------------------

_REQUIRED_COVER = {
    FieldKey.number: "評価書番号",
    FieldKey.title: "評価書名",
    FieldKey.declaration: "個人のプライバシー等の権利利益の保護の宣言",
    FieldKey.organization_name: "評価実施機関名",
}
_REQUIRED_PARTS = {
    FormKind.kiso: [PartKind.basic],
    FormKind.juten: [PartKind.basic, PartKind.disclosure, PartKind.procedures],
    FormKind.zenkomoku: [PartKind.basic, PartKind.business_detail, PartKind.other_measures, PartKind.disclosure, PartKind.procedures],
}
_PART_LABEL = {
    PartKind.basic: "I 基本情報", PartKind.business_detail: "(別添1) 事務の内容", PartKind.other_measures: "IV その他のリスク対策",
    PartKind.disclosure: "開示請求、問合せ", PartKind.procedures: "評価実施手続",
}
_REQUIRED_BASIC = {
    FieldKey.business_name: "I.1①事務の名称",
    FieldKey.business_content: "I.1②事務の内容",
    FieldKey.target_population: "I.1③対象人数",
    FieldKey.info_network: "情報提供ネットワークシステムによる情報連携 ①実施の有無",
}


@rule(
    "PIA-R01", Severity.warning, "様式が求める項目がない、または空欄である",
    "個人情報保護委員会の様式（基礎項目評価書＝様式2、重点項目評価書＝様式3、全項目評価書＝様式4）が記載を求める表紙の項目"
    "（評価書番号、評価書名、宣言、評価実施機関名）、部（重点項目・全項目は開示請求・問合せと評価実施手続、全項目はさらに別添1と"
    "IV その他のリスク対策）、I 基本情報の事務の名称・内容・対象人数・情報連携の有無、評価実施手続のしきい値判断結果を確かめる。"
    "評価書(案)では評価書番号を、断片として残る評価書では全体を対象外とする。",
)
def _required_items(ctx: Context) -> Yield:
    a = ctx.assessment
    if a.doc.status == Status.fragment:
        return
    for key, label in _REQUIRED_COVER.items():
        if key == FieldKey.number and a.doc.status == Status.draft:
            continue
        item = a.cover_item(key)
        if item is None:
            yield "cover", f"表紙に「{label}」がない。", None
        elif not _value(item):
            yield "cover", f"表紙の「{label}」が空欄である。", item.line
    for kind in _REQUIRED_PARTS[a.doc.form.kind]:
        if a.part(kind) is None:
            yield None, f"{a.doc.form.kind.label}に必要な「{_PART_LABEL[kind]}」の部がない。", None
    basic = a.part(PartKind.basic)
    if basic is not None:
        fields = [i for sec in basic.sections for i in iter_fields(sec.items)] + list(iter_fields(basic.items))
        for key, label in _REQUIRED_BASIC.items():
            item = next((i for i in fields if i.key == key), None)
            if item is None:
                yield basic.id, f"「{label}」がない。", None
            elif not _value(item):
                yield basic.id, f"「{label}」が空欄である。", item.line
        if not a.systems:
            yield basic.id, "I.2 に使用するシステムが1つも記載されていない。", None
    procedures = a.part(PartKind.procedures)
    if procedures is not None:
        item = next((i for sec in procedures.sections for i in iter_fields(sec.items) if i.key == FieldKey.threshold_result), None)
        if item is None or not _value(item):
            yield procedures.id, "評価実施手続の「しきい値判断結果」がない、または空欄である。", item.line if item else None
    if not a.files:
        yield None, "特定個人情報ファイルが1つも記載されていない。", None


@rule(
    "PIA-R02", Severity.error, "様式の版の表示が評価書の種類と合わない",
    "様式の版の表示（例「[令和６年10月　様式４]」）の様式番号は、基礎項目評価書＝様式2、重点項目評価書＝様式3、全項目評価書＝様式4である"
    "（基礎項目評価書記載要領の「[平成29年5月 様式2]」、全項目評価書の「[平成30年5月 様式4]」）。",
)
def _stamp(ctx: Context) -> Yield:
    stamp = ctx.assessment.doc.form.stamp
    if stamp is None or not stamp.text:
        return
    m = re.search(r"様式\s*(\d)", unicodedata.normalize("NFKC", stamp.text))
    kind = ctx.assessment.doc.form.kind
    if m and int(m.group(1)) != kind.style_no:
        yield "cover", f"様式の版の表示「{stamp.text}」は様式{m.group(1)}だが、評価書は{kind.label}（様式{kind.style_no}）である。", stamp.line


# --- しきい値判断 ----------------------------------------------------------------------------

THRESHOLD_BASIS = (
    "特定個人情報保護評価指針 第5の2 しきい値判断。対象人数30万人以上は基礎項目評価と全項目評価。"
    "10万人以上30万人未満は基礎項目評価と重点項目評価、ただし取扱者数500人以上または過去1年以内の重大事故があれば全項目評価"
    "（以上は成田市の解説 http://www.city.narita.chiba.jp/shisei/page058900.html による）。"
    "1万人以上10万人未満は基礎項目評価、取扱者数500人以上または重大事故があれば重点項目評価。1,000人以上1万人未満は基礎項目評価"
    "（この2区分は指針本文で未確認）。取扱者数は、評価書に記載された使用者数・委託先の取扱者数の区分の下限が500人以上のときに限り"
    "500人以上とみなす（評価書からは合計が分からないため、下限で判断する）。重大事故は III.7「重大事故の発生」が「発生あり」かつ"
    "その期間が1年以内と記載されたときに限りありとみなす。"
)


def _required_form(population: str, many_handlers: bool, accident: bool) -> FormKind | None:
    lo, _ = parse_range(population)
    if lo is None:
        return None
    if lo >= 300_000:
        return FormKind.zenkomoku
    if lo >= 100_000:
        return FormKind.zenkomoku if (many_handlers or accident) else FormKind.juten
    if lo >= 10_000:
        return FormKind.juten if (many_handlers or accident) else FormKind.kiso
    if lo >= 1_000:
        return FormKind.kiso
    return None


def _handlers_500(a: Assessment) -> str | None:
    for _, sec in _sections(a):
        for item in iter_fields(sec.items):
            if item.key == FieldKey.user_count:
                lo, _ = parse_range(_value(item))
                if lo is not None and lo >= 500:
                    return f"使用者数「{_value(item)}」"
        for ent in sec.entrustments:
            item = ent.get(FieldKey.handlers)
            lo, _ = parse_range(_value(item))
            if lo is not None and lo >= 500:
                return f"委託先の取扱者数「{_value(item)}」"
    return None


def _accident(a: Assessment) -> str | None:
    for _, sec in _sections(a):
        for item in iter_fields(sec.items):
            label = unicodedata.normalize("NFKC", item.label or "")
            if "重大事故" in label and "1年" in label and "発生あり" in _value(item):
                return f"「{item.label}」が「{_value(item)}」"
    return None


@rule("PIA-T01", Severity.error, "しきい値判断に照らして評価書の種類が足りない", THRESHOLD_BASIS)
def _threshold(ctx: Context) -> Yield:
    a = ctx.assessment
    basic = a.part(PartKind.basic)
    item = next((i for sec in (basic.sections if basic else []) for i in iter_fields(sec.items) if i.key == FieldKey.target_population), None)
    if item is None or not _value(item):
        return
    handlers, accident = _handlers_500(a), _accident(a)
    required = _required_form(_value(item), bool(handlers), bool(accident))
    used = a.doc.form.kind
    if required is not None and _FORM_RANK[used] < _FORM_RANK[required]:
        why = "、".join(x for x in (f"対象人数「{_value(item)}」", handlers, accident) if x)
        yield basic.id if basic else None, f"{why}のため{required.label}が必要だが、この評価書は{used.label}である。", item.line


@rule(
    "PIA-T02", Severity.error, "しきい値判断結果と評価書の種類が合わない",
    "評価実施手続の「しきい値判断結果」（例「基礎項目評価及び重点項目評価の実施が義務付けられる」）が義務付ける評価と、実際の評価書の種類を比べる。"
    "義務付けられたものより詳しい評価書（重点項目に代えて全項目）は指針が認めるため指摘しない。",
)
def _threshold_result(ctx: Context) -> Yield:
    a = ctx.assessment
    for _, sec in _sections(a):
        for item in iter_fields(sec.items):
            if item.key != FieldKey.threshold_result or not _value(item):
                continue
            text = _value(item)
            needed = FormKind.zenkomoku if "全項目" in text else FormKind.juten if "重点項目" in text else FormKind.kiso if "基礎項目" in text else None
            if needed is not None and _FORM_RANK[a.doc.form.kind] < _FORM_RANK[needed]:
                yield sec.id, f"しきい値判断結果は「{text}」だが、この評価書は{a.doc.form.kind.label}である。", item.line


# --- dates -----------------------------------------------------------------------------------


@rule(
    "PIA-D01", Severity.warning, "最後の公表から5年を経過している（再評価の時期）",
    "特定個人情報保護評価に関する規則 第15条: 評価実施機関は、直近の評価書の公表から5年を経過する前に評価を再実施するよう努める（努力義務）。"
    "表紙の公表日と点検の基準日（既定はビルドの日）を比べる。",
)
def _reassessment(ctx: Context) -> Yield:
    item = ctx.assessment.cover_item(FieldKey.published_on)
    published = _date(item)
    if published is None:
        return
    try:
        due = published.replace(year=published.year + 5)
    except ValueError:  # 29 February
        due = published.replace(year=published.year + 5, day=28)
    if due <= ctx.today:
        yield "cover", (
            f"公表日は{item.text}（{published.isoformat()}）で、5年後の{due.isoformat()}を基準日{ctx.today.isoformat()}の時点で過ぎている。"
        ), item.line


@rule(
    "PIA-D02", Severity.error, "公表された評価書に公表日がない",
    "表紙の公表日はすべての様式が記載を求める（基礎項目評価書記載要領・全項目評価書記載要領）。公表日は再評価の期限（規則第15条）の起点でもある。",
)
def _published_without_date(ctx: Context) -> Yield:
    a = ctx.assessment
    if a.doc.status != Status.published:
        return
    item = a.cover_item(FieldKey.published_on)
    if item is None or not (item.text or "").strip():
        yield "cover", "評価書は公表済みとされているが、表紙の公表日が空欄である。", item.line if item else None
    elif _date(item) is None:
        yield "cover", f"表紙の公表日「{item.text}」を日付として読めない。", item.line


@rule(
    "PIA-D03", Severity.warning, "評価書(案)に公表日がない",
    "評価書(案)（意見聴取や第三者点検のための案）は公表日が空欄のまま示される。公表の際に記入されるべき項目であり、"
    "再評価の期限（規則第15条）の起点になるため、公表版で記入されたかを確かめる。",
)
def _draft_without_date(ctx: Context) -> Yield:
    a = ctx.assessment
    if a.doc.status != Status.draft:
        return
    item = a.cover_item(FieldKey.published_on)
    if item is None or not (item.text or "").strip():
        yield "cover", "評価書(案)であり、表紙の公表日が空欄である。", item.line if item else None


@rule(
    "PIA-D04", Severity.warning, "変更箇所の変更日が公表日より後である",
    "評価書の内容は公表日時点のもの（基礎項目評価書記載要領）。変更箇所に公表日より後の変更日があれば、公表日が更新されていない。",
)
def _change_after_publication(ctx: Context) -> Yield:
    a = ctx.assessment
    published = _date(a.cover_item(FieldKey.published_on))
    if published is None or a.changes is None:
        return
    for e in a.changes.entries:
        d = _date(e.date)
        if d and d > published:
            yield e.id, f"変更日{e.date.text}は公表日{a.cover_item(FieldKey.published_on).text}より後である。", e.date.line or e.line


# --- legal bases -----------------------------------------------------------------------------


def _legal_fields(a: Assessment) -> Iterator[tuple[str, Field]]:
    for fid, sec in _sections(a):
        for item in iter_fields(sec.items):
            if item.key == FieldKey.legal_basis:
                yield sec.id, item
        for ent in [*sec.provisions, *sec.transfers]:
            for item in iter_fields(ent.items):
                if item.key == FieldKey.legal_basis:
                    yield ent.id, item


def _texts(a: Assessment) -> Iterator[tuple[str | None, str, str, int | None]]:
    """Every text of the current version that may cite a law: (local id, label, text, line).
    The 変更箇所 are history and are left out: they cite the edition of their day."""
    for item in iter_fields(a.doc.cover):
        if item.text:
            yield "cover", item.label or "", item.text, item.line
    for fid, sec in _sections(a):
        for item in iter_fields(sec.items):
            if item.text:
                yield sec.id, item.label or "", item.text, item.line
        for ent in [*sec.systems, *sec.entrustments, *sec.provisions, *sec.transfers, *sec.risks]:
            for item in iter_fields(ent.items):
                if item.text:
                    yield ent.id, item.label or "", item.text, item.line
    for part in a.doc.parts:
        for item in iter_fields(part.items):
            if item.text:
                yield part.id, item.label or "", item.text, item.line
    for annex in a.annexes:
        if annex.title is not None and annex.title.text:
            yield annex.id, "表題", annex.title.text, annex.title.line
        # a column heading such as 「別表第一の 項番」 names no law: it speaks of the law
        # its table's title cites (「…(番号法第9条第1項別表に定める事務を行う部署)」)
        title_laws = {r.law for r in parse(annex.title.text).references} if annex.title and annex.title.text else set()
        for col in annex.columns:
            if "別表" in col and "bangoho" in title_laws and "法" not in col and "条例" not in col:
                yield annex.id, f"列見出し「{col}」", "番号法" + col, annex.title.line or annex.line


def _superseded(text: str, abbrevs: dict[str, str]) -> list[tuple[Reference, list[Reference]]]:
    """The references of ``text`` that have a successor, one per table (its rows fold into it)."""
    ren = default_renumbering()
    refs = parse(text, abbreviations=abbrevs).references
    norm = unicodedata.normalize("NFKC", text)
    out: dict[Reference, list[Reference]] = {}
    for ref in refs:
        base = Reference(ref.law, ref.article, ref.paragraph, ref.item, ref.table) if ref.row else ref
        succ = [c.new for c in ren.successors(base)]
        if not succ:
            continue
        # 第19条第7号 also exists after the renumbering; it is the old NW provision only
        # when the text speaks of 別表第二 or of the 情報提供ネットワークシステム
        if base.article == "19" and base.item == "7" and not (
            any(r.table == "別表第二" for r in refs) or "情報提供ネットワーク" in norm
        ):
            continue
        out.setdefault(base, succ)
    return list(out.items())


def _describe(old: list[tuple[Reference, list[Reference]]]) -> str:
    return "；".join(f"{r.label()} → {'、'.join(s.label() for s in succ)}" for r, succ in old)


@rule(
    "PIA-L01", Severity.warning, "2024年5月27日の改正より後の版が旧い条項を引用している",
    "2024年5月27日施行の改正で番号法別表第二は削られて番号法第19条第8号に基づく主務省令第2条の表に移り、別表第一は「別表」となった。"
    "情報提供ネットワークシステムによる提供の根拠は第19条第7号から第8号に移っている。公表日（公表日がなければ最新の変更日、様式の版の表示）が"
    "この日以降の版で、本文（変更箇所を除く）が旧い条項を引用していれば、後継の条項とともに示す（対応は sphinx_pia/data/renumbering.yaml、"
    "根拠は各行の evidence）。第19条第7号は、同じ記載が別表第二か情報提供ネットワークシステムに触れるときに限り旧い条項とみなす。",
)
def _superseded_citations(ctx: Context) -> Yield:
    a = ctx.assessment
    when, what = version_date(a)
    if when is None or when < RENUMBERING_DATE:
        return
    abbrevs = {ab.short: ab.full for ab in a.doc.abbreviations}
    for local, label, text, line in _texts(a):
        old = _superseded(text, abbrevs)
        if old:
            where = (label if label.startswith("列見出し") else f"「{label}」") if label else "記載"
            yield local, f"{what}が{when.isoformat()}の版で、{where}が旧い条項を引用している: {_describe(old)}。", line


@rule(
    "PIA-L04", Severity.info, "改正前の版の法令上の根拠が旧い条項のままである",
    "2024年5月27日施行の改正（PIA-L01 を参照）より前の日付の版は、その時点の条項を正しく引用している。点検の基準日が改正後であれば、"
    "その版の法令上の根拠のうち旧い条項を引用するものを数え、後継の条項とともに示す。再評価や修正の際に改める必要がある。",
)
def _old_version_citations(ctx: Context) -> Yield:
    a = ctx.assessment
    when, what = version_date(a)
    if when is None or when >= RENUMBERING_DATE or ctx.today < RENUMBERING_DATE:
        return
    abbrevs = {ab.short: ab.full for ab in a.doc.abbreviations}
    found: dict[Reference, list[Reference]] = {}
    count = 0
    for _, item in _legal_fields(a):
        old = _superseded(item.text or "", abbrevs)
        if old:
            count += 1
            for r, succ in old:
                found.setdefault(r, succ)
    if count:
        yield None, (
            f"{what}が{when.isoformat()}の版で、法令上の根拠 {count} 件が改正前の条項を引用している: {_describe(list(found.items()))}。"
        ), None


@rule(
    "PIA-L02", Severity.warning, "別紙の項番が表題の引用する表の番号ではない",
    "別紙の表題が主務省令第2条の表（2024年5月27日以降の番号）を引用しているのに、項番の列が旧い番号法別表第二の項番の並び"
    "（sphinx_pia/data/renumbering.yaml の対応表の旧い側）と一致すれば、項番は旧い表のものである。",
)
def _annex_old_rows(ctx: Context) -> Yield:
    ren = default_renumbering()
    pairs = [c for c in ren.correspondences if c.old.row]
    old = [c.old.row for c in pairs]
    new = [c.new.row for c in pairs]
    for annex in ctx.assessment.annexes:
        if annex.basis_column is None:
            continue
        refs = parse(annex.title.text).references if annex.title and annex.title.text else []
        if not any(r.law == "shumu-shorei" and r.table == "表" for r in refs):
            continue
        values = [unicodedata.normalize("NFKC", "".join(row.cells[annex.basis_column].split())) for row in annex.rows if len(row.cells) > annex.basis_column]
        if sorted(values) == sorted(old) and sorted(values) != sorted(new):
            yield annex.id, (
                f"別紙{annex.no}の表題は主務省令第2条の表を引用しているが、「{annex.columns[annex.basis_column]}」の {len(values)} 件の項番は"
                f"旧い番号法別表第二の項番（{', '.join(values[:5])}…）と一致する（新しい番号では {', '.join(new[:5])}…）。"
            ), annex.title.line or annex.line


@rule(
    "PIA-L03", Severity.error, "提供先・移転先に法令上の根拠がない",
    "番号法第19条は特定個人情報の提供を同条各号に限って認め、移転（利用）は第9条による。様式のII.5 は提供先・移転先ごとに"
    "「①法令上の根拠」を記載させる。空の枠（すべて空欄の「提供先N」）は対象外。",
)
def _missing_basis(ctx: Context) -> Yield:
    for _, sec in _sections(ctx.assessment):
        for word, entries in (("提供先", sec.provisions), ("移転先", sec.transfers)):
            for ent in entries:
                if _placeholder(ent):
                    continue
                item = ent.get(FieldKey.legal_basis)
                if item is None or not (item.text or "").strip():
                    name = ent.title.text if ent.title is not None and ent.title.text else ""
                    yield ent.id, f"{word}{ent.no or ''}「{name}」に法令上の根拠が記載されていない。", (item.line if item else None) or ent.line


# --- entrustment and risks -------------------------------------------------------------------


@rule(
    "PIA-E01", Severity.error, "再委託するとしながら再委託の許諾方法がない",
    "様式のII.4 は「④再委託の有無」が再委託するのとき「⑤再委託の許諾方法」「⑥再委託事項」を記載させる。",
)
def _subcontract(ctx: Context) -> Yield:
    for _, sec in _sections(ctx.assessment):
        for ent in sec.entrustments:
            sub = ent.get(FieldKey.subcontract)
            if sub is None or "再委託する" not in _value(sub):
                continue
            approval = ent.get(FieldKey.subcontract_approval)
            if approval is None or not _value(approval):
                yield ent.id, f"委託事項{ent.no or ''}は「{_value(sub)}」だが、「⑤再委託の許諾方法」が記載されていない。", (approval.line if approval else None) or sub.line


@rule(
    "PIA-E02", Severity.warning, "リスク対策が「課題が残されている」と評価されている",
    "様式のIII（全項目評価書ではIII・IV）は各リスクについて「リスクへの対策は十分か」を「特に力を入れている／十分である／課題が残されている」から選ばせる。"
    "課題が残されているリスクは、第三者点検・審査の観点（指針 第10）で対策の内容を確かめる対象である。",
)
def _open_risk(ctx: Context) -> Yield:
    for _, sec in _sections(ctx.assessment):
        for risk in sec.risks:
            item = risk.get(FieldKey.evaluation)
            if item is not None and "課題が残されている" in _value(item):
                yield risk.id, f"「{risk.title.text if risk.title else risk.id}」の評価が「課題が残されている」である。", item.line


#: gaps that mean the extraction, not the document, lost the value
_LOST = {Gap.lost, Gap.missing, Gap.garbled, Gap.clipped}


@rule(
    "PIA-E03", Severity.warning, "リスクへの対策の評価が選ばれていない",
    "様式は各リスクについて「リスクへの対策は十分か」の選択を求める。節の見出しで「接続しない」等が選ばれた節、抽出で選択が失われたと記録された値は対象外。",
)
def _unrated_risk(ctx: Context) -> Yield:
    for _, sec in _sections(ctx.assessment):
        if sec.choice is not None and sec.choice.check is not None and sec.choice.check.checked:
            continue  # 「接続しない」: the risks of the section do not apply
        for risk in sec.risks:
            item = risk.get(FieldKey.evaluation)
            if item is None or item.gap in _LOST or (item.select and item.select.value):
                continue
            if item.select is not None:
                yield risk.id, f"「{risk.title.text if risk.title else risk.id}」の「リスクへの対策は十分か」でどの選択肢も選ばれていない。", item.line


# --- change entries --------------------------------------------------------------------------


@rule(
    "PIA-H01", Severity.warning, "変更箇所の項目が評価書のどの節にも当たらない",
    "変更箇所の「項目」は変更した記載の場所を示す。評価書の中にその節・項目が見つからない行を示す（キュレーションで解決できなかったもの）。",
)
def _unresolved(ctx: Context) -> Yield:
    a = ctx.assessment
    for e in a.changes.entries if a.changes else []:
        if e.resolution == Resolution.unresolved or not e.targets:
            why = f" {e.resolution_note}" if e.resolution_note else ""
            yield e.id, f"変更箇所の項目「{(e.item.text or '').strip()}」に当たる節がこの評価書にない。{why}".strip(), e.item.line or e.line


@rule(
    "PIA-H02", Severity.info, "変更箇所の項目の書き方が評価書と食い違う",
    "変更箇所の「項目」の番号や名称が評価書の節と食い違うが、内容から対象を特定できた行（キュレーションで suspect とされたもの）。",
)
def _suspect(ctx: Context) -> Yield:
    a = ctx.assessment
    for e in a.changes.entries if a.changes else []:
        if e.resolution == Resolution.suspect:
            yield e.id, f"変更箇所の項目「{(e.item.text or '').strip()}」: {e.resolution_note or '評価書の節と食い違う。'}", e.item.line or e.line


@rule(
    "PIA-H03", Severity.warning, "変更箇所の提出時期が空欄である",
    "変更箇所の表は行ごとに提出時期（事前／事後）と提出時期に係る説明を記載させる。重要な変更は事前の提出が必要で（指針 第6）、"
    "提出時期はその判断を示す。",
)
def _no_timing(ctx: Context) -> Yield:
    a = ctx.assessment
    for e in a.changes.entries if a.changes else []:
        if not (e.timing.text or "").strip():
            yield e.id, f"変更日{e.date.text or '（空欄）'}の変更「{(e.item.text or '').strip()[:40]}」の提出時期が空欄である。", e.timing.line or e.line


_IMPORTANT = re.compile(r"重要な変更(?:に|の対象に)?(?:当たる|該当する|である)")
_NOT_IMPORTANT = re.compile(r"重要な変更(?:に|の対象に)?(?:当たらない|該当しない|ではない)|義務付けられない")


@rule(
    "PIA-H04", Severity.error, "重要な変更としながら提出時期が事後である",
    "重要な変更は評価の再実施を要し、変更の前に評価書を提出・公表する（指針 第6、規則第11条）。提出時期に係る説明が「重要な変更に当たる」と"
    "述べながら提出時期が事後の行、説明が重要な変更に当たらない（事前の提出が義務付けられない）と述べながら事前の行を示す（後者は任意の事前提出もあり得るため情報）。",
)
def _timing_vs_kind(ctx: Context) -> Yield:
    a = ctx.assessment
    for e in a.changes.entries if a.changes else []:
        reason = unicodedata.normalize("NFKC", e.reason.text or "")
        timing = (e.timing.text or "").strip()
        if _IMPORTANT.search(reason) and not _NOT_IMPORTANT.search(reason) and timing == "事後":
            yield e.id, f"提出時期に係る説明は「{e.reason.text.strip()}」だが、提出時期は事後である。", e.timing.line or e.line


@rule(
    "PIA-H05", Severity.info, "変更箇所に同じ行が重ねて記載されている",
    "変更箇所の同じ変更日・項目・変更前・変更後の行が2回以上記載されている（キュレーションで duplicate_of とされたもの）。",
)
def _duplicates(ctx: Context) -> Yield:
    a = ctx.assessment
    for e in a.changes.entries if a.changes else []:
        if e.duplicate_of:
            yield e.id, f"この行は {ctx.gid(e.duplicate_of)} と同じ内容である。", e.line


# --- the document as a whole -----------------------------------------------------------------


@rule(
    "PIA-G01", Severity.info, "評価書の一部が欠けている",
    "抽出テキストから欠けている部分（節、行、ページ）はキュレーションで記録されている。欠けた部分の記載は点検できない。",
)
def _document_gaps(ctx: Context) -> Yield:
    a = ctx.assessment
    if a.doc.status == Status.fragment:
        yield None, "この評価書は断片として残るもので、表紙・基本情報などが欠けている。様式が求める項目の点検（PIA-R01）は行わない。", None
    for g in a.doc.gaps:
        yield None, f"{g.where}: {g.note or g.kind.value}", g.line
