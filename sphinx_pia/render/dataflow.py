"""The data-flow picture of a 特定個人情報ファイル: 入手元 → the file → 提供先・移転先
and 委託先, with the systems that handle it.

Three layers, so each can be tested alone:

* :func:`file_flow` reads the model and the site index into a :class:`Flow` (pure);
* :func:`layout` places its boxes, wide (three columns, for a file page) or narrow
  (stacked, for the assessment page where the files stand side by side); the result
  is plain data (dicts and lists) kept on a :class:`dataflow` node, so doctrees pickle;
* the HTML visitor writes it as inline SVG.  Each box names the pia object it stands
  for; :func:`resolve_links` turns those names into URIs once the pia domain knows
  where every object is documented (``doctree-resolved``).  Other builders skip the
  picture: the text list beside it (ordinary docutils nodes) says the same.

Every label comes from content and is treated as hostile: it is XML-escaped where it
is written, and control and line-separator characters are replaced by spaces.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field

from docutils import nodes

from ..index import SiteIndex
from ..model import Field, FieldKey, SpecificFile
from .nodes import GAP_LABELS, dropdown

# -- the flow (pure) ------------------------------------------------------------


@dataclass
class Box:
    label: str
    gid: str | None = None  # the pia object the box links to
    sub: str = ""  # a second, smaller line (委託事項, 「推定」, a gap)
    count: int = 1  # entries merged into this box (same name)


@dataclass
class Flow:
    file: Box
    sources: list[Box] = field(default_factory=list)
    systems: list[Box] = field(default_factory=list)
    recipients: list[Box] = field(default_factory=list)  # 提供先 and 移転先
    contractors: list[Box] = field(default_factory=list)


_PAREN_RE = r"\s*[(（]\s*([^()（）]*?)\s*[)）]"


def _source_boxes(aid: str, f: SpecificFile) -> list[Box]:
    """The checked options of ①入手元, each with what the form prints in its parentheses."""
    for sec in f.overview.sections:
        src: Field | None = sec.get(FieldKey.sources)
        if src is None:
            continue
        gid = f"{aid}/{sec.id}"
        if src.check is not None:
            low = src.check.confidence == "low"
            out = []
            for name in src.check.checked:
                detail = src.check.other if name == "その他" else None
                if not detail and src.text:
                    m = re.search(re.escape(name) + _PAREN_RE, src.text)
                    detail = m.group(1) if m else None
                label = f"{name}（{detail}）" if detail else name
                out.append(Box(label, gid, "チェック状態は推定" if low else ""))
            if out:
                return out
        if src.text:
            return [Box(src.text, gid)]
        if src.gap is not None:
            return [Box(GAP_LABELS[src.gap], gid)]
        return []
    return []


def _merge(boxes: list[Box]) -> list[Box]:
    """One box per name: the same 提供先 under two legal bases is one party."""
    merged: dict[tuple[str, str], Box] = {}
    for box in boxes:
        key = (re.sub(r"\s+", "", box.label), box.sub)
        if key in merged:
            merged[key].count += 1
        else:
            merged[key] = Box(box.label, box.gid, box.sub)
    return list(merged.values())


def file_flow(site: SiteIndex, aid: str, f: SpecificFile) -> Flow:
    fgid = f"{aid}/{f.id}"
    flow = Flow(Box(f.name.text or f"特定個人情報ファイル{f.no}", fgid))
    flow.sources = _source_boxes(aid, f)
    for sgid in site.file_systems.get(fgid, []):
        rec = site.objects.get(sgid)
        if rec is None:
            continue
        gap = getattr(rec.obj, "gap", None)
        flow.systems.append(Box(rec.title, sgid, GAP_LABELS[gap] if gap else ""))
    recipients: list[Box] = []
    contractors: list[Box] = []
    for sec in f.overview.sections:
        for kind, entries in (("提供先", sec.provisions), ("移転先", sec.transfers)):
            for prov in entries:
                title = prov.title
                name = (title.text if title and title.text else None) or (title.label if title and title.label else f"{kind}{prov.no or ''}")
                recipients.append(Box(name, f"{aid}/{prov.id}", kind))
        for ent in sec.entrustments:
            contractor = ent.get(FieldKey.contractor)
            name = contractor.text if contractor is not None and contractor.text else "委託先名の記載なし"
            task = ent.title.text if ent.title and ent.title.text else ""
            contractors.append(Box(name, f"{aid}/{ent.id}", task))
    flow.recipients = _merge(recipients)
    # a contractor with several 委託事項 is one box naming how many
    by_name: dict[str, Box] = {}
    tasks: dict[str, int] = {}
    for box in contractors:
        key = re.sub(r"\s+", "", box.label)
        tasks[key] = tasks.get(key, 0) + 1
        if key in by_name:
            by_name[key].sub = f"委託事項 {tasks[key]}件"
        else:
            by_name[key] = box
    flow.contractors = list(by_name.values())
    return flow


# -- layout (pure) ----------------------------------------------------------------

FONT = 13  # px, box labels
SUB_FONT = 11
LINE = 17  # px per label line
SUB_LINE = 14
PAD = 7
GAP = 8
HEAD = 22  # a column heading's height
MAX_LINES = 3


def clean(text: str) -> str:
    """Label text for SVG: no control, line or paragraph separator characters."""
    return "".join(" " if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") else ch for ch in text).strip()


def text_width(text: str, size: float = FONT) -> float:
    return sum(size if unicodedata.east_asian_width(ch) in ("W", "F", "A") else size * 0.6 for ch in text)


NO_LINE_START = set("、。，．,.)）」』】〕］]・ー…")


def wrap(text: str, width: float, size: float = FONT, max_lines: int = MAX_LINES) -> list[str]:
    """Break at any character (Japanese has no spaces); the last line ends in … when cut."""
    text = re.sub(r"\s+", " ", clean(text))
    lines: list[str] = []
    line = ""
    for ch in text:
        # a closing mark never starts a line (禁則): it may overhang the box's padding
        if text_width(line + ch, size) > width and not (ch in NO_LINE_START and line):
            lines.append(line)
            line = ch.lstrip()
            if len(lines) == max_lines:
                break
        else:
            line += ch
    else:
        if line:
            lines.append(line)
        return lines or [""]
    last = lines[-1]
    while last and text_width(last + "…", size) > width:
        last = last[:-1]
    lines[-1] = last + "…"
    return lines


def _box(box: Box, kind: str, x: float, y: float, w: float) -> dict:
    label = box.label + (f"（{box.count}件）" if box.count > 1 else "")
    lines = wrap(label, w - 2 * PAD)
    sub = wrap(box.sub, w - 2 * PAD, SUB_FONT, 1) if box.sub else []
    h = 2 * PAD + len(lines) * LINE + len(sub) * SUB_LINE
    full = clean(label) + (f"（{clean(box.sub)}）" if box.sub else "")
    return {"x": x, "y": y, "w": w, "h": h, "lines": lines, "sub": sub, "gid": box.gid, "kind": kind, "title": full}


def _stack(boxes: list[tuple[Box, str]], x: float, y: float, w: float, out: list[dict]) -> float:
    for box, kind in boxes:
        b = _box(box, kind, x, y, w)
        out.append(b)
        y += b["h"] + GAP
    return y


def _empty(text: str) -> Box:
    return Box(text)


COLUMN_HEADS = {"sources": "入手元", "file": "特定個人情報ファイル", "systems": "取り扱うシステム", "recipients": "提供先・移転先", "contractors": "委託先"}
EMPTY = {
    "sources": "評価書に入手元の記載なし",
    "systems": "取り扱うシステムの記録なし",
    "recipients": "評価書に提供先・移転先の記載なし",
    "contractors": "評価書に委託先の記載なし",
}


def _group(flow: Flow, name: str) -> list[tuple[Box, str]]:
    boxes = getattr(flow, name)
    return [(b, name) for b in boxes] or [(_empty(EMPTY[name]), "empty")]


def layout(flow: Flow, mode: str = "wide") -> dict:
    """Boxes, headings and arrows in pixels; ``mode`` is ``wide`` or ``narrow``."""
    boxes: list[dict] = []
    heads: list[dict] = []
    edges: list[dict] = []
    margin = 8
    if mode == "wide":
        col_w, gutter = 200.0, 64.0
        xs = [margin, margin + col_w + gutter, margin + 2 * (col_w + gutter)]
        width = xs[2] + col_w + margin
        top = margin + HEAD
        heads.append({"x": xs[0], "y": margin + 14, "text": COLUMN_HEADS["sources"]})
        first = len(boxes)
        bottom0 = _stack(_group(flow, "sources"), xs[0], top, col_w, boxes)
        sources = boxes[first:]
        heads.append({"x": xs[1], "y": margin + 14, "text": COLUMN_HEADS["file"]})
        file_box = _box(flow.file, "file", xs[1], top, col_w)
        boxes.append(file_box)
        y = file_box["y"] + file_box["h"] + GAP + 6
        heads.append({"x": xs[1], "y": y + 14, "text": COLUMN_HEADS["systems"]})
        first = len(boxes)
        bottom1 = _stack(_group(flow, "systems"), xs[1], y + HEAD, col_w, boxes)
        systems = boxes[first:]
        heads.append({"x": xs[2], "y": margin + 14, "text": COLUMN_HEADS["recipients"]})
        first = len(boxes)
        y = _stack(_group(flow, "recipients"), xs[2], top, col_w, boxes)
        heads.append({"x": xs[2], "y": y + 6 + 14, "text": COLUMN_HEADS["contractors"]})
        bottom2 = _stack(_group(flow, "contractors"), xs[2], y + 6 + HEAD, col_w, boxes)
        outgoing = boxes[first:]
        fx, fy = file_box["x"], file_box["y"] + file_box["h"] / 2
        for b in sources:
            edges.append({"from": (b["x"] + b["w"], b["y"] + b["h"] / 2), "to": (fx, fy), "arrow": True})
        for b in outgoing:
            edges.append({"from": (fx + file_box["w"], fy), "to": (b["x"], b["y"] + b["h"] / 2), "arrow": True})
        if systems:
            s = systems[0]
            edges.append({"from": (fx + col_w / 2, file_box["y"] + file_box["h"]), "to": (s["x"] + col_w / 2, s["y"] - HEAD + 4), "arrow": False})
        height = max(bottom0, bottom1, bottom2) - GAP + margin
    else:
        col_w = 280.0
        width = col_w + 2 * margin
        x = margin
        y = margin
        previous_bottom = None
        for name in ("sources", "file", "systems", "recipients", "contractors"):
            if name != "systems" and previous_bottom is not None:
                # an arrow from the group above to this one
                edges.append({"from": (x + col_w / 2, previous_bottom), "to": (x + col_w / 2, previous_bottom + 16), "arrow": True})
                y = previous_bottom + 18
            heads.append({"x": x, "y": y + 14, "text": COLUMN_HEADS[name]})
            y += HEAD
            group = [(flow.file, "file")] if name == "file" else _group(flow, name)
            y = _stack(group, x, y, col_w, boxes)
            previous_bottom = y - GAP + 2
            y += 4
        height = y - GAP + margin
    names = {
        "sources": [b.label for b in flow.sources], "systems": [b.label for b in flow.systems],
        "recipients": [b.label for b in flow.recipients], "contractors": [b.label for b in flow.contractors],
    }
    title = f"データの流れ: {clean(flow.file.label)}"
    def count(name: str, what: str) -> str:
        return f"{what} {len(names[name])}件" if names[name] else f"{what}の記載なし"

    desc = (
        f"{count('sources', '入手元')}、ファイル「{clean(flow.file.label)}」、"
        f"{count('recipients', '提供先・移転先')}、{count('contractors', '委託先')}、{count('systems', '取り扱うシステム')}。"
        "入手元からファイルへ、ファイルから提供先・移転先と委託先へ矢印で結んでいる。"
    )
    return {"mode": mode, "width": round(width), "height": round(height), "boxes": boxes, "heads": heads, "edges": edges, "title": title, "desc": desc}


# -- the node and its writers -------------------------------------------------------


class dataflow(nodes.General, nodes.Element):
    """A laid-out data-flow picture; ``layout`` is plain data, ``hrefs`` maps the
    boxes' pia names to URIs once they are resolved."""


