"""The form body (cover, parts I-VI, 別添1, 別添2) in the column-interleaved layout.

The PDF's label column and value column come out one after the other, and the
rows of a page are sometimes emitted bottom-up.  What survives reliably is the
label marker: a label line starts with exactly one ASCII space, a value line
never does (seed notes §0.5).  The harvester therefore

1. cuts the text into *segments*: a label (joined across its wrapped lines
   with the form's label vocabulary) and the value lines that follow it up to
   the next label, setting apart the printed option lists (「＜選択肢＞」,
   「1） 特に力を入れている」), which go with the choice they offer;
2. moves what the extraction printed away from its label back to it, within
   its page: a chosen value (「記録を残している[」), checkbox lines, option lists,
   text at the top of a page before its label, texts of stacked labels;
3. places each segment by the structure the form prints: part headings, the
   file a part is about (「（２）本人確認情報ファイル」), section headings, risk
   headings, and the 全項目評価書 template (``zenkomoku``) for what the order
   of the text does not settle: which section an item or a risk title belongs
   to, and which items each risk prints;
4. groups the fields of entities (システム, 委託事項, 提供先, 移転先) by their
   items: an entity prints each item once, so a repeated item starts the next
   entity, and a heading names the entity it falls in or the one after it.

Placement is a best guess wherever rows were reordered; the coverage report
says so, and every line is either placed or listed.
"""

from __future__ import annotations

import re
from collections import Counter

from .cells import nfkc
from .coverage import Note
from .fields import CIRCLED, key_for
from .forms import PART_HEADINGS, STAMP, cover_key, part_of
from .interleaved_cells import check_group, chosen_value, is_check_line, options_of, split_boxes
from .interleaved_pages import Segment, is_label_line, pair_choices, pair_leading_values, split_stacked_labels
from .interleaved_text import column_width, join_lines
from .parsed import new_file
from .zenkomoku import (
    CHECK_LABELS,
    CHOICE_LABELS,
    COMBINED_RISKS,
    ENTITY_HOME,
    ENTITY_LABELS,
    LABEL_SECTIONS,
    PART_ORDER,
    RISK_ITEMS,
    RISK_TITLES,
    SECTION_TOPICS,
    SECTION_VALUE_KEYS,
    VOCABULARY,
    part_of_section,
    stem,
)

#: 「・介護保険に関する事務　…　保健福祉局高齢保健福祉部介護保険課」
PAIR = re.compile(r"^・(.+?)\s*…\s*(\S.*)$")
NOTE_HEADING = re.compile(r"^≪.+≫$")
SECTION = re.compile(r"^([0-9０-９]{1,2})[.．]\s*(\S.*)$")
FILE_NAME = re.compile(r"^[(（]([0-9０-９]{1,2})[)）]\s*(\S.*)$")
SYSTEM = re.compile(r"^システム\s*([0-9０-９]+)$")
ENTRUST = re.compile(r"^委託事項\s*([0-9０-９]+)(?:\s+(\S.*))?$")
DEST = re.compile(r"^(提供先|移転先)\s*([0-9０-９]+)(?:\s+(\S.*))?$")
RISK = re.compile(r"^リスク\s*([0-9０-９]*)\s*[:：]\s*(\S.*)$")
#: printed option lists and stray bracket halves: kept apart from the values
OPTION = re.compile(r"^(?:[<＜]選択肢[>＞]\]?|\]|\[|\[\s*\]|(?:\]?\s*[0-9]{1,2}[)）]\s*\S[^\[\]]*?\s*)+\[?\s*\]?)$")
DETAIL_STEP = re.compile(rf"^\s*(\d+[-－][{CIRCLED}](?:\s*[、,]\s*-?[{CIRCLED}])*)[.．]\s*(.*)$")



