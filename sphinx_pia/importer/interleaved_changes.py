"""変更箇所 in the column-interleaved layout (001's 別添3, the 002 fragment).

A row is emitted cell after cell: [変更日] 項目, 変更前, 変更後, 提出時期, 説明.
Each cell is wrapped at its column's width, so a line as long as the column
continues on the next line and a shorter one ends a paragraph; the widths are
measured over the whole table.  Nothing marks where 変更前 ends and 変更後
begins: the split is taken, in this order, where the 変更後 cell repeats the
opening of the 変更前 cell, where an added block begins (「上記を新規追加」, a
heading left without text, a clipped cell), or where the two halves are most
alike (a change edits a text, it rarely replaces it).  Every guessed split is
reported as low confidence.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from difflib import SequenceMatcher

from .cells import nfkc
from .coverage import Coverage
from .interleaved_text import column_width, fwidth, width
from .source import Line

DATE = re.compile(r"^\s*(?:(?:令和|平成)\s*[0-9０-９元]+\s*年\s*[0-9０-９]+\s*月\s*[0-9０-９]+\s*日|\d{4}/\d{1,2}/\d{1,2})\s*$")
TIMING = re.compile(r"^(?:(.*\S)\s+)?(事前|事後)$")
TITLE = re.compile(r"^\s*[(（]別添\s*[0-9０-９]+[)）]\s*変更箇所\s*$")
OMITTED = re.compile(r"^\s*[(（]省?略[)）]\s*$")
MARKER = re.compile(r"^\s*(?:[①-⑳・＜<【※]|[(（][0-9０-９①-⑳]|[0-9０-９]+[.．])")
# a line that starts a list item or a heading: it never continues the line before
NEW_ITEM = re.compile(r"^\s*(?:[①-⑳・＜<【]|[0-9０-９]+[.．]|[(（][0-9０-９]+[.．])")
NUMBERED = re.compile(r"^\s*([0-9０-９]+)[.．]")
HEADING = re.compile(r"^\s*[＜<].*[＞>]\s*$")
# kinsoku: characters a line may not start with / may not end with, so the
# renderer moves one more character to the next line and leaves a line short
CLOSERS = "）)」』】〕＞>、。，．"
OPENERS = "（(「『【〔＜<"
DASHES = ("－", "-", "―", "‐")


def is_header(text: str) -> bool:
    t = nfkc(text)
    return "変更前の記載" in t and "変更後の記載" in t


def is_title(text: str) -> bool:
    return bool(TITLE.match(text))


def _text(ln: Line) -> str:
    # ideographic spaces indent a paragraph in the cell: they are kept as printed
    return ln.raw.strip(" \t\r\n")


class _Budget:
    """How much text the 変更前/変更後 comparisons of one table may still read.

    difflib is quadratic in the text compared, and a table of many long rows (not
    a form: the seeds' rows are at most 29 lines and 500 characters) would take
    hours.  The count is of characters, not seconds, so a draft does not depend on
    the machine's speed; once it is spent, splits are made without comparing.
    ``quick``: characters ranked by quick_ratio; ``exact``: the sum of the products
    of the halves' lengths compared exactly (the seeds use 7,438 and 534,696)."""

    def __init__(self, quick: int = 1_000_000, exact: int = 4_000_000):
        self.quick, self.exact = quick, exact


def parse_changes(lines: list[Line], a: int, b: int, cov: Coverage, spaced: bool) -> dict:
    """The change table from lines[a:b]."""
    log: dict = {"schema": "sphinx-pia/changes/1", "entries": []}
    rows = [r for r in (_cells(row, cov, spaced) for row in _rows(lines, a, b, cov, log, spaced)) if r]
    cols = _Columns(rows)
    budget = _Budget()
    for row in rows:
        log["entries"].append(_entry(row, cols, cov, spaced, budget))
    if "title" not in log:
        log["title"] = {"gap": "missing", "line": lines[a].no, "note": "変更箇所の表題が見つからない（取込み時に検出）。"}
    return log


# -- rows -------------------------------------------------------------------


def _rows(lines, a, b, cov, log, spaced) -> list[list[tuple[int, str, bool]]]:
    """Group the region's lines into rows: (line no, text, blank line before)."""
    rows: list[list[tuple[int, str, bool]]] = []
    cur: list | None = None
    state = "start"  # start → body → timing → reason → done
    blank_before = False
    for i in range(a, b):
        ln = lines[i]
        if ln.blank:
            blank_before = True
            # 001: a blank line ends the 説明 cell, but only once it has text
            # (提出時期 and 説明 are often a blank line apart)
            if state == "reason" and not spaced:
                state = "done"
            continue
        text = _text(ln)
        # 002 is double-spaced: there a blank line carries no structure
        gap, blank_before = blank_before and not spaced, False
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
        if state == "body":
            if TIMING.match(text):
                state = "timing"
        elif state == "timing":
            state = "reason"
        if state == "reason" and spaced:
            # 002 has no blank lines to go by: the 説明 cell ends at its first
            # line shorter than the column
            first = next(k for k in range(len(cur) - 1, -1, -1) if TIMING.match(cur[k][1]))
            reason = cur[first + 1:]
            if len(reason) > 1 and width(reason[-1][1]) < width(reason[0][1]) - 1:
                state = "done"
    return rows


class _Row:
    def __init__(self, first: int):
        self.first = first
        self.date: list[tuple[int, str]] = []
        self.item: list[tuple[int, str, bool]] = []
        self.body: list[tuple[int, str, bool]] = []
        self.before_dash: tuple[int, str] | None = None  # 「-」 printed for an empty 変更前
        self.timing: tuple[int, str] = (first, "")
        self.reason: list[tuple[int, str, bool]] = []


def _cells(row: list[tuple[int, str, bool]], cov: Coverage, spaced: bool) -> _Row | None:
    """Cut one row's lines into its cells (the 変更前/変更後 split comes later)."""
    first_no = row[0][0]
    out = _Row(first_no)
    k = 0
    if DATE.match(row[0][1]):
        out.date = [(row[0][0], row[0][1].strip())]
        k = 1
    # timing: the first line that is, or ends with, 事前/事後
    t_idx = next((j for j in range(k, len(row)) if TIMING.match(row[j][1])), None)
    if t_idx is None:
        cov.problems.append(_note(f"変更箇所 {first_no}行", first_no,
                                  "提出時期（事前/事後）が見つからないため、この行を取り込まなかった。"))
        return None
    tm = TIMING.match(row[t_idx][1])
    out.timing = (row[t_idx][0], tm.group(2))
    out.reason = list(row[t_idx + 1:])
    # the cells before 提出時期; text printed on the timing line before 事前/事後 is a cell of its own
    head = [(n, t, g, False) for n, t, g in row[k:t_idx]]
    if tm.group(1):
        head.append((row[t_idx][0], tm.group(1), bool(head), True))

    j = 0
    while j < len(head):
        no, text, gap, on_timing = head[j]
        if spaced:
            if width(text) > 12 or text.lstrip().startswith("[") or OMITTED.match(text) or (on_timing and j):
                break
        elif j and (gap or width(head[j - 1][1]) < 12):
            break
        m = re.match(r"^(.*?)\s+-(?:\s+(.*))?$", text)
        if m and not spaced:
            # 「項目 -」: 変更前 is 「-」, 変更後 may follow on the same line
            out.item.append((no, m.group(1), gap))
            out.before_dash = (no, "-")
            if m.group(2):
                out.body.append((no, m.group(2), False))
            j += 1
            break
        out.item.append((no, text, gap))
        j += 1
    out.body += [(n, t, g) for n, t, g, _ in head[j:]]
    if spaced:
        _return_headings(out)
    for no, _, _ in row:
        cov.use(no)
    return out


def _return_headings(row: _Row) -> None:
    """002: a numbered heading 「N．…」 at the end of the 項目 path whose sibling
    「N+1．」 opens a line of the 変更前/変更後 text is the first heading of that
    text, not a path component (a path names the headings it quotes in
    parentheses, 「（１．…）」)."""
    while row.item:
        start = next((k for k in range(len(row.item) - 1, 0, -1) if NUMBERED.match(row.item[k][1])), None)
        if start is None:
            return
        nxt = _number(row.item[start][1]) + 1
        if not any(_number(t) == nxt for _, t, _ in row.body):
            return
        row.body[:0] = row.item[start:]
        del row.item[start:]


def _number(text: str) -> int | None:
    m = NUMBERED.match(text)
    return int(unicodedata.normalize("NFKC", m.group(1))) if m else None


# -- column widths and wrapped lines ---------------------------------------


class _Columns:
    """Each column's width, measured over the whole table: the most common
    width among its longer lines (most of those were wrapped at the edge)."""

    def __init__(self, rows: list[_Row]):
        self.item = column_width([t for r in rows for _, t, _ in r.item])
        self.body = column_width([t for r in rows for _, t, _ in r.body])
        self.reason = column_width([t for r in rows for _, t, _ in r.reason])


def _continues(prev: str, nxt: str, full: float, slack: float, later: Sequence[str] = ()) -> bool:
    """Whether `nxt` continues the paragraph of `prev` (prev was wrapped);
    `later` are the lines after `nxt`."""
    p, q = prev.rstrip(), nxt.strip()
    if not p or not q or not full:
        return False
    if p.endswith(DASHES) or q.startswith(DASHES):
        return True  # a code such as 「Ⅱ（…）－５－…」 broken at a dash
    if q[0] in CLOSERS:
        return True  # no line starts with closing punctuation
    if p.endswith(("。", "＞", ">")):
        return False  # a sentence or a heading ends here
    if NEW_ITEM.match(q) and not p.endswith(("、", "，")):
        return False
    need = full - slack
    if len(q) > 1 and q[1] in CLOSERS:
        need -= 1  # kinsoku: the character before a closer moved down with it
    elif q[0] in OPENERS and not _standalone_parenthesis([q, *later]):
        need -= 1  # kinsoku: an opening bracket never ends a line
    return fwidth(p) >= need


def _standalone_parenthesis(texts: list[str]) -> bool:
    """Whether the parenthesis opening texts[0] closes at the end of a line: a
    qualifier printed as a line of its own (「（情報提供ネットワークを…除く。）」)
    rather than one opened inside a sentence (「…者（元職員、…）によって…」)."""
    if texts[0][:1] not in "（(":
        return False
    depth = 0
    for t in texts:
        t = t.rstrip()
        for j, ch in enumerate(t):
            depth += (ch in "（(") - (ch in "）)")
            if depth == 0:
                return j == len(t) - 1
    return False


def _paragraph_starts(lines: list[tuple[int, str, bool]], full: float, slack: float) -> list[bool]:
    """For each line whether it starts a paragraph (a blank line or a short line before it)."""
    out = []
    for k, (_, t, gap) in enumerate(lines):
        later = [x[1] for x in lines[k + 1:k + 6]]
        out.append(k == 0 or gap or not _continues(lines[k - 1][1], t, full, slack, later))
    return out


def _join(lines: list[tuple[int, str, bool]], full: float, slack: float) -> str:
    """One cell's text: wrapped lines joined, paragraphs kept on lines of their
    own, a blank line inside the cell kept as a blank line."""
    out = ""
    starts = _paragraph_starts(lines, full, slack)
    for k, (_, t, gap) in enumerate(lines):
        if k:
            out += "\n\n" if gap else ("\n" if starts[k] else "")
        out += t.rstrip()
    return out.strip(" \n")


def _field(lines, full: float, slack: float, fallback_line: int) -> dict:
    if not lines:
        return {"line": fallback_line, "gap": "empty"}
    lines = [(x[0], x[1], x[2] if len(x) > 2 else False) for x in lines]
    out = {"text": _join(lines, full, slack), "line": lines[0][0]}
    if lines[-1][0] != lines[0][0]:
        out["end_line"] = lines[-1][0]
    return out


# the 項目 column holds short headings: a line one short of the column is as
# often a complete heading as a wrapped one, so only a full line continues
ITEM_SLACK = 0.0
TEXT_SLACK = 1.0


def _entry(row: _Row, cols: _Columns, cov: Coverage, spaced: bool, budget: _Budget) -> dict:
    first_no = row.first
    where = f"変更箇所 {first_no}行"
    entry: dict = {"line": first_no}
    if row.before_dash:
        before = [(row.before_dash[0], row.before_dash[1], False)]
        after = row.body
    else:
        before, after, how = _split(row.body, cols.body, spaced, budget)
        if how:
            cov.low(where, first_no, how)
    entry["date"] = _field(row.date, 0, 0, first_no) if row.date else {
        "line": first_no, "gap": "empty", "note": "変更日欄に記載がない。"}
    entry["item"] = _field(row.item, cols.item, ITEM_SLACK, first_no)
    entry["before"] = _field(before, cols.body, TEXT_SLACK, first_no)
    entry["after"] = _field(after, cols.body, TEXT_SLACK, first_no)
    entry["timing"] = {"text": row.timing[1], "line": row.timing[0]}
    entry["reason"] = _field(row.reason, cols.reason, TEXT_SLACK, row.timing[0])
    for name in ("date", "item", "before", "after", "timing", "reason"):
        if entry[name].get("gap"):
            cov.left_empty("変更箇所", f"{where} {name}", first_no, "欄が空である。")
        else:
            cov.filled("変更箇所")
    last = max([row.timing[0]] + [n for n, *_ in row.reason + row.body + row.item])
    entry["end_line"] = last
    entry["targets"] = []
    entry["resolution"] = "unresolved"
    return entry


# -- 変更前 / 変更後 ---------------------------------------------------------


def _split(body, full: float, spaced: bool, budget: _Budget):
    """(before, after, note) for the body lines of one row."""
    if not body:
        return [], [], None
    if len(body) == 1:
        return [], body, "変更前/変更後の欄が1行しかなく、変更後として取り込んだ。確認してください。"
    starts = _paragraph_starts(body, full, TEXT_SLACK)
    # candidate split points: blank lines inside the row (001), else paragraph starts
    cands = [k for k in range(1, len(body)) if body[k][2]] if not spaced else []
    if not cands:
        cands = [k for k in range(1, len(body)) if starts[k]] or list(range(1, len(body)))
    texts = [t for _, t, _ in body]

    k = _repeated_opening(texts, cands)
    if k is not None:
        why = f"変更前と変更後の境界は原文にない。変更前の書き出しが繰り返される{body[k][0]}行の前で分けた。"
        return body[:k], body[k:], why
    k = _added_block(texts, cands)
    if k is not None:
        why = f"変更前と変更後の境界は原文にない。{body[k][0]}行の前（追加された記載の始まり）で分けた。"
        return body[:k], body[k:], why
    k, best = _most_alike(texts, cands, budget)
    why = f"変更前と変更後の境界は原文にない。両者が最も似る位置（{body[k][0]}行の前）で分けた。"
    if best < 0:
        k = cands[len(cands) // 2]
        why = f"変更前と変更後の境界は原文にない。表が長すぎて比べきれないため、{body[k][0]}行の前で仮に分けた。"
    if best < 0.45:
        cue = _cue(texts, cands, full)
        if cue is not None:
            k = cue
            why = f"変更前と変更後の境界は原文にない。{body[k][0]}行の前（追加された記載の始まり）で分けた。"
    return body[:k], body[k:], why


#: The longest repetition looked for, in lines (the seeds' rows have at most 29 lines).
MAX_REPEAT = 200
#: The most split points compared by likeness, evenly spread (the seeds' rows have at most 10).
MAX_COMPARED = 64
#: Characters of each half compared.
WINDOW = 4000


def _repeated_opening(texts: list[str], cands: list[int]) -> int | None:
    """Where the 変更後 cell begins with the same lines as the 変更前 cell (an
    edited text is printed whole twice, or both open on the same sub-heading).
    The longest repetition wins; a repetition of omission marks alone
    (「（省略）」, 「-」) says nothing."""
    keys = [nfkc(t) for t in texts]
    best, best_k = 0, None
    for k in cands:
        m = 0
        # bounded: a row of many equal lines would otherwise compare every pair
        while k + m < len(keys) and m < k and m < MAX_REPEAT and keys[m] == keys[k + m]:
            m += 1
        if m and any(not _trivial(texts[j]) for j in range(m)) and m > best:
            best, best_k = m, k
    return best_k


def _trivial(text: str) -> bool:
    return bool(OMITTED.match(text)) or text.strip() in ("-", "－")


def _added_block(texts: list[str], cands: list[int]) -> int | None:
    """「上記を新規追加」 closes a block added to the text: it begins at the last
    「＜…における措置＞」 heading before it."""
    at = next((j for j, t in enumerate(texts) if "上記を新規追加" in t), None)
    if at is None:
        return None
    heads = [k for k in cands if k < at and texts[k].lstrip().startswith(("＜", "<"))]
    return heads[-1] if heads else None


def _most_alike(texts: list[str], cands: list[int], budget: _Budget) -> tuple[int, float]:
    """The split point where the two halves are most alike, and how alike (-1: not compared)."""
    if len(cands) > MAX_COMPARED:
        step = len(cands) / MAX_COMPARED
        cands = [cands[int(i * step)] for i in range(MAX_COMPARED)]
    whole = "".join(nfkc(t) for t in texts)
    starts = [0]
    for t in texts:
        starts.append(starts[-1] + len(nfkc(t)))

    # "".join(norm[:k])[:WINDOW] and "".join(norm[k:])[:WINDOW], without joining per candidate
    def halves(k):
        return whole[:min(starts[k], WINDOW)], whole[starts[k]:starts[k] + WINDOW]

    def matcher(k):
        return SequenceMatcher(None, *halves(k), autojunk=False)

    cost = sum(len(a) + len(b) for a, b in map(halves, cands))
    if cost > budget.quick:
        return cands[0], -1.0
    budget.quick -= cost
    # the exact ratio is quadratic in the text length: rank every candidate by the cheap
    # upper bound (quick_ratio), then compare only the best few exactly
    ranked = sorted(cands, key=lambda k: -matcher(k).quick_ratio())[:12]
    best, best_k = -1.0, cands[0]
    for k in sorted(ranked):
        a, b = halves(k)
        if len(a) * len(b) > budget.exact:
            continue
        budget.exact -= len(a) * len(b)
        r = matcher(k).ratio()
        if r > best:
            best, best_k = r, k
    return best_k, best


def _cue(texts: list[str], cands: list[int], full: float) -> int | None:
    """Where added text begins when before and after are unlike: a heading
    left without text (the 変更前 cell ends there), or the line after a clipped
    (full, unfinished) line that starts a new list item."""
    for k in cands:
        if texts[k].lstrip().startswith(("＜", "<")) and HEADING.match(texts[k - 1]):
            return k
    for k in range(1, len(texts)):
        prev = texts[k - 1]
        if fwidth(prev) >= full - 1 and MARKER.match(texts[k]) and not prev.rstrip().endswith(("。", "）", ")")):
            return k
    return None


def _note(where: str, line: int, why: str):
    from .coverage import Note

    return Note(where, line, why)
