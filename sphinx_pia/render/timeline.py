"""The change timeline as docutils nodes: grouped views (closed <details>), then
every 変更箇所 row by year."""

from __future__ import annotations

from docutils import nodes

from ..timeline import GROUPS, TimelineEntry, by_group, by_year
from .nodes import badge, dropdown, xref
from .tables import css_token, table


def _date(e: TimelineEntry) -> list[nodes.Node]:
    if not e.date:
        return [badge("変更日なし", "light")]
    out: list[nodes.Node] = [nodes.Text(e.date)]
    if e.date_iso:
        out.append(nodes.inline("", f"（{e.date_iso}）", classes=["pia-iso-date"]))
    return out


def _timing(e: TimelineEntry) -> nodes.Node:
    t = (e.timing or "").strip()
    return badge(t, "primary" if t == "事前" else "secondary", (f"pia-timing-{'before' if t == '事前' else 'after' if t == '事後' else 'none'}",)) if t else badge("空欄", "light")


def entries_table(entries: list[TimelineEntry], titles: dict[str, str], warn: bool = True) -> nodes.table:
    rows = []
    for e in entries:
        targets: list[nodes.Node] = []
        for i, t in enumerate(e.targets):
            if i:
                targets.append(nodes.Text("、"))
            targets.append(xref("ref", t, titles.get(t, t), warn=warn))
        item = [xref("change", e.gid, " ".join(e.item.split()) or e.gid, warn=warn)]
        rows.append((
            [_date(e), e.organization_name, xref("assessment", e.assessment, e.assessment_title, warn=warn), item, targets or "—", _timing(e)],
            ["pia-timeline-entry", f"pia-org-{css_token(e.organization)}", *(f"pia-group-{g}" for g in e.groups)],
        ))
    return table(["変更日", "実施機関", "評価書", "項目", "変更した節", "提出時期"], rows, ("pia-timeline",))


def timeline_nodes(entries: list[TimelineEntry], titles: dict[str, str], warn: bool = True) -> list[nodes.Node]:
    out: list[nodes.Node] = [nodes.paragraph("", f"変更箇所の行 {len(entries)} 件（変更日順、変更日のない行は最後）。")]
    groups = nodes.section(ids=["pia-timeline-groups"])
    groups += nodes.title("分類別", "分類別")
    for gid, mine in by_group(entries).items():
        g = GROUPS[gid]
        body: list[nodes.Node] = [nodes.paragraph(g.description, g.description)]
        body.append(entries_table(mine, titles, warn) if mine else nodes.paragraph("", "該当なし。"))
        groups += dropdown(f"{g.label}（{len(mine)} 件）", body, ("pia-timeline-group", f"pia-group-{gid}"))
    out.append(groups)
    years = nodes.section(ids=["pia-timeline-years"])
    years += nodes.title("年別", "年別")
    for year, mine in by_year(entries).items():
        title = f"{year}年（{len(mine)} 件）" if year else f"変更日なし（{len(mine)} 件）"
        sec = nodes.section(ids=[f"pia-timeline-{year or 'undated'}"])
        sec += nodes.title(title, title)
        sec += entries_table(mine, titles, warn)
        years += sec
    out.append(years)
    return out
