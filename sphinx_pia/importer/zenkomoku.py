"""What the 全項目評価書 (様式4) prints, as the interleaved importer needs it.

The form is fixed, so its labels, the risks of each III section and the
sections of II each item belongs to are form knowledge, not guesses about one
document.  Everything here is compared as a *stem*: NFKC, no circled number,
no ※, no whitespace.
"""

from __future__ import annotations

from .cells import nfkc
from .fields import CIRCLED, KEYS, KNOWN_LABELS


def stem(label: str) -> str:
    """A label as matched: no circled number, no ※, NFKC, no whitespace."""
    return nfkc(label.strip().lstrip(CIRCLED).replace("※", ""))


def _by_stem(mapping: dict[str, str]) -> dict[str, str]:
    return {stem(label): value for label, value in mapping.items()}


#: III: the printed risk titles of each section, by risk number.
RISK_TITLES: dict[str, dict[str, str]] = {sec: {no: stem(title) for no, title in titles.items()} for sec, titles in {
    "2": {"1": "目的外の入手が行われるリスク", "2": "不適切な方法で入手が行われるリスク",
          "3": "入手した特定個人情報が不正確であるリスク", "4": "入手の際に特定個人情報が漏えい・紛失するリスク"},
    "3": {"1": "目的を超えた紐付け、事務に必要のない情報との紐付けが行われるリスク",
          "2": "権限のない者（元職員、アクセス権限のない職員等）によって不正に使用されるリスク",
          "3": "従業者が事務外で使用するリスク", "4": "特定個人情報ファイルが不正に複製されるリスク"},
    "5": {"1": "不正な提供・移転が行われるリスク", "2": "不適切な方法で提供・移転が行われるリスク",
          "3": "誤った情報を提供・移転してしまうリスク、誤った相手に提供・移転してしまうリスク"},
    "6": {"1": "目的外の入手が行われるリスク", "2": "安全が保たれない方法によって入手が行われるリスク",
          "3": "入手した特定個人情報が不正確であるリスク", "4": "入手の際に特定個人情報が漏えい・紛失するリスク",
          "5": "不正な提供が行われるリスク", "6": "不適切な方法で提供されるリスク",
          "7": "誤った情報を提供してしまうリスク、誤った相手に提供してしまうリスク"},
    "7": {"1": "特定個人情報の漏えい・滅失・毀損リスク", "2": "特定個人情報が古い情報のまま保管され続けるリスク",
          "3": "特定個人情報が消去されずいつまでも存在するリスク"},
}.items()}

#: III: a 「…におけるその他のリスク及びそのリスクに対する措置」 label names its section.
SECTION_TOPICS: dict[str, str] = _by_stem({
    "特定個人情報の入手": "2", "特定個人情報の使用": "3", "特定個人情報ファイルの取扱いの委託": "4",
    "特定個人情報の提供・移転": "5", "情報提供ネットワークシステムとの接続": "6", "特定個人情報の保管・消去": "7",
})

#: II: items that only one section prints (an item's section, when rows come bottom-up).
OVERVIEW_SECTIONS: dict[str, str] = _by_stem({
    **dict.fromkeys(["ファイルの種類", "記録される項目", "主な記録項目", "全ての記録項目", "保有開始日", "事務担当部署"], "2"),
    **dict.fromkeys(["入手元", "入手方法", "入手の時期・頻度", "入手に係る妥当性", "本人への明示", "使用目的", "変更の妥当性",
                     "使用の主体", "使用部署", "使用者数", "使用方法", "情報の突合", "情報の統計分析",
                     "権利利益に影響を与え得る決定", "使用開始日"], "3"),
    "委託の有無": "4", "提供・移転の有無": "5",
    **dict.fromkeys(["保管場所", "保管期間", "消去方法"], "6"),
})

