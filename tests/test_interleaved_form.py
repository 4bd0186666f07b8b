"""The interleaved layout's form harvester, rule by rule, on small made-up pages.

Each text is what a PDF extractor prints for a 全項目評価書 whose columns were
emitted one after the other: a label line starts with one ASCII space, pages
are separated by three blank lines.  The seeds exercise the rules together;
these show each rule alone, so a rule that only fits one document fails here.
"""

from __future__ import annotations

from pathlib import Path

from sphinx_pia.importer import import_file, write_draft
from sphinx_pia.loader import load_assessment

HEAD = "\n[令和６年10月　様式４]\n\n 評価書名\n\n〇〇に関する事務　全項目評価書\n\n 評価実施機関名\n\n〇〇市長\n\n\n\n"
PAGE = "\n\n\n\n"


def draft(tmp_path: Path, body: str):
    path = tmp_path / "doc.txt"
    path.write_text(HEAD + body, encoding="utf-8")
    d = import_file(path)
    assert d.source.layout == "interleaved"
    target = write_draft(d, tmp_path / "out")
    load_assessment(target, tmp_path / "out")  # the draft validates
    return d


def items(container: dict) -> dict[str, dict]:
    return {f.get("label") or f.get("key"): f for f in container.get("items", [])}


def section(d, part_kind: str, no: str, file_no: str | None = None) -> dict:
    if file_no is None:
        part = next(p for p in d.assessment["parts"] if p["kind"] == part_kind)
    else:
        part = next(f for f in d.files if f["no"] == file_no)[part_kind]
    return next(s for s in part["sections"] if s["no"] == no)


def unplaced(d) -> list[str]:
    return [raw.strip() for _, raw in d.coverage.unplaced]


def test_wrapped_label_and_inline_value(tmp_path):
    d = draft(tmp_path, "Ⅰ　基本情報\n\n １．特定個人情報ファイルを取り扱う事務\n\n ①事務の名称 〇〇に関する事務\n\n"
                        " ③対象人数 [ 30万人以上\n\n＜選択肢＞\n1) 1,000人未満\n5) 30万人以上\n\n]\n")
    sec = items(section(d, "basic", "1"))
    assert sec["①事務の名称"]["text"] == "〇〇に関する事務"
    assert sec["③対象人数"]["select"]["value"] == "30万人以上"
    assert sec["③対象人数"]["select"]["options"] == ["1,000人未満", "30万人以上"]
    assert unplaced(d) == []


def test_entity_fields_before_their_heading_belong_to_it(tmp_path):
    """A page emitted bottom-up: 移転先1's ⑦…② come before its heading."""
    body = ("Ⅱ　特定個人情報ファイルの概要\n\n １．特定個人情報ファイル名\n\n（１）〇〇ファイル\n" + PAGE +
            " ⑦時期・頻度\n\n届出の都度。\n\n ③移転する情報\n\n４情報\n\n ②移転先における用途\n\n〇〇の事務\n\n"
            " 移転先1\n本市内部の部署\n\n ①法令上の根拠\n\n番号法第９条第１項\n\n"
            " ⑦時期・頻度\n\n照会の都度。\n\n ②提供先における用途\n\n〇〇給付\n\n ①法令上の根拠\n\n番号法第１９条第８号\n\n"
            " 提供先1 都道府県\n\n ５．特定個人情報の提供・移転（委託に伴うものを除く。）\n")
    d = draft(tmp_path, body)
    sec = section(d, "overview", "5", "1")
    tran, = sec["transfers"]
    prov, = sec["provisions"]
    assert tran["title"]["text"] == "本市内部の部署"
    assert [f["label"] for f in tran["items"]] == ["①法令上の根拠", "②移転先における用途", "③移転する情報", "⑦時期・頻度"]
    assert items(tran)["⑦時期・頻度"]["text"] == "届出の都度。"
    assert prov["title"]["text"] == "都道府県"
    assert items(prov)["①法令上の根拠"]["text"] == "番号法第１９条第８号"
    assert items(prov)["⑦時期・頻度"]["text"] == "照会の都度。"


def test_a_choice_printed_away_from_its_label_is_paired_with_it(tmp_path):
    body = ("Ⅲ　特定個人情報ファイルの取扱いプロセスにおけるリスク対策\n\n １．特定個人情報ファイル名\n\n（１）〇〇ファイル\n\n"
            " ３．特定個人情報の使用\n\n"
            " リスク２：　権限のない者（元職員、アクセス権限のない職員等）によって不正に使用されるリスク\n\n"
            " 特定個人情報の使用の記録\n\n 具体的な方法\n\nアクセスログを記録している。\n\n記録を残している[\n"
            "2) 記録を残していない1） 記録を残している\n\n＜選択肢＞]\n")
    d = draft(tmp_path, body)
    risk, = section(d, "risk_measures", "3", "1")["risks"]
    got = items(risk)
    assert got["特定個人情報の使用の記録"]["select"]["value"] == "記録を残している"
    assert got["具体的な方法"]["text"] == "アクセスログを記録している。"


def test_checkbox_lines_leave_the_text_they_were_printed_in(tmp_path):
    body = ("Ⅰ　基本情報\n\n ２．特定個人情報ファイルを取り扱う事務において使用するシステム\n\n システム1\n\n"
            " ①システムの名称 〇〇システム\n\n ②システムの機能\n\n住民記録を管理する。\n[ ○ ] 庁内連携システム [\n\n"
            " ③他のシステムとの接続\n\n] 税務システム\n[ ] その他 （ ）\n")
    d = draft(tmp_path, body)
    system, = section(d, "basic", "2")["systems"]
    got = items(system)
    assert got["②システムの機能"]["text"] == "住民記録を管理する。"
    assert got["③他のシステムとの接続"]["check"]["checked"] == ["庁内連携システム"]
    assert "税務システム" in got["③他のシステムとの接続"]["check"]["options"]


