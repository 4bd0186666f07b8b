"""The record-item lists (別添 特定個人情報ファイル記録項目), in the three shapes the
tab-separated layout prints them:

- per file, one 「、」-separated line under a 「N. file name」 heading;
- per file, one numbered item per line (「1. 住民票コード」) under 「(N) file name」;
- one grid for the only file: rows of (number, name) cell pairs, where the first
  cell fuses number and name (「1 課税年度⇥61⇥分離長期…」).
"""

from __future__ import annotations

import re

from .cells import clean, nfkc

HEADING = re.compile(r"^(?:(\d{1,2})\s*[.．]|[(（]\s*(\d{1,2})\s*[)）])\s*(\S.*)$")
NUMBERED = re.compile(r"^(\d{1,3})\s*[.．]\s*(\S.*)$")
GROUP = re.compile(r"^[ア-ン]\s+\S")
FUSED = re.compile(r"^(\d{1,3})\s+(\S.*)$")


def _file_for(imp, no: str | None, name: str):
    """The file a record list belongs to: by number, else by name, else in order."""
    for f in imp.files:
        if no is not None and f["no"] == no:
            return f
    for f in imp.files:
        if f.get("name") and f["name"].get("text") and f["name"]["text"] in name:
            return f
    index = getattr(imp, "record_file_index", 0)
    return imp.files[index] if index < len(imp.files) else None


def parse_record_items(imp, i: int) -> int:
    """Consume the record-item block from line i up to the next part heading."""
    from .forms import part_of

    lines = imp.lines
    current: dict | None = None
    grid: list[tuple[int, str, str, int]] = []  # (sort no, no, name, line)
    while i < len(lines):
        ln = lines[i]
        if ln.blank:
            i += 1
            continue
        head = ln.head
        if ln.cells[0].strip() and part_of(head):
            break
        cells = [c.strip() for c in ln.cells]
        filled = [c for c in cells if c]
        m = HEADING.match(head)
        # under a 「(1) name」 heading, 「1. 住民票コード」 is an item, not a heading
        item_line = current is not None and current["_paren"] and NUMBERED.match(head) is not None
        if m and len(filled) == 1 and not item_line:
            no = nfkc(m.group(1) or m.group(2))
            target = _file_for(imp, no, m.group(3))
            imp.record_file_index = getattr(imp, "record_file_index", 0) + 1
            current = {"heading": head, "line": ln.no, "groups": [{"label": None, "items": []}],
                       "_numbered": False, "_file": target, "_paren": m.group(2) is not None}
            if target is not None:
                target["record_items"] = current
            imp.cov.use(ln.no)
            i += 1
            continue
        if len(filled) > 2 and FUSED.match(cells[0] or "") or (len(cells) > 2 and not cells[0] and filled):
            # the grid: (no name) pairs across the row
            pairs = []
            c0 = FUSED.match(cells[0]) if cells[0] else None
            if c0:
                pairs.append((c0.group(1), c0.group(2)))
            rest = cells[1:]
            for k in range(0, len(rest) - 1, 2):
                if rest[k] and rest[k + 1]:
                    pairs.append((rest[k], rest[k + 1]))
            for no, name in pairs:
                grid.append((int(no) if no.isdecimal() else 10**6, no, name, ln.no))
            imp.cov.use(ln.no)
            i += 1
            continue
        if head == "項目名" or head == "下表のとおり":
            imp.cov.use(ln.no)
            i += 1
            continue
        if current is not None:
            items = current["groups"][-1]["items"]
            nm = NUMBERED.match(head)
            if GROUP.match(head) and len(filled) == 1 and current["_paren"]:
                # 「ア 附票本人確認情報」: a group heading inside a numbered list
                if current["groups"][-1]["items"] or current["groups"][-1]["label"]:
                    current["groups"].append({"label": head, "line": ln.no, "items": []})
                else:
                    current["groups"][-1].update(label=head, line=ln.no)
                items = current["groups"][-1]["items"]
            elif nm and len(filled) == 1:
                items = current["groups"][-1]["items"]
                current["_numbered"] = True
                items.append({"no": nm.group(1), "name": nm.group(2), "line": ln.no})
            else:
                text = clean(ln.raw)
                current["raw"] = (current.get("raw", "") + "\n" + ln.raw.strip()).strip()
                current["groups"][0]["line"] = ln.no
                for name in text.replace("\n", "、").split("、"):
                    if name.strip():
                        items.append({"name": name.strip(), "line": ln.no})
            current["end_line"] = ln.no
            imp.cov.use(ln.no)
        i += 1
    if grid:
        target = imp.files[0] if len(imp.files) == 1 else None
        block = {"heading": None, "groups": [{"label": None, "items": [
            {"no": no, "name": name, "line": line} for _, no, name, line in sorted(grid, key=lambda g: g[0])]}]}
        if target is not None:
            target["record_items"] = block
        else:
            imp.cov.problems.append(_note(len(grid)))
    for f in imp.files:
        rec = f.get("record_items")
        if rec:
            rec.pop("_numbered", None)
            rec.pop("_paren", None)
            rec.pop("_file", None)
            where = f"ファイル{f['no']} 記録項目"
            for _ in range(sum(len(g["items"]) for g in rec["groups"])):
                imp.cov.filled(where)
    return i


def _note(n: int):
    from .coverage import Note

    return Note("記録項目", None, f"ファイルが複数あるため、表形式の記録項目 {n} 件の所属を決められない。")
