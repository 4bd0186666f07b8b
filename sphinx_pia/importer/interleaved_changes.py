"""変更箇所 in the column-interleaved layout (001's 別添3, the 002 fragment).

A row is emitted cell after cell: [変更日] 項目, 変更前, 変更後, 提出時期, 説明.
Nothing marks where 変更前 ends and 変更後 begins, so the split is chosen
where the two halves are most alike (a change edits a text, it rarely replaces
it), falling back on cues the forms use (「上記を新規追加」, a clipped cell).
Every guessed split is reported as low confidence.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from .cells import nfkc
from .coverage import Coverage
from .interleaved_text import join_wrapped, width
from .source import Line

DATE = re.compile(r"^\s*(?:(?:令和|平成)\s*[0-9０-９元]+\s*年\s*[0-9０-９]+\s*月\s*[0-9０-９]+\s*日|\d{4}/\d{1,2}/\d{1,2})\s*$")
TIMING = re.compile(r"^(?:(.*\S)\s+)?(事前|事後)$")
TITLE = re.compile(r"^\s*[(（]別添\s*[0-9０-９]+[)）]\s*変更箇所\s*$")
OMITTED = re.compile(r"^\s*[(（]省?略[)）]")
MARKER = re.compile(r"^\s*(?:[①-⑳・＜<【※]|[(（][0-9０-９①-⑳]|[0-9０-９]+[.．])")


def is_header(text: str) -> bool:
    t = nfkc(text)
    return "変更前の記載" in t and "変更後の記載" in t


def is_title(text: str) -> bool:
    return bool(TITLE.match(text))


class _Cell:
    def __init__(self):
        self.lines: list[tuple[int, str]] = []

    def add(self, no: int, text: str) -> None:
        self.lines.append((no, text))


def _field(lines: list[tuple[int, str]], full: int, fallback_line: int) -> dict:
    if not lines:
        return {"line": fallback_line, "gap": "empty"}
    text = join_wrapped([t.strip() for _, t in lines], full) if full else "\n".join(t.strip() for _, t in lines)
    out = {"text": text, "line": lines[0][0]}
    if lines[-1][0] != lines[0][0]:
        out["end_line"] = lines[-1][0]
    return out


def parse_changes(lines: list[Line], a: int, b: int, cov: Coverage, spaced: bool) -> dict:
    """The change table from lines[a:b]."""
    log: dict = {"schema": "sphinx-pia/changes/1", "entries": []}
    rows = _rows(lines, a, b, cov, log, spaced)
    for row in rows:
        entry = _entry(row, cov, spaced)
        if entry is not None:
            log["entries"].append(entry)
    if "title" not in log:
        log["title"] = {"gap": "missing", "line": lines[a].no, "note": "変更箇所の表題が見つからない（取込み時に検出）。"}
    return log


def _rows(lines, a, b, cov, log, spaced) -> list[list[tuple[int, str, bool]]]:
    """Group the region's lines into rows: (line no, text, blank line before)."""
    rows: list[list[tuple[int, str, bool]]] = []
    cur: list | None = None
    state = "start"  # start → item → body → reason → (done)
    blank_before = False
    for i in range(a, b):
        ln = lines[i]
        if ln.blank:
            blank_before = True
            if state == "reason" and not spaced:
                state = "done"
            continue
        text = ln.raw.strip()
        gap, blank_before = blank_before, False
        if is_title(text):
            log.setdefault("title", {"text": text, "line": ln.no})
            cov.use(ln.no)
            continue
        if is_header(text):
            log.setdefault("header", {"text": text, "line": ln.no})
            cov.use(ln.no)
            continue
        starts = bool(DATE.match(text)) if spaced else state in ("start", "done")
        if starts:
            cur = []
            rows.append(cur)
            state = "body"
        elif cur is None:
            continue  # before the first row: left unplaced
        elif spaced and state == "done":
            continue  # stray cell text after a row's 説明: left unplaced
        cur.append((ln.no, text, gap))
        if TIMING.match(text) and state == "body":
            state = "reason"
        elif state == "reason" and spaced:
            # the 説明 cell ends at its first line shorter than the column
            first = next((t for _, t, _ in reversed(cur) if TIMING.match(t)), None)
            reason = cur[[t for _, t, _ in cur].index(first) + 1:] if first else []
            if len(reason) >= 1 and width(text) < width(reason[0][1]) - 1:
                state = "done"
    return rows


