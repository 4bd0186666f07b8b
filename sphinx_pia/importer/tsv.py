"""The tab-separated layout (labels and values in tab-separated cells), shared
by the three forms.

The importer walks the lines once.  Structure comes from the form itself, never
from line numbers: part headings (「II 特定個人情報ファイルの概要」), numbered
section headings, entity headings (「システム1」, 「委託事項2」, 「提供先1」,
「リスク1:」) and the labelled rows under them.  「N.」 alone is ambiguous (a file
name looks like a section number, seed notes §5.5), so a section heading must
carry the next expected number.
"""

from __future__ import annotations

import re

from .cells import clean, has_markup, is_checks, is_choice, nfkc, parse_choice
from .coverage import Coverage
from .fields import CIRCLED, make_field, split_fused
from .forms import COVER_LABELS, PART_HEADINGS, cover_key, part_of
from .parsed import ParsedForm, new_file
from .records import parse_record_items
from .source import Line, SourceText
from .tables import is_change_row, parse_annex, parse_change_row

SECTION = re.compile(r"^(\d{1,2})\s*[.．]\s*(\S.*)$")
#: a file's own heading: 「1. 住民基本台帳ファイル」 or 「(1) 都道府県知事保存本人確認情報ファイル」
FILE_HEADING = re.compile(r"^(?:(\d{1,2})\s*[.．]|[(（]\s*(\d{1,2})\s*[)）])\s*(\S.*)$")
SYSTEM = re.compile(r"^システム\s*(\d+)$")
ENTRUST = re.compile(r"^委託事項\s*(\d+)$")
DEST = re.compile(r"^(提供先|移転先)\s*(\d+)$")
PLACEHOLDER = re.compile(r"^(システム|委託事項|提供先|移転先)\s*\d+\s*[～~〜-]\s*\d+$")
UNKNOWN_PART = re.compile(r"^(?:I{1,3}|IV|VI?|Ⅰ|Ⅱ|Ⅲ|Ⅳ|Ⅴ|Ⅵ)\s+[^\s\d(（]{3,}$")
OPTION_LINE = re.compile(r"^(?:\d{1,2}\)\s*\S|[<＜〈]選択肢[>＞〉]$)")
#: 「<中間サーバーにおける措置>」, 「〈花巻市における措置〉」: a heading inside a long value
PARAGRAPH_HEADING = re.compile(r"^(?:<p>)?[<＜〈](?!選択肢)[^<>＜＞〈〉A-Za-z/][^<>＜＞〈〉]*[>＞〉]")
DETAIL_STEP = re.compile(rf"^-?\s*(\d+-[{CIRCLED}])\s*(.*)$")
RISK = re.compile(r"^(リスク\s*(\d*)\s*[:：])\s*(.*)$")
class TsvImporter(ParsedForm):
    def __init__(self, src: SourceText, cov: Coverage):
        super().__init__(src, cov)
        # walking state
        self.part: dict | None = None
        self.part_kind: str | None = None
        self.file: dict | None = None
        self.iii_index = 0
        self.section: dict | None = None
        self.entity: dict | None = None
        self.item: dict | None = None  # the last field, for sub-items and continuation lines
        self.parent_item: dict | None = None  # the last numbered field: unnumbered labels nest under it
        self.last_field: dict | None = None  # the field made last, whatever its nesting
        self.open_field: dict | None = None  # a label printed alone, its value still to come
        self.appending: dict | None = None  # a value continued on the following lines
        self.pending_heading: tuple[str, int] | None = None  # a section heading whose text follows it
        self.blank_run = 0
        self.blanks_before = 0
        self.last_appended: dict | None = None  # survives one blank line, for paragraph headings

    # --- helpers ------------------------------------------------------------

    def where(self) -> str:
        parts = []
        if self.file is not None and self.part_kind in ("overview", "risk_measures"):
            parts.append(f"ファイル{self.file['no']}")
        if self.part is not None:
            parts.append(f"{self.part.get('numeral') or ''} {self.part.get('title') or ''}".strip())
        if self.section is not None:
            parts.append(f"{self.section.get('no')}. {self.section.get('title')}")
        return " ".join(parts) or "表紙"

    def add_item(self, field: dict, numbered: bool) -> None:
        target_items: list
        if self.entity is not None:
            target_items = self.entity.setdefault("items", [])
        elif self.section is not None:
            target_items = self.section.setdefault("items", [])
        elif self.part is not None:
            target_items = self.part.setdefault("items", [])
        else:
            target_items = self.cover
        if not numbered and self.parent_item is not None and self.parent_item in target_items:
            self.parent_item.setdefault("items", []).append(field)
        else:
            target_items.append(field)
            if numbered:
                self.parent_item = field
        self.item = self.last_field = field

    def reset_section(self) -> None:
        self.section = self.entity = self.item = self.parent_item = None

    # --- walking ------------------------------------------------------------

    def run(self) -> None:
        i = self._cover()
        self._finish_cover()
        n = len(self.lines)
        while i < n:
            i = self._line(i)

    def _cover(self) -> int:
        """表紙: title line, labelled blocks, and the table of contents."""
        current: dict | None = None
        i = 0
        while i < len(self.lines):
            ln = self.lines[i]
            head = ln.head
            if ln.blank:
                i += 1
                continue
            in_toc = current is not None and current.get("key") == "toc"
            if not in_toc and (part_of(head) or (len(ln.cells) == 1 and UNKNOWN_PART.match(head))):
                return i
            if self.title is None and "特定個人情報保護評価書" in head and len(ln.cells) == 1:
                self.title = {"text": head, "line": ln.no}
                self.cov.use(ln.no)
            elif ln.cells[0].strip() == "評価書番号" and len(ln.cells) >= 2:
                # a header row 「評価書番号⇥評価書名」 with the values on the next row
                self.cov.use(ln.no)
                values = self.lines[i + 1] if i + 1 < len(self.lines) else None
                for col, label in enumerate(c.strip() for c in ln.cells):
                    key = COVER_LABELS.get(label)
                    value = values.cells[col].strip() if values and col < len(values.cells) else ""
                    field = {"key": key, "label": label, "line": values.no if values else ln.no}
                    if value:
                        field["text"] = value
                    # counted by _finish_cover
                    self.cover.append(field)
                if values is not None:
                    self.cov.use(values.no)
                i += 2
                current = None
                continue
            elif (key := cover_key(head)) and len(ln.cells) == 1:
                label = head
                current = {"key": key, "label": label, "line": ln.no}
                self.cover.append(current)
                self.cov.use(ln.no)
            elif current is not None:
                self.cov.use(ln.no)
                if current["key"] == "toc":
                    current.setdefault("items", []).append({"text": head, "line": ln.no})
                    current["end_line"] = ln.no
                    # the contents list ends at the first blank line after its entries
                    if i + 1 < len(self.lines) and self.lines[i + 1].blank:
                        current = None
                else:
                    text = clean(ln.raw)
                    current["text"] = (current["text"] + "\n" + text) if "text" in current else text
                    current["end_line"] = ln.no
            i += 1
        return i

    def _finish_cover(self) -> None:
        for field in self.cover:
            if field.get("key") == "toc" or "gap" in field:
                continue
            if field.get("text"):
                self.cov.filled("表紙")
            else:
                field["gap"] = "empty"
                self.cov.left_empty("表紙", field.get("label") or "", field.get("line"), "ラベルの後に値がない。")

    def _line(self, i: int) -> int:
        ln = self.lines[i]
        if ln.blank:
            self.appending = None
            self.blank_run += 1
            return i + 1
        if self.blank_run > 1:
            self.open_field = None  # a value is awaited across one blank line at most
        self.blanks_before = self.blank_run
        self.blank_run = 0
        head = ln.head
        kind = part_of(head) if ln.cells[0].strip() else None
        if kind:
            return self._start_part(i, kind)
        if ln.cells[0].strip() and len(ln.cells) == 1 and UNKNOWN_PART.match(head):
            # a part this importer does not model (e.g. 基礎項目評価書's 「II しきい値判断項目」):
            # its lines stay unplaced and listed, rather than land in the previous part
            self.reset_section()
            self.part, self.part_kind, self.file = None, "unknown", None
            self.cov.problems.append(_note(head, ln.no, "この部は取込み機能が扱う様式の部にないため、以下の行は配置していない（配置できなかった行を参照）。"))
            return i + 1
        if self.part_kind == "unknown":
            return i + 1
        if self.part_kind == "record_items":
            return parse_record_items(self, i)
        if self.part_kind == "changes" or (is_change_row(ln) and self.part_kind in ("disclosure", "procedures", "changes")):
            return self._change(i)
        if self.part_kind == "annex":
            return parse_annex(self, i)
        return self._body(i)

    def _start_part(self, i: int, kind: str) -> int:
        ln = self.lines[i]
        self.cov.use(ln.no)
        head = ln.head
        numeral, title = PART_HEADINGS.split(head)
        self.reset_section()
        self.part_kind = kind
        if kind == "overview":
            self.file = new_file(str(len(self.files) + 1))
            self.files.append(self.file)
            self.part = self.file["overview"]
        elif kind == "risk_measures":
            self.iii_index += 1
            if self.iii_index <= len(self.files):
                self.file = self.files[self.iii_index - 1]
            else:
                self.cov.problems.append(
                    _note(self.where(), ln.no, "IIIの見出しに対応するIIのファイルがない。新しいファイルとして取り込んだ。"))
                self.file = new_file(str(len(self.files) + 1))
                self.files.append(self.file)
            self.part = self.file["risk_measures"]
        elif kind == "record_items":
            self.part = None
            self.record_file_index = 0
            return i + 1
        elif kind == "changes":
            self.changes = {"schema": "sphinx-pia/changes/1", "title": {"text": head, "line": ln.no}, "entries": []}
            self.part = None
            return i + 1
        elif kind == "annex":
            self.part = None
            return parse_annex(self, i)
        else:
            self.file = None
            same = next((p for p in self.parts if p["kind"] == kind), None)
            if same is not None and kind == "business_detail":
                # a second 「(別添1) 事務の内容」 heading: the next 事務 of the same part.
                # Its sections restart at 1, so both blocks get block-numbered IDs.
                self.part = same
                self.detail_block = getattr(self, "detail_block", 1) + 1
                if self.detail_block == 2:
                    for sec in same["sections"]:
                        sec["id"] = f"business-detail-1-{sec['no']}"
                same.setdefault("items", []).append({"text": head, "line": ln.no})
                self.cov.use(ln.no)
                return i + 1
            self.part = {"kind": kind}
            self.parts.append(self.part)
        self.part.update({"numeral": numeral, "title": title, "line": ln.no})
        self.part.setdefault("sections", [])
        return i + 1

    def _change(self, i: int) -> int:
        ln = self.lines[i]
        if self.changes is None:
            self.changes = {"schema": "sphinx-pia/changes/1",
                            "title": {"gap": "missing", "line": ln.no,
                                      "note": "本文に変更箇所の表題がない（取込み時に検出）。"},
                            "entries": []}
            self.part_kind = "changes"
            self.part = None
        cells = [c.strip() for c in ln.cells]
        if cells[:2] == ["変更日", "項目"]:
            self.changes["header"] = {"text": " ".join(c for c in cells if c), "line": ln.no}
            self.cov.use(ln.no)
            return i + 1
        if set(ln.raw.strip()) <= set("-—ー‐ \t"):
            self.cov.use(ln.no)  # a rule line closing the table
            return i + 1
        entry = parse_change_row(ln, self.cov)
        if entry is None:
            return i + 1
        self.changes["entries"].append(entry)
        return i + 1

    def _body(self, i: int) -> int:
        ln = self.lines[i]
        if self.part is None:
            return i + 1  # listed as unplaced by the coverage report
        cells = ln.cells
        first = cells[0].strip()
        if len(cells) > 1 and has_markup(first):
            # a label cell wrapped in markup (「<p>具体的な方法</p>」): the label is its text
            first = clean(first).replace("\n", " ")
        rest = "\t".join(cells[1:])
        where = self.where()

        # rule lines (「--⇥--」) mark an empty value
        if set(ln.raw.strip()) <= set("-‐ \t"):
            self.cov.use(ln.no)
            return i + 1

        # a numbered section heading
        m = SECTION.match(first)
        if m and self._is_section(int(m.group(1)), m.group(2), i):
            self._start_section(ln, nfkc(m.group(1)), m.group(2).strip(), rest)
            return i + 1

        # the single file-name line after 「1. 特定個人情報ファイル名」 in II/III
        if self.section is not None and self.part_kind in ("overview", "risk_measures") \
                and self.section.get("no") == "1" and not self.section.get("items"):
            field = {"key": "file_name", "text": first, "line": ln.no}
            self.section.setdefault("items", []).append(field)
            self.cov.use(ln.no)
            self.cov.filled(where)
            if self.part_kind == "overview" and self.file is not None and self.file["name"] is None:
                name = FILE_HEADING.match(first)
                self.file["name"] = {"text": name.group(3).strip() if name else first, "line": ln.no}
                if name:
                    self.file["name"]["raw"] = first
                    self.file["no"] = nfkc(name.group(1) or name.group(2))
            name = FILE_HEADING.match(first)
            if name:
                field["text"], field["raw"] = name.group(3).strip(), first
            return i + 1

        if self.part_kind == "risk_measures" and self.section is not None and not self.section.get("risks") \
                and not self.section.get("items") and not rest.strip() and clean(first).endswith("リスク") \
                and not RISK.match(first):
            return self._choice_and_risks(ln, i)

        if self.part_kind == "business_detail" and len([c for c in cells if c.strip()]) == 1:
            return self._detail_line(ln, i)

        # entity headings
        if (m := SYSTEM.match(first)) and self.section is not None:
            return self._entity(ln, "systems", m.group(1), first, rest, i)
        if (m := ENTRUST.match(first)) and self.section is not None:
            return self._entity(ln, "entrustments", m.group(1), first, rest, i)
        if (m := DEST.match(first)) and self.section is not None:
            group = "provisions" if m.group(1) == "提供先" else "transfers"
            return self._entity(ln, group, m.group(2), first, rest, i)
        if PLACEHOLDER.match(first) and self.section is not None:
            self.entity = None
            self.section.setdefault("items", []).append({"label": first, "line": ln.no, "gap": "empty",
                                                         "note": "様式上の空欄の枠である（記載なし）。"})
            self.cov.use(ln.no)
            return i + 1
        if (m := RISK.match(first)) and self.section is not None:
            risk = {"title": {"label": m.group(1), "text": (m.group(3) + " " + rest).strip(), "line": ln.no}, "line": ln.no, "items": []}
            if m.group(2):
                risk["no"] = nfkc(m.group(2))
            self.section.setdefault("risks", []).append(risk)
            self.entity = risk
            self.item = self.parent_item = None
            self.cov.use(ln.no)
            self.cov.filled(where)
            return i + 1

        filled_cells = [c.strip() for c in cells if c.strip()]
        if filled_cells and all(OPTION_LINE.match(c) for c in filled_cells) and self._more_options(ln):
            return i + 1
        if len(filled_cells) == 1 and not _looks_like_label(first) and self.continuation(ln):
            return i + 1
        if PARAGRAPH_HEADING.match(first) and self._continue_paragraph(ln):
            return i + 1
        self.pending_heading = None

        # a group label with a labelled sub-row in the same line:
        # 「④使用の主体⇥使用部署⇥市民課…」, 「再委託⇥④再委託の有無 ※ [再委託しない] …」
        if first and len(cells) >= 2 and (sub := self._sub_row(cells)) is not None:
            sub_label, sub_value = sub
            group = make_field(first, "", ln.no, self.cov, where)
            group.pop("gap", None)
            self.cov.drop_empty(ln.no, first)
            self.add_item(group, first[:1] in CIRCLED)
            self.parent_item = group
            field = make_field(sub_label, sub_value, ln.no, self.cov, where)
            group.setdefault("items", []).append(field)
            self.item = field
            self.appending = self.open_field = None
            self.cov.use(ln.no)
            return i + 1

        # a labelled row
        if first:
            label, value = first, rest
            fused = split_fused(first) if not rest.strip() else None
            if fused:
                label, value = fused
            if self.entity is not None and "その他のリスク" in label and self.part_kind == "risk_measures":
                self.entity = None  # a section-level 「…におけるその他のリスク」 ends the risk
            numbered = label[0] in CIRCLED
            field = make_field(label, value, ln.no, self.cov, where)
            self.appending = None
            self.open_field = None
            if field.get("gap") == "empty" and not value.strip():
                # the value may follow on the next lines (multi-line cells, seed notes §5.6)
                self.open_field = field
            self.add_item(field, numbered)
            self.cov.use(ln.no)
            return i + 1

        # a row whose first cell is empty: a sub-label under the current item
        if not first and len(cells) > 1:
            sub_label = cells[1].strip()
            value = "\t".join(cells[2:])
            fused = split_fused(sub_label) if not value.strip() else None
            if fused:
                sub_label, value = fused
            field = make_field(sub_label, value, ln.no, self.cov, where)
            if self.item is not None and sub_label[:1] not in CIRCLED:
                self.item.setdefault("items", []).append(field)
            else:
                self.add_item(field, sub_label[:1] in CIRCLED)
            self.last_field = field
            self.cov.use(ln.no)
            return i + 1
        return i + 1

    def _choice_and_risks(self, ln: Line, i: int) -> int:
        """全項目 III.4: the risk names printed in one cell (with 「[] 委託しない」 in
        front of them, or on the heading line); the measures that follow answer all
        of them, so they form one unnumbered risk."""
        blocks = [b for b in re.split(r"</p>\s*", ln.head) if b.strip()]
        choice = [b for b in blocks if is_checks(b)]
        names = [b for b in blocks if not is_checks(b)]
        if choice:
            self.section["choice"] = make_field(None, " ".join(choice), ln.no, self.cov, self.where())
        risk = {"title": {"text": clean(" ".join(names)), "raw": ln.head, "line": ln.no}, "line": ln.no, "items": []}
        self.section.setdefault("risks", []).append(risk)
        self.entity = risk
        self.item = self.parent_item = None
        self.cov.use(ln.no)
        self.cov.filled(self.where())
        return i + 1

    def _detail_line(self, ln: Line, i: int) -> int:
        """別添1 事務の内容: numbered steps (「- 1-①市町村において…」) and notes."""
        text = ln.head
        m = DETAIL_STEP.match(text)
        field = {"label": m.group(1), "text": m.group(2).strip(), "line": ln.no} if m else {"text": clean(text), "line": ln.no}
        target = self.section if self.section is not None else self.part
        target.setdefault("items", []).append(field)
        self.cov.use(ln.no)
        self.cov.filled(self.where())
        return i + 1

    @staticmethod
    def _sub_row(cells: list[str]) -> tuple[str, str] | None:
        second = cells[1].strip()
        if not second:
            return None
        if len(cells) == 2 and (fused := split_fused(second)) is not None:
            return fused
        if len(cells) >= 3 and cells[2].strip() and len(second) <= 12 and not is_markup_or_choice(second):
            return second, "\t".join(cells[2:])
        return None

    def _is_section(self, no: int, title: str, i: int) -> bool:
        current = int(self.section["no"]) if self.section and str(self.section.get("no", "")).isdecimal() else 0
        # a section may be missing from the extraction (seed notes §5.3): allow a skip
        if not current < no <= current + 3:
            return False
        # In II/III, 「1. 特定個人情報ファイル名」 is followed by the file's own 「N. name」 line.
        if self.section is not None and self.section.get("no") == "1" and self.part_kind in ("overview", "risk_measures") \
                and not self.section.get("items"):
            return False
        return True

    def _start_section(self, ln: Line, no: str, title: str, rest: str) -> None:
        self.entity = self.item = self.parent_item = None
        self.open_field = self.appending = None
        sec: dict = {"no": no, "title": title, "line": ln.no}
        if getattr(self, "detail_block", 1) > 1 and self.part_kind == "business_detail":
            sec["id"] = f"business-detail-{self.detail_block}-{no}"
        if rest.strip():
            if self.part_kind == "basic" and no == "3":
                sec["items"] = [make_field(None, rest, ln.no, self.cov, self.where())]
            else:
                sec["choice"] = make_field(None, rest, ln.no, self.cov, self.where())
        else:
            # 「10. その他のリスク対策」, 「3. 特定個人情報ファイル名」: the text follows the heading
            self.pending_heading = (ln.head, ln.no)
        self.part["sections"].append(sec)
        self.section = sec
        self.cov.use(ln.no)

    def _entity(self, ln: Line, group: str, no: str, label: str, rest: str, i: int) -> int:
        no = nfkc(no)  # the model keeps numbers in ASCII digits; the label keeps the printed form
        if group in ("provisions", "transfers") and "提供・移転" not in (self.section.get("title") or "") \
                and self.part_kind == "overview":
            # 「移転先1」 under another section: the 「5. 特定個人情報の提供・移転」 heading
            # was lost in extraction (seed notes §5.3).  Open the section, and say so.
            prev = int(self.section["no"]) if str(self.section.get("no", "")).isdecimal() else 0
            sec = {"no": str(prev + 1), "line": ln.no,
                   "note": f"節の見出しが抽出テキストにない。{label}（{ln.no}行）から、提供・移転の節として取り込んだ。"}
            self.part["sections"].append(sec)
            self.section = sec
            self.cov.problems.append(_note(self.where(), ln.no, sec["note"]))
        existing = self.section.setdefault(group, [])
        last = max((int(e["no"]) for e in existing if str(e.get("no", "")).isdecimal()), default=0)
        if no.isdecimal() and int(no) > last + 1:
            # numbers skipped: those entities are missing from the source, not absent from the form
            for k in range(last + 1, int(no)):
                note = f"{label.rstrip('0123456789')}{k}は抽出テキストにない（{ln.no}行の{label}の前で番号が飛んでいる）。"
                existing.append({"no": str(k), "line": ln.no, "gap": "missing", "note": note})
                self.gaps.append({"where": f"{self.where()} {label.rstrip('0123456789')}{k}", "kind": "missing",
                                  "line": ln.no, "note": note})
                self.cov.problems.append(_note(self.where(), ln.no, note))
        ent: dict = {"no": no, "line": ln.no, "items": []}
        title: dict = {"label": label, "line": ln.no}
        nxt = i + 1
        if rest.strip():
            title["text"] = clean(rest)
        elif group == "entrustments" and i + 1 < len(self.lines):
            # 「委託事項1⇥」 with the title on the next line (seed notes §5.5)
            following = self.lines[i + 1]
            f_head = following.head
            if f_head and len([c for c in following.cells if c.strip()]) == 1 and f_head[0] not in CIRCLED \
                    and not SECTION.match(f_head) and not ENTRUST.match(f_head) and not PLACEHOLDER.match(f_head):
                title["text"] = f_head
                self.cov.use(following.no)
                nxt = i + 2
        ent["title"] = title
        existing.append(ent)
        self.entity = ent
        self.item = self.parent_item = None
        self.cov.use(ln.no)
        self.cov.filled(self.where())
        return nxt

    def _more_options(self, ln: Line) -> bool:
        """「1) 特に力を入れて行っている 2) …」 on the lines after a choice (or the option
        grid printed again, seed notes §5.2): part of the choice's cell."""
        field = self.last_field if self.last_field is not None and "select" in self.last_field else self.item
        if field is None or "select" not in field:
            return False
        raw = field["select"]["raw"] + "\n" + ln.raw.strip()
        choice = parse_choice(raw)
        field["select"]["raw"] = raw
        field["select"]["options"] = choice.options
        field["end_line"] = ln.no
        self.cov.use(ln.no)
        return True

    def _continue_paragraph(self, ln: Line) -> bool:
        """A paragraph heading such as 「<中間サーバーにおける措置>」 after a blank line
        continues the multi-line value above it."""
        field = self.appending or (self.last_appended if self.blanks_before <= 1 else None)
        if field is None or "text" not in field:
            return False
        self.appending = field
        return self.continuation(ln)

    def continuation(self, ln: Line) -> bool:
        """A label-less line that carries the value of the field above it."""
        text = clean(ln.raw)
        if not text:
            return False
        field = self.appending or self.open_field
        if field is None and self.pending_heading is not None and self.section is not None:
            label, line = self.pending_heading
            field = {"label": label, "line": ln.no, "gap": "empty"}
            self.section.setdefault("items", []).append(field)
            self.pending_heading = None
        if field is None:
            return False
        if field.get("gap") == "empty" and "text" not in field:
            del field["gap"]
            self.cov.drop_empty(field["line"])
            field["text"] = text
            if text != ln.raw.strip():
                field["raw"] = ln.raw.strip()
            field["line"] = ln.no
            self.cov.filled(self.where())
        else:
            raw_before = field.get("raw") or field["text"]
            field["text"] = field["text"] + "\n" + text
            if "raw" in field or text != ln.raw.strip():
                field["raw"] = raw_before + "\n" + ln.raw.strip()
            field["end_line"] = ln.no
        self.open_field = None
        self.appending = self.last_appended = field
        self.item = field
        self.cov.use(ln.no)
        return True


def is_markup_or_choice(cell: str) -> bool:
    return is_choice(cell) or is_checks(cell) or "<" in cell or "[" in cell


def _looks_like_label(text: str) -> bool:
    """A label printed alone on its line, never a continued value."""
    from .fields import KNOWN_LABELS, key_for, label_stem

    return text[:1] in CIRCLED or text.rstrip().endswith("※") or key_for(text) is not None \
        or label_stem(text) in KNOWN_LABELS or split_fused(text) is not None


def _note(where: str, line: int, why: str):
    from .coverage import Note

    return Note(where, line, why)