#: Labels the form prints (stems), for joining a label wrapped over lines.
VOCABULARY: set[str] = {stem(v) for v in (
    *KEYS, *KNOWN_LABELS,
    "対象者以外の情報の入手を防止するための措置の内容", "必要な情報以外を入手することを防止するための措置の内容",
    "入手の際の本人確認の措置の内容", "個人番号の真正性確認の措置の内容", "特定個人情報の正確性確保の措置の内容",
    "宛名システム等における措置の内容", "事務で使用するその他のシステムにおける措置の内容",
    "取扱いを委託する特定個人情報ファイルの範囲", "委託先における取扱者数", "委託先への特定個人情報ファイルの提供方法",
    "委託先名の確認方法", "提供する情報の対象となる本人の数", "提供する情報の対象となる本人の範囲",
    "移転する情報の対象となる本人の数", "移転する情報の対象となる本人の範囲", "使用の主体",
    "委託先から他者への提供に関するルールの内容及びルール遵守の確認方法",
    "委託元と委託先間の提供に関するルールの内容及びルール遵守の確認方法",
    "NISC政府機関統一基準群", "安全管理体制", "安全管理規程", "安全管理体制・規程の職員への周知", "物理的対策",
    "技術的対策", "バックアップ", "事故発生時手順の策定・周知",
    "過去3年以内に、評価実施機関において、個人情報に関する重大事故が発生したか", "死者の個人番号",
    "自己点検", "監査", "具体的なチェック方法", "具体的な内容", "特記事項", "個人情報ファイル名", "公表場所",
    "手数料等", "個人情報ファイル簿の公表", "法令による特別の手続", "個人情報ファイル簿への不記載等",
    "実施日", "しきい値判断結果", "方法", "実施日・期間", "期間を短縮する特段の理由", "主な意見の内容",
    "評価書への反映", "結果", "提出日", "個人情報保護委員会による審査",
    "評価書名", "評価書番号", "評価実施機関名", "公表日", "個人のプライバシー等の権利利益の保護の宣言",
)}

#: Entities: the part and section that hold them.
ENTITY_HOME: dict[str, tuple[str, str]] = {
    "systems": ("basic", "2"), "entrustments": ("overview", "4"),
    "provisions": ("overview", "5"), "transfers": ("overview", "5"),
    "destinations": ("overview", "5"),  # items 提供先 and 移転先 share: which one is decided by the entity
}

#: The items each entity prints, as (stem, numbered); numbered None: an
#: unnumbered label the section prints too, an entity's only when it follows one.
ENTITY_LABELS: dict[str, set[tuple[str, bool | None]]] = {
    group: {(stem(label), numbered) for label, numbered in labels}
    for group, labels in {
        "systems": [("システムの名称", True), ("システムの機能", True), ("他のシステムとの接続", True)],
        "entrustments": [("委託内容", True), ("取扱いを委託する特定個人情報ファイルの範囲", True),
                         ("対象となる本人の数", False), ("対象となる本人の範囲", False), ("その妥当性", None),
                         ("委託先における取扱者数", True), ("委託先への特定個人情報ファイルの提供方法", True),
                         ("委託先名の確認方法", True), ("委託先名", True), ("再委託の有無", True),
                         ("再委託の許諾方法", True), ("再委託事項", True)],
        "provisions": [("提供先における用途", True), ("提供する情報", True), ("提供する情報の対象となる本人の数", True),
                       ("提供する情報の対象となる本人の範囲", True), ("提供方法", True)],
        "transfers": [("移転先における用途", True), ("移転する情報", True), ("移転する情報の対象となる本人の数", True),
                      ("移転する情報の対象となる本人の範囲", True), ("移転方法", True)],
        "destinations": [("法令上の根拠", True), ("時期・頻度", True)],
    }.items()
}