def dataflow_node(flow: Flow, mode: str = "wide") -> dataflow:
    node = dataflow()
    node["layout"] = layout(flow, mode)
    node["hrefs"] = {}
    node["classes"] = ["pia-dataflow-picture", f"pia-dataflow-{mode}"]
    return node


#: a link filled in when the page is written (sphinx_ext/html_pages.py): control
#: characters no content can hold, kept as they are until then
DEFERRED_HREF = re.compile("\x1eH\\d+\x1f")


def _e(text: str) -> str:
    return html.escape(clean(str(text)), quote=True)


def _n(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


FILL = {"file": "#eef3fb", "empty": "#ffffff"}
STROKE = {"file": "#1d4f91", "empty": "#767676"}


def svg(node: dataflow, prefix: str) -> str:
    """The picture as an SVG element.  It is a group of links, not an image: role=img
    would hide the links inside it from assistive technology."""
    lay = node["layout"]
    hrefs = node.get("hrefs", {})
    w, h = lay["width"], lay["height"]
    out = [
        # width 100% and no height: the picture scales to its column, the viewBox keeps its
        # proportions (no style attribute or stylesheet needed, so it works in any theme)
        f'<svg xmlns="http://www.w3.org/2000/svg" class="pia-dataflow-svg" role="group" width="100%" '
        f'viewBox="0 0 {w} {h}" aria-labelledby="{prefix}-title" aria-describedby="{prefix}-desc" '
        'font-family="sans-serif">',
        f'<title id="{prefix}-title">{_e(lay["title"])}</title>',
        f'<desc id="{prefix}-desc">{_e(lay["desc"])}</desc>',
        f'<defs><marker id="{prefix}-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#555555"/></marker></defs>',
        '<g class="pia-dataflow-edges" aria-hidden="true" fill="none" stroke="#555555" stroke-width="1.3">',
    ]
    for edge in lay["edges"]:
        (x1, y1), (x2, y2) = edge["from"], edge["to"]
        if abs(y1 - y2) < 0.5 or abs(x1 - x2) < 0.5:
            d = f"M{_n(x1)},{_n(y1)} L{_n(x2)},{_n(y2)}"
        else:
            mid = (x1 + x2) / 2
            d = f"M{_n(x1)},{_n(y1)} C{_n(mid)},{_n(y1)} {_n(mid)},{_n(y2)} {_n(x2)},{_n(y2)}"
        marker = f' marker-end="url(#{prefix}-arrow)"' if edge["arrow"] else ' stroke-dasharray="4 3"'
        out.append(f'<path d="{d}"{marker}/>')
    out.append("</g>")
    out.append('<g class="pia-dataflow-heads" aria-hidden="true" font-size="12" font-weight="bold" fill="#333333">')
    for head in lay["heads"]:
        out.append(f'<text x="{_n(head["x"])}" y="{_n(head["y"])}">{_e(head["text"])}</text>')
    out.append("</g>")
    for b in lay["boxes"]:
        kind = b["kind"]
        dash = ' stroke-dasharray="3 3"' if kind == "empty" else ""
        rect = (
            f'<rect x="{_n(b["x"])}" y="{_n(b["y"])}" width="{_n(b["w"])}" height="{_n(b["h"])}" rx="4" '
            f'fill="{FILL.get(kind, "#ffffff")}" stroke="{STROKE.get(kind, "#555555")}" '
            f'stroke-width="{2 if kind == "file" else 1}"{dash}/>'
        )
        texts = []
        ty = b["y"] + PAD + FONT
        for line in b["lines"]:
            weight = ' font-weight="bold"' if kind == "file" else ""
            texts.append(f'<text x="{_n(b["x"] + PAD)}" y="{_n(ty)}" font-size="{FONT}" fill="#1a1a1a"{weight}>{_e(line)}</text>')
            ty += LINE
        for line in b["sub"]:
            texts.append(f'<text x="{_n(b["x"] + PAD)}" y="{_n(ty - 2)}" font-size="{SUB_FONT}" fill="#4a4a4a">{_e(line)}</text>')
            ty += SUB_LINE
        label = f"{COLUMN_HEADS.get(kind, '')}: {b['title']}" if kind in COLUMN_HEADS else b["title"]
        href = hrefs.get(b["gid"]) if b["gid"] else None
        cls = f"pia-dataflow-box pia-dataflow-{_e(kind)}"
        if href:
            out.append(f'<a href="{href if DEFERRED_HREF.fullmatch(href) else _e(href)}" class="{cls}"><title>{_e(label)}</title>{rect}{"".join(texts)}</a>')
        else:
            out.append(f'<g class="{cls}"><title>{_e(label)}</title>{rect}{"".join(texts)}</g>')
    out.append("</svg>")
    return "".join(out)


def visit_dataflow_html(self, node: dataflow) -> None:
    count = getattr(self, "_pia_dataflow_count", 0) + 1
    self._pia_dataflow_count = count
    classes = " ".join(_e(c) for c in node.get("classes", []))
    self.body.append(f'<div class="{classes}">{svg(node, f"pia-dataflow-{count}")}</div>\n')
    raise nodes.SkipNode


def skip_dataflow(self, node: dataflow) -> None:
    """Not HTML: the text list beside the picture carries it."""
    raise nodes.SkipNode


def resolve_links(app, doctree: nodes.document, docname: str) -> None:
    """Box names → URIs of the pages and anchors where the pia domain documents them."""
    if getattr(app.builder, "format", "") != "html":
        return
    objects = app.env.domains["pia"].objects
    deferred = getattr(doctree, "pia_links", None)  # a page written directly: hrefs are filled in then
    for node in doctree.findall(dataflow):
        hrefs = {}
        for box in node["layout"]["boxes"]:
            if deferred is not None:
                if box["gid"]:
                    hrefs[box["gid"]] = deferred.href(box["gid"])
                continue
            entry = objects.get(box["gid"]) if box["gid"] else None
            if entry is None:
                continue
            target, anchor = entry[0], entry[1]
            try:
                uri = app.builder.get_relative_uri(docname, target)
            except Exception:  # noqa: BLE001 - a builder without URIs for it: the box stays text
                continue
            hrefs[box["gid"]] = f"{uri}#{anchor}"
        node["hrefs"] = hrefs


class FlowPages:
    """The picture with its text list, for the file and assessment pages.  Mixed into
    :class:`~.objects.Renderer` (needs ``self.site`` and ``self.link``)."""

    def flow_figure(self, aid: str, f: SpecificFile, mode: str = "wide") -> nodes.container:
        flow = file_flow(self.site, aid, f)
        figure = nodes.container(classes=["pia-dataflow", f"pia-dataflow-{mode}-figure"])
        figure += dataflow_node(flow, mode)
        text = self.flow_text(flow)
        # beside a narrow picture among others the list waits behind a dropdown; other
        # builders turn the dropdown into a plain container, so the list still shows
        figure += dropdown("図の内容（文字）", [text], ("pia-dataflow-text-dropdown",)) if mode == "narrow" else text
        return figure

    def flow_text(self, flow: Flow) -> nodes.bullet_list:
        """What the picture shows, as a list of links: its text alternative, and the
        only form of it in builders other than HTML."""
        lst = nodes.bullet_list(classes=["pia-dataflow-text"])

        def row(head: str, boxes: list[Box], empty: str) -> None:
            para = nodes.paragraph()
            para += nodes.Text(f"{head}: ")
            if not boxes:
                para += nodes.Text(empty)
            for i, box in enumerate(boxes):
                if i:
                    para += nodes.Text("、")
                text = box.label + (f"（{box.count}件）" if box.count > 1 else "")
                if box.gid and box.gid in self.site.objects:
                    para += self.link(self.site.objects[box.gid].kind, box.gid, text)
                else:
                    para += nodes.Text(text)
                if box.sub:
                    para += nodes.Text(f"（{box.sub}）")
            lst.append(nodes.list_item("", para))

        row("入手元", flow.sources, EMPTY["sources"])
        row("特定個人情報ファイル", [flow.file], "")
        row("取り扱うシステム", flow.systems, EMPTY["systems"])
        row("提供先・移転先", flow.recipients, EMPTY["recipients"])
        row("委託先", flow.contractors, EMPTY["contractors"])
        return lst


def setup_dataflow(app) -> None:
    """Register the node, its writers and link resolution (called from the extension's
    setup; a second call does nothing)."""
    if getattr(app, "_pia_dataflow", False):
        return
    app._pia_dataflow = True
    app.add_node(
        dataflow,
        html=(visit_dataflow_html, None),
        latex=(skip_dataflow, None),
        text=(skip_dataflow, None),
        man=(skip_dataflow, None),
        texinfo=(skip_dataflow, None),
    )
    app.connect("doctree-resolved", resolve_links)
