"""The pages of the column-interleaved layout as segments, and the moves that put
back on a page what the extraction printed away from its label.

A *segment* is a label and the value lines after it up to the next label, on
one page (a block of text between three blank lines).  The moves only ever
happen within a page: a value never travels to another page.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .interleaved_cells import chosen_value, is_check_line
from .zenkomoku import CHECK_LABELS, CHOICE_LABELS, stem

#: labels answered by a choice or by boxes: their value is never a paragraph of text
ANSWERED = CHOICE_LABELS | CHECK_LABELS


def is_label_line(raw: str) -> bool:
    """In this layout a form label line starts with one ASCII space; a value never does."""
    return len(raw) > 1 and raw[0] == " " and not raw[1].isspace()


@dataclass
class Segment:
    """A label and its value lines as printed on one page."""

    label: str | None  # None: a value line with no label before it in its block
    line: int
    values: list[tuple[int, str]] = field(default_factory=list)
    label_lines: list[int] = field(default_factory=list)
    heading: tuple | None = None  # an entity heading whose name is on the following lines
    block: int = 0  # the page block it was printed in
    options: list[tuple[int, str]] = field(default_factory=list)  # printed option lists
    section: str | None = None  # the text under a section heading: that section's value
    top: bool = False  # the first thing printed on its page
    notes: list[str] = field(default_factory=list)  # lines moved here from elsewhere on the page, and why

    @property
    def text(self) -> str:
        return "\n".join(t for _, t in self.values)

    @property
    def end(self) -> int:
        return self.values[-1][0] if self.values else self.line


def page_neighbours(segments: list[Segment], k: int) -> list[int]:
    """The other segments of segment k's page, nearest first, those before it first."""
    block = segments[k].block
    return [m for m in range(k - 1, -1, -1) if segments[m].block == block] + \
        [m for m in range(k + 1, len(segments)) if segments[m].block == block]


def pair_choices(segments: list[Segment]) -> None:
    """A chosen value or a checkbox line printed away from its label (「記録を
    残している[」 under the next label's text) goes to the nearest label of its
    page that asks for one and has none: before it if there is one, else after."""
    def asks(seg: Segment, labels: set[str]) -> bool:
        return seg.label is not None and seg.heading is None and stem(seg.label) in labels

    def chosen(seg: Segment) -> bool:
        return any(chosen_value(t) for _, t in seg.values[:1])

    def ticked(seg: Segment) -> bool:
        return any(is_check_line(t) for _, t in seg.values)

    kinds = ((CHOICE_LABELS, lambda t: chosen_value(t) is not None, chosen),
             (CHECK_LABELS, is_check_line, None))
    for labels, matches, done in kinds:
        claimed: set[int] = set()
        for k, seg in enumerate(segments):
            if asks(seg, labels):
                continue  # its own lines stay
            for v in list(seg.values):
                if not matches(v[1]):
                    continue
                near = page_neighbours(segments, k)
                if done is not None:
                    home = next((segments[m] for m in near if asks(segments[m], labels) and not done(segments[m])), None)
                else:
                    # checkbox lines: a group is often split; prefer a label with none yet, then any
                    cands = [m for m in near if asks(segments[m], labels)]
                    free = [m for m in cands if not ticked(segments[m]) and m not in claimed]
                    pick = (free or cands or [None])[0]
                    home = segments[pick] if pick is not None else None
                    if pick is not None:
                        claimed.add(pick)
                if home is None:
                    continue
                seg.values.remove(v)
                home.values.append(v) if done is None else home.values.insert(0, v)
                what = "チェック欄" if done is None else "選択値"
                home.notes.append(f"{v[0]}行の{what}は別の位置に印字されていた。同じページの最も近いこのラベルに割り当てた。")
    # option lists go with the nearest choice of their page
    for k, seg in enumerate(segments):
        if asks(seg, CHOICE_LABELS) or not seg.options:
            continue
        near = page_neighbours(segments, k)
        home = next((segments[m] for m in near if asks(segments[m], CHOICE_LABELS)), None)
        if home is not None:
            home.options.extend(seg.options)
            seg.options = []


def pair_leading_values(segments: list[Segment]) -> None:
    """Text at the top of a page with no label above it, on a page that also
    prints a label with no text: the value was emitted before its label
    (I.1 ②事務の内容, System 1's functions)."""
    for k, seg in enumerate(segments):
        if not seg.top or seg.label is not None or not seg.values:
            continue
        later = [s for s in segments[k + 1:] if s.block == seg.block]
        home = next((s for s in later if s.label is not None and s.heading is None and not s.values
                     and stem(s.label) not in ANSWERED), None)
        if home is not None:
            home.values[:0] = seg.values
            home.notes.append(f"{seg.values[0][0]}–{seg.values[-1][0]}行はページの先頭にラベルなしで印字されていた。"
                              "値のない同じページのこのラベルの値とした。")
            seg.values = []


def split_stacked_labels(segments: list[Segment]) -> None:
    """Labels printed one under the other with their values after the last
    (「具体的なチェック方法」「具体的な内容」, then two texts): the texts are
    split where the first one's opening heading repeats (「＜札幌市における措置＞」),
    or one paragraph each when the count matches."""
    def empty_label(seg: Segment) -> bool:
        return seg.label is not None and seg.heading is None and seg.section is None and not seg.values \
            and stem(seg.label) not in ANSWERED

    k = 0
    while k < len(segments):
        run = []
        while k < len(segments) and empty_label(segments[k]):
            run.append(segments[k])
            k += 1
        if not run or k >= len(segments):
            k += 1
            continue
        last = segments[k]
        if last.label is None or last.heading is not None or last.block != run[0].block or not last.values:
            continue
        starts = [0] + [j for j in range(1, len(last.values)) if last.values[j][0] - last.values[j - 1][0] > 1]
        opening = last.values[0][1]
        repeats = [j for j in starts[1:] if last.values[j][1] == opening]
        if len(repeats) >= len(run):
            cuts = repeats[:len(run)]
        elif len(starts) == len(run) + 1:
            cuts = starts[1:]
        else:
            continue
        bounds = [0] + cuts + [len(last.values)]
        parts = [last.values[a:b] for a, b in zip(bounds, bounds[1:])]
        for seg, part in zip(run + [last], parts):
            seg.values = part
            seg.notes.append(f"続けて印字されたラベル（{run[0].line}行から）の値を、印字順に分けた。")