#: Items answered by choosing one printed option (「[ 特に力を入れている ]」).
CHOICE_LABELS: set[str] = {stem(x) for x in (
    "対象人数", "実施の有無", "ファイルの種類", "対象となる本人の数", "記録される項目", "使用者数", "委託の有無",
    "取扱いを委託する特定個人情報ファイルの範囲", "委託先における取扱者数", "再委託の有無",
    "提供する情報の対象となる本人の数", "移転する情報の対象となる本人の数", "保管期間", "期間",
    "リスクへの対策は十分か", "ユーザ認証の管理", "アクセス権限の発効・失効の管理", "アクセス権限の管理",
    "特定個人情報の使用の記録", "特定個人情報ファイルの閲覧者・更新者の制限", "特定個人情報ファイルの取扱いの記録",
    "特定個人情報の提供ルール", "特定個人情報の消去ルール", "委託契約書中の特定個人情報ファイルの取扱いに関する規定",
    "再委託先による特定個人情報ファイルの適切な取扱いの確保", "特定個人情報の提供・移転の記録",
    "特定個人情報の提供・移転に関するルール", "消去手順", "NISC政府機関統一基準群", "安全管理体制", "安全管理規程",
    "安全管理体制・規程の職員への周知", "物理的対策", "技術的対策", "バックアップ", "事故発生時手順の策定・周知",
    "過去3年以内に、評価実施機関において、個人情報に関する重大事故が発生したか", "死者の個人番号",
    "自己点検", "監査", "従業者に対する教育・啓発", "手数料等", "個人情報ファイル簿の公表", "しきい値判断結果",
)}

#: Items answered by ticking boxes (「[ ○ ] 紙 [ ] 電子メール」).
CHECK_LABELS: set[str] = {stem(x) for x in (
    "他のシステムとの接続", "主な記録項目", "入手元", "入手方法", "委託先への特定個人情報ファイルの提供方法",
    "提供方法", "移転方法", "提供・移転の有無",
)}

#: Sections answered by text printed under the heading itself, by title stem.
SECTION_VALUE_KEYS: dict[str, str] = _by_stem({
    "特定個人情報ファイル名": "file_names", "他の評価実施機関": "other_bodies", "備考": "remarks",
    "その他のリスク対策": "other_measures",
})

#: The parts in the order the form prints them.
PART_ORDER = ["basic", "business_detail", "overview", "record_items", "risk_measures",
              "other_measures", "disclosure", "procedures", "changes"]

#: Section titles of the parts that are not about one file: a heading printed
#: before its part's own heading (a page emitted bottom-up) still finds its part.
PART_SECTIONS: dict[str, dict[str, str]] = {kind: {stem(t): no for no, t in titles.items()} for kind, titles in {
    "basic": {"1": "特定個人情報ファイルを取り扱う事務", "2": "特定個人情報ファイルを取り扱う事務において使用するシステム",
              "3": "特定個人情報ファイル名", "4": "特定個人情報ファイルを取り扱う理由", "5": "個人番号の利用",
              "6": "情報提供ネットワークシステムによる情報連携", "7": "評価実施機関における担当部署", "8": "他の評価実施機関"},
    "other_measures": {"1": "監査", "2": "従業者に対する教育・啓発", "3": "その他のリスク対策"},
    "disclosure": {"1": "特定個人情報の開示・訂正・利用停止請求", "2": "特定個人情報ファイルの取扱いに関する問合せ"},
    "procedures": {"1": "基礎項目評価", "2": "国民・住民等からの意見の聴取", "3": "第三者点検",
                   "4": "個人情報保護委員会の承認"},
}.items()}