def test_text_at_the_top_of_a_page_goes_to_the_label_with_none(tmp_path):
    body = ("この事務は、〇〇法に基づき〇〇を行う。\n\nⅠ　基本情報\n\n １．特定個人情報ファイルを取り扱う事務\n\n"
            " ①事務の名称 〇〇に関する事務\n\n ②事務の内容　※\n")
    d = draft(tmp_path, PAGE + body)
    got = items(section(d, "basic", "1"))
    assert got["②事務の内容　※"]["text"] == "この事務は、〇〇法に基づき〇〇を行う。"


def test_remarks_pairs_become_sub_items(tmp_path):
    body = ("Ⅱ　特定個人情報ファイルの概要\n\n １．特定個人情報ファイル名\n\n（１）〇〇ファイル\n\n ７．備考\n\n"
            "移転先の事務と部署\n・介護保険に関する事務　…　介護保険課\n・児童手当に関する事務　…　子育て\n支援課\n")
    d = draft(tmp_path, body)
    remarks, = section(d, "overview", "7", "1")["items"]
    assert remarks["key"] == "remarks" and remarks["text"] == "移転先の事務と部署"
    assert [(i["label"], i["text"]) for i in remarks["items"]] == [
        ("介護保険に関する事務", "介護保険課"), ("児童手当に関する事務", "子育て支援課")]


def test_a_later_parts_section_printed_before_its_heading_finds_its_part(tmp_path):
    body = ("Ⅲ　特定個人情報ファイルの取扱いプロセスにおけるリスク対策\n\n １．特定個人情報ファイル名\n\n（１）〇〇ファイル\n" + PAGE +
            " ２．従業者に対する教育・啓発\n\n 具体的な方法\n\n年１回研修を行う。\n\nⅣ　その他のリスク対策 ※\n\n １．監査\n")
    d = draft(tmp_path, body)
    got = items(section(d, "other_measures", "2"))
    assert got["具体的な方法"]["text"] == "年１回研修を行う。"
    part = next(p for p in d.assessment["parts"] if p["kind"] == "other_measures")
    assert part["numeral"] == "Ⅳ"
    iii = next(f for f in d.files if f["no"] == "1")["risk_measures"]
    assert [s["no"] for s in iii["sections"]] == ["1"]


def test_combined_risk_names_title_one_risk(tmp_path):
    body = ("Ⅲ　特定個人情報ファイルの取扱いプロセスにおけるリスク対策\n\n １．特定個人情報ファイル名\n\n（１）〇〇ファイル\n\n"
            " 委託先による特定個人情報の不正入手・不正な使用に関するリスク\n 再委託に関するリスク\n\n"
            " 情報保護管理体制の確認\n\n基準に適合しているか確認する。\n\n ４．特定個人情報ファイルの取扱いの委託 [ ] 委託しない\n")
    d = draft(tmp_path, body)
    risk, = section(d, "risk_measures", "4", "1")["risks"]
    assert "no" not in risk
    assert risk["title"]["text"].splitlines() == ["委託先による特定個人情報の不正入手・不正な使用に関するリスク", "再委託に関するリスク"]
    assert items(risk)["情報保護管理体制の確認"]["text"] == "基準に適合しているか確認する。"


def test_every_line_is_placed_or_listed(tmp_path):
    body = "Ⅰ　基本情報\n\n １．特定個人情報ファイルを取り扱う事務\n\n ①事務の名称 〇〇\n" + PAGE + "どこにも属さない行\n"
    d = draft(tmp_path, body)
    nonblank = {ln.no for ln in d.source.lines if not ln.blank}
    assert {no for no, _ in d.coverage.unplaced} == nonblank - d.coverage.used
    assert all(isinstance(no, int) for no in nonblank)


def test_wrapped_lines_join_and_paragraphs_stay(tmp_path):
    """A line that fills the value column was wrapped mid-word; a short one ends a paragraph."""
    wide = "あ" * 44 + "住基ネッ"
    body = ("Ⅰ　基本情報\n\n １．特定個人情報ファイルを取り扱う事務\n\n ②事務の内容　※\n\n"
            f"{wide}\nトの稼働時間に依存しない。\n・二つ目の段落\n")
    d = draft(tmp_path, body)
    got = items(section(d, "basic", "1"))
    assert got["②事務の内容　※"]["text"] == wide + "トの稼働時間に依存しない。\n・二つ目の段落"


def test_split_checkbox_brackets_pair_up_in_order():
    from sphinx_pia.importer.interleaved_cells import split_boxes

    lines = ["[ ] 情報提供ネットワークシステム [", "[ ○ ] その他 （ 中間サーバ ） ] 庁内連携システム",
             "] 税務システム", "[ ○ ] 紙 [ ○", "] 電子記録媒体", "○ ] 地方公共団体 （ 転入元の市町村 ）"]
    assert split_boxes(lines) == [
        ("", "情報提供ネットワークシステム"), ("○", "その他 （ 中間サーバ ）"), ("", "庁内連携システム"),
        ("", "税務システム"), ("○", "紙"), ("○", "電子記録媒体"), ("○", "地方公共団体 （ 転入元の市町村 ）")]
