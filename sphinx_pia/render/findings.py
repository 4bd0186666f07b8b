"""点検結果 as docutils nodes: per assessment, and the site-wide 点検一覧 grouped by
rule and by organization (each group a closed <details>, so the list filters
without any script)."""

from __future__ import annotations

from collections import Counter

from docutils import nodes

from ..check import Finding, Rule, Severity
from .nodes import badge, dropdown, xref
from .tables import css_token, table

SEVERITY_COLOR = {Severity.error: "danger", Severity.warning: "warning", Severity.info: "info"}


def severity_badge(severity: Severity) -> nodes.inline:
    return badge(severity.label, SEVERITY_COLOR[severity], (f"pia-sev-{severity.value}",))


def summary(findings: list[Finding]) -> nodes.paragraph:
    n = Counter(f.severity for f in findings)
    para = nodes.paragraph(classes=["pia-findings-summary"])
    if not findings:
        para += nodes.Text("指摘はありません。")
        return para
    for i, sev in enumerate(Severity):
        if i:
            para += nodes.Text(" ")
        para += severity_badge(sev)
        para += nodes.Text(f" {n[sev]} 件")
    return para


def _target(f: Finding, title: str | None, warn: bool) -> nodes.Node:
    return xref("ref", f.target, title or f.target, warn=warn)


def findings_table(
    findings: list[Finding], titles: dict[str, str], *, with_assessment: bool = False, with_rule: bool = True,
    org_names: dict[str, str] | None = None, warn: bool = True, classes: tuple[str, ...] = (),
) -> nodes.table:
    """One row per finding; the row's classes name its rule, organization and severity
    (pia-review.js filters on them)."""
    header = ["重大度", *(["規則"] if with_rule else []), *(["実施機関"] if org_names is not None else []),
              *(["評価書"] if with_assessment else []), "対象", "指摘", "原文"]
    rows = []
    for f in sorted(findings, key=lambda f: (f.severity.rank, f.rule)):
        cells: list = [severity_badge(f.severity)]
        if with_rule:
            cells.append(nodes.inline("", f"{f.rule} {f.rule_info.title}", classes=["pia-rule-name"]))
        if org_names is not None:
            cells.append(nodes.inline("", org_names.get(f.organization, f.organization), classes=["pia-org-name"]))
        if with_assessment:
            cells.append(xref("assessment", f.assessment, titles.get(f.assessment, f.assessment), warn=warn))
        cells += [_target(f, titles.get(f.target), warn), f.message, f"{f.line}行" if f.line else ""]
        rows.append((cells, ["pia-finding", f"pia-rule-{css_token(f.rule)}", f"pia-org-{css_token(f.organization)}", f"pia-sev-{f.severity.value}"]))
    return table(header, rows, ("pia-findings", *classes))


def rule_basis(rule: Rule) -> nodes.paragraph:
    para = nodes.paragraph(classes=["pia-rule-basis"])
    para += nodes.strong("根拠: ", "根拠: ")
    para += nodes.Text(rule.basis)
    return para


def assessment_findings(findings: list[Finding], titles: dict[str, str], warn: bool = True) -> list[nodes.Node]:
    """The 点検結果 of one assessment: a summary, the table, the rules' bases."""
    out: list[nodes.Node] = [summary(findings)]
    if not findings:
        return out
    out.append(findings_table(findings, titles, warn=warn))
    rules = {f.rule: f.rule_info for f in findings}
    lst = nodes.bullet_list(classes=["pia-rules"])
    for rid in sorted(rules):
        item = nodes.list_item()
        item += nodes.paragraph("", f"{rid} {rules[rid].title}")
        item += rule_basis(rules[rid])
        lst += item
    out.append(dropdown("点検の規則と根拠", [lst], ("pia-rules-dropdown",)))
    return out


def findings_index(findings: list[Finding], rules: list[Rule], titles: dict[str, str], org_names: dict[str, str], warn: bool = True) -> list[nodes.Node]:
    """The site-wide 点検一覧: the summary, then one group per rule and one per organization."""
    out: list[nodes.Node] = [summary(findings)]
    every = nodes.section(ids=["pia-findings-all"])
    every += nodes.title("すべての指摘", "すべての指摘")
    every += nodes.paragraph("", "規則・実施機関・重大度で絞り込めます（JavaScript が無効のときは下の規則別・実施機関別の一覧を使ってください）。",
                             classes=["pia-filter-hint"])
    every += findings_table(findings, titles, with_assessment=True, org_names=org_names, warn=warn, classes=("pia-filterable",))
    out.append(every)
    by_rule = nodes.section(ids=["pia-findings-by-rule"])
    by_rule += nodes.title("規則別", "規則別")
    for rule in rules:
        mine = [f for f in findings if f.rule == rule.id]
        body: list[nodes.Node] = [rule_basis(rule)]
        body.append(findings_table(mine, titles, with_assessment=True, with_rule=False, warn=warn) if mine else nodes.paragraph("", "該当なし。"))
        by_rule += dropdown(f"{rule.id} {rule.title}（{len(mine)} 件）", body, (f"pia-rule-group", f"pia-rule-{css_token(rule.id)}"))
    out.append(by_rule)
    by_org = nodes.section(ids=["pia-findings-by-organization"])
    by_org += nodes.title("実施機関別", "実施機関別")
    for org in sorted({f.organization for f in findings}):
        mine = [f for f in findings if f.organization == org]
        body = [summary(mine), findings_table(mine, titles, with_assessment=True, warn=warn)]
        by_org += dropdown(f"{org_names.get(org, org)}（{len(mine)} 件）", body, ("pia-org-group", f"pia-org-{css_token(org)}"))
    out.append(by_org)
    return out