class FormHarvester:
    def __init__(self, imp, a: int, b: int):
        self.imp = imp
        self.cov = imp.cov
        self.lines = imp.lines
        self.a, self.b = a, b

    # --- 1. segments --------------------------------------------------------

    def _label_end(self, i: int, text: str) -> tuple[str, str, int]:
        """The whole label starting on line i (wrapped labels joined), the value
        printed on its line, and the index after the label's last line."""
        lines = self.lines
        label, _, rest = text.partition(" ")
        if rest.strip() == "※" or rest.startswith("※ ") or rest.startswith("※\u3000"):
            label, rest = label + " ※", rest[1:].strip()
        rest = rest.strip()
        j = i + 1
        if not rest:
            # a label wrapped over lines: join while the joined text is (the start of) a known label
            while True:
                k = j
                while k < self.b and lines[k].blank:
                    k += 1
                if k >= self.b or is_label_line(lines[k].raw) or k - j > 1:
                    break
                nxt = lines[k].raw.strip()
                joined = stem(label + nxt)
                if stem(label) in VOCABULARY or not any(v.startswith(joined) for v in VOCABULARY):
                    break
                label = label + nxt
                j = k + 1
        return label, rest, j

    def segments(self) -> list:
        """Label segments, headings and stray value lines, in text order."""
        out: list = []
        lines = self.lines
        current: Segment | None = None
        blank = 0
        block = 0
        block_start = 0  # len(out) when the current page block began
        part_kind = None
        i = self.a
        while i < self.b:
            ln = lines[i]
            if ln.blank:
                blank += 1
                i += 1
                continue
            page_break = blank >= 3
            block += page_break
            if page_break:
                block_start = len(out)
            blank = 0
            raw = ln.raw.rstrip()
            text = raw.strip()
            if kind := part_of(text):
                out.append(("part", ln.no, text))
                part_kind = kind
                current = None
                i += 1
                continue
            if NOTE_HEADING.match(text):
                # 「≪左欄にある※について…≫」: a printed heading over its own paragraph
                current = Segment(text, ln.no, label_lines=[ln.no], block=block)
                out.append(current)
                i += 1
                continue
            if is_label_line(raw):
                body = raw[1:]
                heading = self._heading(body)
                if heading is not None and heading[0] == "entity" and not heading[3]:
                    # 「 移転先1」 with its name on the next lines: a heading segment
                    current = Segment(body.strip(), ln.no, label_lines=[ln.no], heading=heading, block=block)
                    out.append(current)
                    i += 1
                    continue
                if heading is not None:
                    out.append(heading + (ln.no,))
                    current = None
                    if heading[0] == "section":
                        # text printed under a section heading is the section's own value (「７．備考」)
                        current = Segment(None, ln.no, block=block, section=heading[1])
                        out.append(current)
                    i += 1
                    continue
                label, rest, j = self._label_end(i, body)
                current = Segment(label, ln.no, label_lines=[lines[k].no for k in range(i, j) if not lines[k].blank],
                                  block=block)
                if rest:
                    current.values.append((ln.no, rest))
                out.append(current)
                i = j
                continue
            if (m := FILE_NAME.match(text)) and part_kind in ("overview", "risk_measures", "record_items"):
                out.append(("file", ln.no, text, nfkc(m.group(1)), m.group(2).strip()))
                current = None
                i += 1
                continue
            if OPTION.match(text):
                # a printed option list: kept with the choice it offers (paired later)
                if current is None or page_break:
                    current = Segment(None, ln.no, block=block)
                    out.append(current)
                current.options.append((ln.no, text))
                i += 1
                continue
            if current is None or page_break:
                current = Segment(None, ln.no, block=block, top=len(out) == block_start)
                out.append(current)
            current.values.append((ln.no, text))
            i += 1
        return out

    def _heading(self, body: str):
        text = body.strip()
        if m := RISK.match(text):
            return ("risk", nfkc(m.group(1)) or None, m.group(2).strip(), text)
        if m := SYSTEM.match(text):
            return ("entity", "systems", nfkc(m.group(1)), None, text)
        if m := ENTRUST.match(text):
            return ("entity", "entrustments", nfkc(m.group(1)), m.group(2), text)
        if m := DEST.match(text):
            group = "provisions" if m.group(1) == "提供先" else "transfers"
            return ("entity", group, nfkc(m.group(2)), m.group(3), text)
        if m := SECTION.match(text):
            return ("section", nfkc(m.group(1)), m.group(2).strip(), text)
        return None

    # --- 2. placement -------------------------------------------------------

    def run(self) -> None:
        self.part: dict | None = None
        self.kind: str | None = None
        self.file: dict | None = None
        self.section: dict | None = None
        self.entity: dict | None = None
        self.pending: dict = {}  # (part, section) -> entity headings and fields, resolved at the end
        self.detail_repeated: list[tuple[int, str]] = []  # 別添1 lines printed a second time
        self.last_group: str | None = None  # the entity group of the last field placed
        self.seen_parts: dict[str, int] = {}
        self.entered_early: str | None = None  # a part entered before its heading came out
        self.records: dict | None = None  # the record-item list being read
        self.detail_repeat = False  # inside the second printing of 別添1's 備考
        self.detail_diagram: dict | None = None  # 別添1's diagram labels, after the flows
        self.toc = self._toc_lines()
        self.cover_segments: list[Segment] = []
        self.full = column_width([ln.raw for ln in self.lines[self.a:self.b] if not ln.blank and ln.raw[:1] != " "])
        items = self.segments()
        segs = [x for x in items if isinstance(x, Segment)]
        for seg in segs:
            self._vertical_labels(seg)
        pair_choices(segs)
        pair_leading_values(segs)
        split_stacked_labels(segs)
        for item in items:
            if isinstance(item, Segment):
                self._segment(item)
            else:
                getattr(self, "_on_" + item[0])(*item[1:])
        self._cover()
        self._finish()

    def _vertical_labels(self, seg: Segment) -> None:
        """A group label printed vertically (「再」「委」「託」, one character a
        line) is the form's row heading, not part of the value above it."""
        vals = seg.values
        k = 0
        while k < len(vals):
            j = k
            while j < len(vals) and len(vals[j][1]) == 1 and (j == k or vals[j][0] - vals[j - 1][0] <= 2):
                j += 1
            if j - k >= 2:
                word = "".join(t for _, t in vals[k:j])
                self.cov.low(seg.label or "見出しのない値", vals[k][0], f"縦書きの見出し「{word}」（{vals[k][0]}–{vals[j - 1][0]}行）は値に含めなかった。")
                for n, _ in vals[k:j]:
                    self.cov.use(n)
                del vals[k:j]
            else:
                k += 1

    def where(self) -> str:
        out = []
        if self.file is not None and self.kind in ("overview", "risk_measures"):
            out.append(f"ファイル{self.file['no']}")
        if self.part is not None:
            out.append(f"{self.part.get('numeral') or ''} {self.part.get('title') or ''}".strip())
        if self.section is not None:
            out.append(f"{self.section.get('no')}. {self.section.get('title') or ''}".strip())
        return " ".join(out) or "表紙"

    def _toc_lines(self) -> set[int]:
        """The cover's 項目一覧: a run of part headings around 「項目一覧」."""
        rows = [(ln.no, ln.raw.strip()) for ln in self.lines[self.a:self.b] if not ln.blank]
        at = next((k for k, (_, t) in enumerate(rows) if t == "項目一覧"), None)
        if at is None:
            return set()
        def is_entry(t: str) -> bool:
            return t == "項目一覧" or part_of(t) is not None

        lo = at
        while lo > 0 and is_entry(rows[lo - 1][1]):
            lo -= 1
        hi = at
        while hi + 1 < len(rows) and is_entry(rows[hi + 1][1]):
            hi += 1
        return {no for no, _ in rows[lo:hi + 1]}

    # headings

    def _on_part(self, no: int, text: str) -> None:
        if no in self.toc:
            self._toc_entry(no, text)
            return
        kind = part_of(text)
        numeral, title = PART_HEADINGS.split(text)
        self.cov.use(no)
        self.section = self.entity = None
        if kind == self.entered_early and self.kind == kind:
            # the heading of the part we entered early: same file, not the next one
            self.entered_early = None
            if "line" not in self.part:
                self.part.update({"numeral": numeral, "title": title, "line": no})
            return
        self.kind = kind
        count = self.seen_parts[kind] = self.seen_parts.get(kind, 0) + 1
        if kind in ("overview", "risk_measures"):
            self.file = self._file(str(count))
            self.part = self.file[kind]
        elif kind == "record_items":
            self.part = None
            self.file = None
            return
        elif kind in ("changes", "annex"):
            # the table's heading without the table (its column header was not found):
            # not a part of the form; the heading and what follows stay unplaced
            self.part = self.file = None
            self.cov.used.discard(no)
            self.cov.problems.append(Note(text, no, "表の見出しはあるが、表の列見出しが見つからないため表として取り込まなかった。"))
            return
        else:
            self.file = None
            self.part = self._shared_part(kind)
        self.part.setdefault("sections", [])
        if "line" not in self.part:
            self.part.update({"numeral": numeral, "title": title, "line": no})

    def _toc_entry(self, no: int, text: str) -> None:
        toc = next((f for f in self.imp.cover if f.get("key") == "toc"), None)
        if toc is None:
            toc = {"key": "toc", "label": "項目一覧", "line": no, "items": []}
            self.imp.cover.append(toc)
        self.cov.use(no)
        if text == "項目一覧":
            return
        toc["items"].append({"text": text, "line": no})
        toc["end_line"] = no

    def _file(self, no: str) -> dict:
        for f in self.imp.files:
            if f["no"] == no:
                return f
        f = new_file(no)
        self.imp.files.append(f)
        self.imp.files.sort(key=lambda x: int(x["no"]) if x["no"].isdecimal() else 0)
        return f

    def _on_file(self, no: int, text: str, n: str, name: str) -> None:
        if self.kind in ("overview", "risk_measures"):
            self.cov.use(no)
            f = self._file(n)
            if f is not self.file:
                self.file = f
                self.part = f[self.kind]
                self.part.setdefault("sections", [])
                self.section = self.entity = None
            if f["name"] is None:
                f["name"] = {"text": name, "raw": text, "line": no}
            sec = self._section("1")
            if not any(i.get("key") == "file_name" for i in sec.get("items", [])):
                sec.setdefault("items", []).append({"key": "file_name", "text": text, "line": no})
                self.cov.filled(self.where())
            return
        if self.kind == "record_items":
            self.cov.use(no)
            f = self._file(n)
            self.records = {"heading": text, "line": no, "groups": [{"label": None, "items": []}], "_text": []}
            f["record_items"] = self.records
            return
        # elsewhere (I.3, I.4) a file name is part of a value
        self._value_line(no, text)

    def _section(self, no: str, title: str | None = None, line: int | None = None) -> dict:
        for sec in self.part["sections"]:
            if sec["no"] == no:
                if title and not sec.get("title"):
                    sec.update(title=title, line=line)
                return sec
        sec = {"no": no, "line": line} if line else {"no": no}
        if title:
            sec["title"] = title
        self.part["sections"].append(sec)
        self.part["sections"].sort(key=lambda s: int(s["no"]) if str(s["no"]).isdecimal() else 0)
        return sec

    def _later_part(self, kind: str) -> None:
        """Enter a part whose own heading has not come out yet (printed lower on
        a page emitted bottom-up).  Only forward: the form's order is fixed."""
        here = PART_ORDER.index(self.kind) if self.kind in PART_ORDER else -1
        if PART_ORDER.index(kind) <= here:
            return
        self.section = self.entity = None
        if kind == "overview":
            # the first file's II, whose heading comes further down the page
            count = self.seen_parts[kind] = self.seen_parts.get(kind, 0) + 1
            self.kind, self.file = kind, self._file(str(count))
            self.part = self.file[kind]
            self.part.setdefault("sections", [])
            self.entered_early = kind
            return
        self.kind, self.file = kind, None
        self.part = self._shared_part(kind)

    def _shared_part(self, kind: str) -> dict:
        """The part (not about one file) of this kind, made when first met."""
        part = next((p for p in self.imp.parts if p["kind"] == kind), None)
        if part is None:
            part = {"kind": kind, "sections": []}
            self.imp.parts.append(part)
        return part

    def _on_section(self, no: str, title: str, text: str, line: int) -> None:
        homes = part_of_section(title)
        if homes and self.kind not in [k for k, _ in homes]:
            for kind, home_no in homes:
                if home_no == no:
                    self._later_part(kind)
                    break
        if self.part is None:
            self._stray(line, text)
            return
        self.cov.use(line)
        sec = self._section(no, title, line)
        if sec is not self.section:
            # the heading of the section we are already in (printed below its first
            # risk on a page emitted bottom-up) does not close that risk
            self.section, self.entity = sec, None

    def _on_risk(self, no: str | None, title: str, text: str, line: int) -> None:
        if self.kind != "risk_measures" or self.part is None:
            self._stray(line, text)
            return
        current = self.section["no"] if self.section else "1"
        t = stem(title)
        candidates = [sec for sec, titles in RISK_TITLES.items() if (titles.get(no) == t if no else t in titles.values())]
        if current in candidates or not candidates:
            target = current
        else:
            later = [c for c in candidates if int(c) >= int(current)]
            target = later[0] if later else candidates[-1]
        self.section = self._section(target)
        risks = self.section.setdefault("risks", [])
        risk = next((r for r in risks if r.get("no") == no), None) if no else None
        if risk is None:
            risk = {"title": {"label": text.split(title)[0].strip() or None, "text": title, "line": line},
                    "line": line, "items": []}
            if no:
                risk["no"] = no
            risks.append(risk)
            risks.sort(key=lambda r: int(r.get("no") or 0))
        self.cov.use(line)
        self.cov.filled(self.where())
        self.entity = risk

    def _on_entity(self, group: str, no: str, title: str | None, text: str, line: int,
                   title_lines: list[tuple[int, str]] | None = None) -> None:
        home = ENTITY_HOME[group]
        if self.kind != home[0] or self.part is None:
            self._stray(line, text)
            return
        self.section = self._section(home[1])
        self.entity = None
        if title_lines:
            title = "\n".join(t for _, t in title_lines)
            for n, _ in title_lines:
                self.cov.use(n)
        self.cov.use(line)
        self._queue(home[1]).append(("head", group, no, title, text, line))

    def _queue(self, section_no: str) -> list:
        """Entity headings and entity fields of one section, in text order:
        which field belongs to which entity is decided once all are seen."""
        key = (id(self.part), section_no)
        if key not in self.pending:
            self.pending[key] = (self.part, section_no, [])
        return self.pending[key][2]

    # fields

    def _target(self, label: str) -> list:
        st = stem(label)
        if self.part is not None and st not in LABEL_SECTIONS.get(self.kind, {}):
            later = [k for k, labels in LABEL_SECTIONS.items() if st in labels and k != "overview"]
            if len(later) == 1:
                self._later_part(later[0])
        if self.part is not None and (sec := LABEL_SECTIONS.get(self.kind, {}).get(st)):
            if self.section is None or self.section["no"] != sec:
                self.section, self.entity = self._section(sec), None
        if self.kind == "risk_measures" and self.part is not None and "その他のリスク" in st:
            topic = st.split("における")[0].split("に伴う")[0]
            for name, sec in SECTION_TOPICS.items():
                if topic.startswith(name):
                    self.section, self.entity = self._section(sec), None
                    break
        if self.entity is not None:
            return self.entity["items"]
        if self.section is not None:
            return self.section.setdefault("items", [])
        if self.part is not None:
            return self.part.setdefault("items", [])
        return self.imp.cover

    def _segment(self, seg: Segment) -> None:
        if self.part is None and self.kind != "record_items":
            self.cover_segments.append(seg)
            return
        if self.kind == "record_items":
            for n, t in seg.values:
                self._value_line(n, t)
            if seg.label:
                self._stray(seg.line, seg.label)
            return
        if self.kind == "business_detail":
            if seg.label is not None and stem(seg.label) in LABEL_SECTIONS["overview"]:
                self._later_part("overview")  # II's items printed above II's heading
                self._segment(seg)
                return
            self._detail(seg)
            return
        if seg.section is not None:
            if seg.values:
                self._section_value(seg)
            return
        if seg.heading is not None:
            _, group, no, _, text = seg.heading
            self._on_entity(group, no, None, text, seg.line, seg.values)
            return
        if seg.label is None:
            self._orphan(seg)
            return
        if self.kind == "risk_measures" and not seg.values and (sec_no := COMBINED_RISKS.get(stem(seg.label))):
            self._combined_risk(sec_no, seg)
            return
        group = self._entity_group(seg.label)
        if group is not None:
            fld = self._field(seg)
            self._queue(ENTITY_HOME[group][1]).append(("field", group, fld))
            self.last_group = group
            self.entity = None
            return
        self.last_group = None
        items = self._target(seg.label)
        fld = self._field(seg)
        items.append(fld)

    def _combined_risk(self, sec_no: str, seg: Segment) -> None:
        """One of the risk names III.4 prints together: they title one unnumbered risk."""
        self.section = self._section(sec_no)
        risks = self.section.setdefault("risks", [])
        risk = self.entity if self.entity is not None and self.entity in risks and "no" not in self.entity else None
        if risk is None:
            risk = {"title": {"text": seg.label, "line": seg.line}, "line": seg.line, "items": []}
            risks.append(risk)
            self.entity = risk
            self.cov.filled(self.where())
        else:
            risk["title"]["text"] += "\n" + seg.label
            risk["title"]["end_line"] = seg.line
        for n in seg.label_lines:
            self.cov.use(n)

    def _entity_group(self, label: str) -> str | None:
        """Which kind of entity a label belongs to in this part, if any."""
        st = stem(label)
        numbered = label.strip()[:1] in CIRCLED
        for group, (kind, _) in ENTITY_HOME.items():
            if kind != self.kind:
                continue
            labels = ENTITY_LABELS[group]
            if (st, numbered) in labels:
                return group
            if (st, None) in labels and self.last_group == group:
                return group  # a label shared with the section: an entity's when it follows one
        return None

    def _field(self, seg: Segment) -> dict:
        label = seg.label
        out: dict = {}
        key = key_for(label)
        if key:
            out["key"] = key
        out["label"] = label
        out["line"] = seg.line
        for n in seg.label_lines:
            self.cov.use(n)
        for n, _ in seg.values:
            self.cov.use(n)
        where = f"{self.where()} {label}"
        for note in seg.notes:
            self.cov.low(where, seg.line, note)
        values = [t for _, t in seg.values]
        st = stem(label)
        if st in CHOICE_LABELS and (not values or chosen_value(values[0]) is None) and seg.options:
            # the options are printed but the chosen one is not next to them
            out["select"] = {"value": None, "options": options_of(seg.options),
                             "raw": "\n".join(t for _, t in sorted(seg.options))}
            for n, _ in seg.options:
                self.cov.use(n)
            if values:
                out["text"] = join_lines(values, self.full)
            out["gap"] = "lost"
            self.cov.left_empty(self.where(), where, seg.line, "選択肢は印字されているが、選ばれた値がラベルの近くに見つからない。")
            return out
        if not values:
            out["gap"] = "empty"
            self.cov.left_empty(self.where(), where, seg.line, "ラベルの後に値がない（値が別の位置に出力された可能性がある）。")
            return out
        if seg.end != seg.line:
            out["end_line"] = seg.end
        if st in CHECK_LABELS and (group := _checkbox_group(seg.values)) is not None:
            out["check"], subs, rest = group
            if subs:
                out["items"] = [dict(sub, line=seg.line) for sub in subs]
            if rest:
                out["text"] = "\n".join(rest)
            self.cov.filled(self.where())
            return out
        value = chosen_value(values[0]) if st in CHOICE_LABELS or values[0].lstrip("] ").startswith("[") else None
        if value is not None:
            options = options_of(seg.options)
            raw = "\n".join([values[0]] + [t for _, t in sorted(seg.options)])
            out["select"] = {"value": value, "options": options, "raw": raw}
            for n, _ in seg.options:
                self.cov.use(n)
            if options and value not in options:
                self.cov.low(where, seg.line, f"選択値「{value}」が近くに印字された選択肢の一覧にない。")
            self.cov.filled(self.where())
            if len(values) > 1:
                out["text"] = join_lines(values[1:], self.full)
            return out
        out["text"] = join_lines(values, self.full)
        self.cov.filled(self.where())
        return out

    def _section_value(self, seg: Segment) -> None:
        """The text under a section heading (「７．備考」, 「３．その他のリスク対策」)."""
        sec = self.section if self.section is not None and self.section["no"] == seg.section else None
        if sec is None:
            self._orphan(seg)
            return
        title = stem(sec.get("title") or "")
        fld: dict = {"line": seg.values[0][0]}
        key = SECTION_VALUE_KEYS.get(title)
        if key:
            fld["key"] = key
        lines = [t for _, t in seg.values]
        pairs = [(n, t, PAIR.match(t)) for n, t in seg.values]
        if key == "remarks" and sum(1 for *_, m in pairs if m) >= 2:
            # 「・<事務>　…　<部署>」 lines: one sub-item each, under the paragraph that introduces them
            first = next(k for k, (*_, m) in enumerate(pairs) if m)
            fld["text"] = "\n".join(t for _, t, _ in pairs[:first])
            fld["items"] = []
            for n, t, m in pairs[first:]:
                if m is not None:
                    fld["items"].append({"label": m.group(1).strip(), "text": m.group(2).strip(), "raw": t, "line": n})
                else:
                    # a pair wrapped over two lines
                    last = fld["items"][-1]
                    last["text"] += t
                    last["raw"] += "\n" + t
        else:
            fld["text"] = join_lines(lines, self.full)
        if seg.end != fld["line"]:
            fld["end_line"] = seg.end
        for n, _ in seg.values:
            self.cov.use(n)
        self.cov.filled(self.where())
        sec.setdefault("items", []).append(fld)

    def _orphan(self, seg: Segment) -> None:
        """Value lines with no label above them in their block: the rest of the
        last field's value (a value continued on the next page)."""
        items = self._current_items()
        if items:
            last = items[-1]
            if "text" in last or "gap" in last and last["gap"] == "empty":
                last.pop("gap", None)
                last["text"] = (last.get("text", "") + "\n" + seg.text).strip()
                last["end_line"] = seg.end
                for n, _ in seg.values:
                    self.cov.use(n)
                self.cov.low(self.where(), seg.line, "見出しのない値の行を、直前の項目の続きとして取り込んだ。")
                return
        for n, t in seg.values:
            self._stray(n, t)

    def _value_line(self, no: int, text: str) -> None:
        if self.kind == "record_items" and self.records is not None:
            self.records["_text"].append(text)
            self.records["end_line"] = no
            self.cov.use(no)
            return
        items = self._current_items()
        if items and "text" in items[-1]:
            items[-1]["text"] += "\n" + text
            items[-1]["end_line"] = no
            self.cov.use(no)
            return
        self._stray(no, text)

    def _current_items(self) -> list | None:
        """The items the last field went into, if any."""
        return self.entity["items"] if self.entity else (self.section or self.part or {}).get("items")

    def _stray(self, no: int, text: str) -> None:
        """Left unplaced: the coverage report lists it."""

    # 別添1: numbered flows and their steps

    def _detail(self, seg: Segment) -> None:
        if seg.label:
            for n in seg.label_lines:
                self.cov.use(n)
            self.part.setdefault("items", []).append({"text": seg.label, "line": seg.line})
        for n, t in seg.values:
            m = SECTION.match(t)
            step = DETAIL_STEP.match(t)
            if m and not step:
                no = nfkc(m.group(1))
                if any(s["no"] == no and s.get("items") for s in self.part["sections"]):
                    # the 備考 printed a second time: a repetition, kept out of the sections
                    self.detail_repeat = True
                    self.detail_repeated.append((n, t))
                else:
                    self.detail_repeat = False
                    self.section = self._section(no, m.group(2).strip(), n)
                self.cov.use(n)
                continue
            if self.detail_repeat:
                self.detail_repeated.append((n, t))
                self.cov.use(n)
                continue
            if t in ("（備考）", "(備考)"):
                self.part.setdefault("items", []).append({"label": t, "line": n, "gap": "empty",
                                                          "note": "見出しのみ。内容は以下の番号付きの節である。"})
                self.cov.use(n)
                continue
            indented = self.lines[n - 1].raw.startswith("\u3000")
            if self.section is not None and not step and not m and not indented and self.section.get("items") \
                    and not t.startswith("※") and not self.section["items"][-1]["text"].startswith("※"):
                # after the numbered flows, unindented fragments are the diagram's box labels
                self.section = None
                self.part.setdefault("items", []).append({"text": t, "line": n})
                self.detail_diagram = self.part["items"][-1]
                self.cov.use(n)
                continue
            if self.section is None and self.detail_diagram is not None:
                self.detail_diagram["text"] += " " + t
                self.detail_diagram["end_line"] = n
                self.cov.use(n)
                continue
            if self.section is None:
                # the part's own heading lines (「「（１）…ファイル」を取り扱う事務の内容」, 「（備考）」)
                self.part.setdefault("items", []).append({"text": t, "line": n})
                self.cov.use(n)
                continue
            items = self.section.setdefault("items", [])
            if step:
                items.append({"label": step.group(1).strip() + ".", "text": step.group(2).strip(), "line": n})
            elif items and not t.startswith(("※", "（備考）")):
                items[-1]["text"] += "\n" + t
                items[-1]["end_line"] = n
            else:
                items.append({"text": t, "line": n})
            self.cov.use(n)
            self.cov.filled(self.where())

    # the cover

    def _cover(self) -> None:
        """表紙: labels and values come out of order.  A label keeps the first
        paragraph after it; a later paragraph goes to the earliest label still
        without a value that can hold it (公表日 holds a date)."""
        events: list = []  # ("label", field) or ("text", line, text)
        for seg in self.cover_segments:
            if seg.label is not None:
                for n in seg.label_lines:
                    self.cov.use(n)
                events.append(("label", {"label": seg.label, "line": seg.line}))
            for n, t in seg.values:
                if n in self.toc:
                    self._toc_entry(n, t)
                elif STAMP.search(t) or (self.imp.title is None and "特定個人情報保護評価書" in t):
                    if "特定個人情報保護評価書" in t:
                        self.imp.title = {"text": t, "line": n}
                    self.cov.use(n)  # the form's own stamp and title, read by detect_form
                elif (head := t.split(" ")[0]) and cover_key(head):
                    # a cover label printed without its marker (「評価書番号」, 「特記事項 -」)
                    self.cov.use(n)
                    events.append(("label", {"label": head, "line": n}))
                    if t[len(head):].strip():
                        events.append(("text", n, t[len(head):].strip()))
                else:
                    events.append(("text", n, t))
        fields = [e[1] for e in events if e[0] == "label"]
        last: dict | None = None
        prev_line = None
        paragraph: dict | None = None
        for ev in events:
            if ev[0] == "label":
                last, paragraph = ev[1], None
                continue
            _, n, t = ev
            if paragraph is not None and prev_line == n - 1:
                paragraph["text"] += "\n" + t
                paragraph["end_line"] = n
                self.cov.use(n)
                prev_line = n
                continue
            home = last if last is not None and "text" not in last and _fits(last, t) else \
                next((f for f in fields if "text" not in f and _fits(f, t)), None)
            last = None
            if home is None:
                paragraph = None
                continue  # listed as unplaced
            home["text"], home["line"] = t, n
            paragraph, prev_line = home, n
            self.cov.use(n)
            self.cov.filled("表紙")

        for fld in fields:
            if key := cover_key(fld["label"]):
                fld["key"] = key
            if "text" not in fld:
                fld["gap"] = "empty"
                self.cov.left_empty("表紙", fld["label"], fld["line"], "ラベルの後に値がない。")
        toc = [f for f in self.imp.cover if f.get("key") == "toc"]
        self.imp.cover[:] = fields + toc

    def _finish(self) -> None:
        if self.detail_repeated:
            first = {ln.raw.strip() for ln in self.lines[self.a:self.b] if not ln.blank
                     and ln.no < self.detail_repeated[0][0]}
            differ = [n for n, t in self.detail_repeated if t not in first]
            a, b = self.detail_repeated[0][0], self.detail_repeated[-1][0]
            self.cov.low("別添1", a, f"{a}–{b}行は（備考）の番号付きの流れの再度の印字であり、節には取り込んでいない。"
                         + (f"最初の印字にない行: {', '.join(map(str, differ))}行。" if differ else "すべての行が最初の印字と同一。"))
        for part, section_no, events in self.pending.values():
            self.part = part
            self._resolve_entities(self._section(section_no), events)
        for f in self.imp.files:
            rec = f.get("record_items")
            if rec and "_text" in rec:
                text = "".join(rec.pop("_text"))
                items = [x for x in re.split(r"[0-9０-９]+．", text) if x.strip()]
                rec["groups"][0]["items"] = [{"no": str(k), "name": x.strip().rstrip("、").strip(), "line": rec["line"]}
                                             for k, x in enumerate(items, 1)]
                for _ in items:
                    self.cov.filled(f"ファイル{f['no']} 記録項目")
        for part in self.imp.parts + [f[k] for f in self.imp.files for k in ("overview", "risk_measures")]:
            for sec in part.get("sections", []):
                sec.setdefault("line", part.get("line"))
        for f in self.imp.files:
            for sec in f["risk_measures"].get("sections", []):
                self._spread_risk_items(sec, f"ファイル{f['no']} III {sec['no']}.")

    def _spread_risk_items(self, sec: dict, where: str) -> None:
        """Each risk prints a fixed set of items.  An item a risk has too many of
        (its own, or one it never prints) was emitted away from its risk; it goes
        to the nearest risk of the section that lacks it, the one before first
        (「リスクへの対策は十分か」 of risk n often comes out under risk n+1)."""
        risks = [r for r in sec.get("risks", []) if (sec["no"], r.get("no")) in RISK_ITEMS]
        wanted = {id(r): Counter(RISK_ITEMS[(sec["no"], r["no"])]) for r in risks}
        extras = []
        for r in risks:
            have: Counter = Counter()
            for item in list(r["items"]):
                st = stem(item.get("label") or "")
                have[st] += 1
                if have[st] > wanted[id(r)][st]:
                    extras.append((r, item))
        for r, item in extras:
            st = stem(item["label"])
            lacking = [x for x in risks if x is not r and
                       sum(1 for i in x["items"] if stem(i.get("label") or "") == st) < wanted[id(x)][st]]
            if not lacking:
                continue
            n = int(r["no"])
            home = min(lacking, key=lambda x: (abs(int(x["no"]) - n), int(x["no"]) > n))
            r["items"].remove(item)
            home["items"].append(item)
            self.cov.low(where, item.get("line"), f"「{item['label']}」をリスク{r['no']}から、"
                         f"この項目のないリスク{home['no']}に移した（印字位置がずれていると判断）。")


    def _resolve_entities(self, sec: dict, events: list) -> None:
        """Group a section's entity fields into entities and name them by their
        headings.  An entity prints each item once, so a repeated item starts
        the next entity; a heading names the entity it falls in (the page came
        out bottom-up, the heading after the fields) or opens a new one."""
        instances: list[dict] = []
        cur: dict | None = None
        last_stem = None
        for ev in events:
            if ev[0] == "field":
                _, group, fld = ev
                st = stem(fld["label"])
                if cur is not None and st == last_stem and "text" in fld and "text" in cur["fields"][-1]:
                    # the label printed again on a continuation page
                    prev = cur["fields"][-1]
                    prev["text"] += "\n" + fld["text"]
                    prev["end_line"] = fld.get("end_line", fld["line"])
                    continue
                specific = None if group == "destinations" else group
                clash = specific and cur is not None and cur["group"] not in (None, "destinations", specific)
                if cur is None or st in cur["stems"] or clash:
                    cur = {"group": specific, "head": None, "fields": [], "stems": set()}
                    instances.append(cur)
                cur["fields"].append(fld)
                cur["stems"].add(st)
                if specific and cur["group"] in (None, "destinations"):
                    cur["group"] = specific
                last_stem = st
            else:
                _, group, no, title, text, line = ev
                if cur is not None and cur["head"] is None and cur["group"] in (None, group):
                    cur["head"], cur["group"] = ev, group
                else:
                    cur = {"group": group, "head": ev, "fields": [], "stems": set()}
                    instances.append(cur)
                last_stem = None
        for inst in instances:
            group = inst["group"] or "provisions"
            existing = sec.setdefault(group, [])
            head = inst["head"]
            if head is not None:
                no = head[2]
            else:
                no = str(max((int(e["no"]) for e in existing), default=0) + 1)
            ent = next((e for e in existing if e["no"] == no), None)
            if ent is None:
                line = head[5] if head else inst["fields"][0]["line"]
                ent = {"no": no, "line": line, "items": []}
                if head is not None:
                    _, _, _, title, text, _ = head
                    ent["title"] = {"label": text.split(" ")[0], "line": line}
                    if title:
                        ent["title"]["text"] = title
                else:
                    ent["title"] = {"label": f"{GROUP_NAMES[group]}{no}", "line": line}
                    self.cov.low(self.where(), line, f"{GROUP_NAMES[group]}の見出しが見つからない項目を{GROUP_NAMES[group]}{no}とした。")
                existing.append(ent)
                existing.sort(key=lambda e: int(e["no"]))
            ent["items"].extend(_printed_order(inst["fields"]))