def _entry(row: list[tuple[int, str, bool]], cov: Coverage, spaced: bool) -> dict | None:
    first_no = row[0][0]
    where = f"変更箇所 {first_no}行"
    entry: dict = {"line": first_no}
    k = 0
    date_lines: list = []
    if DATE.match(row[0][1]):
        date_lines = [(row[0][0], row[0][1])]
        k = 1
    # timing: the first line that is, or ends with, 事前/事後
    t_idx = next((j for j in range(k, len(row)) if TIMING.match(row[j][1])), None)
    if t_idx is None:
        cov.problems.append(_note(where, first_no, "提出時期（事前/事後）が見つからないため、この行を取り込まなかった。"))
        return None
    tm = TIMING.match(row[t_idx][1])
    reason_rows = row[t_idx + 1:]
    # the cells before 提出時期; text printed on the timing line before 事前/事後 is a cell of its own
    head = [(n, t, g, False) for n, t, g in row[k:t_idx]]
    if tm.group(1):
        head.append((row[t_idx][0], tm.group(1), False, True))

    # 項目: the first line(s) of the row
    item: list[tuple[int, str]] = []
    before_dash = False
    inline_after: list[tuple[int, str]] = []
    j = 0
    while j < len(head):
        no, text, gap, on_timing = head[j]
        if spaced:
            if width(text) > 12 or text.startswith("[") or OMITTED.match(text) or (on_timing and j):
                break
        elif j and (gap or width(head[j - 1][1]) < 12):
            break
        m = re.match(r"^(.*?)\s+-(?:\s+(.*))?$", text)
        if m and not spaced:
            # 「項目 -」: 変更前 is 「-」, 変更後 may follow on the same line
            item.append((no, m.group(1)))
            before_dash = True
            if m.group(2):
                inline_after.append((no, m.group(2)))
            j += 1
            break
        item.append((no, text))
        j += 1
    body = [(n, t, g) for n, t, g, _ in head[j:]]
    for no, _, _ in row:
        cov.use(no)

    full = max((width(t) for _, t, _ in body), default=0)
    if before_dash:
        before = [(item[-1][0], "-")]
        after = [x for x in inline_after if x[1]] + [(n, t) for n, t, _ in body]
    else:
        before, after, how = _split(body, spaced, full)
        if how:
            cov.low(where, first_no, how)
    entry["date"] = _field(date_lines, 0, first_no) if date_lines else {
        "line": first_no, "gap": "empty", "note": "変更日欄に記載がない。"}
    entry["item"] = _field(item, 0, first_no)
    entry["before"] = _field(before, full, first_no)
    entry["after"] = _field(after, full, first_no)
    entry["timing"] = {"text": tm.group(2), "line": row[t_idx][0]}
    rfull = max((width(t) for _, t, _ in reason_rows), default=0)
    entry["reason"] = _field([(n, t) for n, t, _ in reason_rows], rfull, row[t_idx][0])
    for name in ("date", "item", "before", "after", "timing", "reason"):
        if entry[name].get("gap"):
            cov.left_empty("変更箇所", f"{where} {name}", first_no, "欄が空である。")
        else:
            cov.filled("変更箇所")
    entry["end_line"] = row[-1][0]
    entry["targets"] = []
    entry["resolution"] = "unresolved"
    return entry


def _split(body, spaced, full):
    """(before, after, note) for the body lines of one row."""
    units = [(n, t) for n, t, _ in body]
    if not units:
        return [], [], None
    if len(units) == 1:
        return [], units, "変更前/変更後の欄が1行しかなく、変更後として取り込んだ。確認してください。"
    # candidate split points: blank lines inside the row (001), else every line
    cands = [k for k in range(1, len(body)) if body[k][2]] if not spaced else list(range(1, len(body)))
    if not cands:
        cands = list(range(1, len(body)))
    texts = [nfkc(t) for _, t in units]
    # the exact ratio is quadratic in the text length: rank every candidate by the cheap
    # upper bound (quick_ratio), then compare only the best few exactly
    def matcher(k):
        return SequenceMatcher(None, "".join(texts[:k])[:4000], "".join(texts[k:])[:4000], autojunk=False)

    ranked = sorted(cands, key=lambda k: -matcher(k).quick_ratio())[:12]
    best, best_k = -1.0, None
    for k in sorted(ranked):
        r = matcher(k).ratio()
        if r > best:
            best, best_k = r, k
    k = best_k
    why = f"変更前と変更後の境界は原文にない。両者が最も似る位置（{units[k][0]}行の前）で分けた。"
    if best < 0.45:
        cue = _cue(units, full)
        if cue is not None:
            k = cue
            why = f"変更前と変更後の境界は原文にない。{units[k][0]}行の前（追加された記載の始まり）で分けた。"
    return units[:k], units[k:], why


def _cue(units, full) -> int | None:
    """Where added text begins when before and after are unlike: the last
    「＜…における措置＞」 heading before 「上記を新規追加」, or the line after a
    clipped (full, unfinished) line that starts a new list item."""
    texts = [t for _, t in units]
    if any("上記を新規追加" in t for t in texts):
        heads = [k for k, t in enumerate(texts) if k and t.lstrip().startswith(("＜", "<"))]
        if heads:
            return heads[-1]
    for k in range(1, len(texts)):
        prev = texts[k - 1]
        if width(prev) >= full - 1 and MARKER.match(texts[k]) and not prev.rstrip().endswith(("。", "）", ")")):
            return k
    return None


def _note(where: str, line: int, why: str):
    from .coverage import Note

    return Note(where, line, why)