#: Items only one section of a part prints: where an item goes when its
#: section heading came out after it.
LABEL_SECTIONS: dict[str, dict[str, str]] = {
    "overview": OVERVIEW_SECTIONS,
    "other_measures": _by_stem({"自己点検": "1", "監査": "1", "具体的なチェック方法": "1", "具体的な内容": "1",
                                "従業者に対する教育・啓発": "2"}),
    "disclosure": _by_stem({"請求先": "1", "請求方法": "1", "手数料等": "1", "個人情報ファイル簿の公表": "1",
                            "個人情報ファイル名": "1", "公表場所": "1", "法令による特別の手続": "1",
                            "個人情報ファイル簿への不記載等": "1", "連絡先": "2", "対応方法": "2"}),
    "procedures": _by_stem({"しきい値判断結果": "1", "実施日・期間": "2", "期間を短縮する特段の理由": "2",
                            "主な意見の内容": "2", "評価書への反映": "2", "結果": "3", "提出日": "4",
                            "個人情報保護委員会による審査": "4"}),
}


def part_of_section(title: str) -> list[tuple[str, str]]:
    """(part kind, section no) of the parts whose template has this section title."""
    t = stem(title)
    return [(kind, no) for kind, secs in PART_SECTIONS.items() for s, no in secs.items()
            if t == s or t.startswith(s) or (len(t) >= 4 and s.startswith(t))]

#: III sections that print several risk names over one set of measures (4. 委託):
#: one unnumbered risk whose title is the names.
COMBINED_RISKS: dict[str, str] = {stem(name): "4" for name in (
    "委託先による特定個人情報の不正入手・不正な使用に関するリスク", "委託先による特定個人情報の不正な提供に関するリスク",
    "委託先による特定個人情報の保管・消去に関するリスク", "委託契約終了後の不正な使用等のリスク", "再委託に関するリスク",
)}

_EVAL = "リスクへの対策は十分か"
_OTHER = "その他の措置の内容"
_MEASURE = "リスクに対する措置の内容"
#: III: the items each risk prints, in order (a label may repeat: 具体的な管理方法).
RISK_ITEMS: dict[tuple[str, str], list[str]] = {key: [stem(x) for x in labels] for key, labels in {
    ("2", "1"): ["対象者以外の情報の入手を防止するための措置の内容", "必要な情報以外を入手することを防止するための措置の内容",
                 _OTHER, _EVAL],
    ("2", "2"): [_MEASURE, _EVAL],
    ("2", "3"): ["入手の際の本人確認の措置の内容", "個人番号の真正性確認の措置の内容", "特定個人情報の正確性確保の措置の内容",
                 _OTHER, _EVAL],
    ("2", "4"): [_MEASURE, _EVAL],
    ("3", "1"): ["宛名システム等における措置の内容", "事務で使用するその他のシステムにおける措置の内容", _OTHER, _EVAL],
    ("3", "2"): ["ユーザ認証の管理", "具体的な管理方法", "アクセス権限の発効・失効の管理", "具体的な管理方法",
                 "アクセス権限の管理", "具体的な管理方法", "特定個人情報の使用の記録", "具体的な方法", _OTHER, _EVAL],
    ("3", "3"): [_MEASURE, _EVAL],
    ("3", "4"): [_MEASURE, _EVAL],
    ("5", "1"): ["特定個人情報の提供・移転の記録", "具体的な方法", "特定個人情報の提供・移転に関するルール",
                 "ルールの内容及びルール遵守の確認方法", _OTHER, _EVAL],
    ("5", "2"): [_MEASURE, _EVAL],
    ("5", "3"): [_MEASURE, _EVAL],
    **{("6", str(n)): [_MEASURE, _EVAL] for n in range(1, 8)},
    ("7", "1"): ["NISC政府機関統一基準群", "安全管理体制", "安全管理規程", "安全管理体制・規程の職員への周知", "物理的対策",
                 "具体的な対策の内容", "技術的対策", "具体的な対策の内容", "バックアップ", "事故発生時手順の策定・周知",
                 "過去3年以内に、評価実施機関において、個人情報に関する重大事故が発生したか", "その内容", "再発防止策の内容",
                 "死者の個人番号", "具体的な保管方法", _OTHER, _EVAL],
    ("7", "2"): [_MEASURE, _EVAL],
    ("7", "3"): ["消去手順", "手順の内容", _OTHER, _EVAL],
}.items()}