def _checkbox_group(values: list[tuple[int, str]]) -> tuple[dict, list[dict], list[str]] | None:
    """(check, sub-items, other text) of a checkbox item's lines, or None when
    they hold no box."""
    boxes = sorted((v for v in values if is_check_line(v[1])), key=lambda v: v[0])
    checks = split_boxes([t for _, t in boxes])
    if not checks:
        return None
    rest = [t for v in values if v not in boxes for t in [v[1]]]
    opened = next((i for i, (_, label) in enumerate(checks) if label.rstrip().endswith(("（", "("))), None)
    if rest and opened is not None and rest[-1].rstrip().endswith(("）", ")")):
        # 「その他 （」 whose text runs over the next lines up to its 「）」
        checks[opened] = (checks[opened][0], checks[opened][1] + " " + "".join(rest))
        rest = []
    check, subs = check_group(checks, "\n".join(t for _, t in boxes))
    return check, subs, rest


GROUP_NAMES = {"systems": "システム", "entrustments": "委託事項", "provisions": "提供先", "transfers": "移転先"}


def _printed_order(fields: list[dict]) -> list[dict]:
    """An entity's items in the form's order (①, ②, …), each unnumbered item
    after the numbered one it belongs to, whichever way the page came out."""
    def no(f):
        return CIRCLED.index(f["label"][0]) if f.get("label", "")[:1] in CIRCLED else None

    nums = [n for n in map(no, fields) if n is not None]
    falling = sum(a > b for a, b in zip(nums, nums[1:])) > sum(a < b for a, b in zip(nums, nums[1:]))
    seq = list(reversed(fields)) if falling else list(fields)
    keyed, last = [], -1
    for k, f in enumerate(seq):
        n = no(f)
        last = n if n is not None else last
        keyed.append(((last, 0 if n is not None else 1, k), f))
    return [f for _, f in sorted(keyed, key=lambda x: x[0])]


def _fits(fld: dict, text: str) -> bool:
    """A cover value that can be this label's: 公表日 and 承認日 hold dates."""
    label = fld["label"]
    if "公表日" in label or "承認日" in label:
        return bool(re.search(r"(令和|平成)|\d{4}", text))
    return True


