"""Printing: Chromium's own PDF print of a page, on A4, with the navigation left out,
every dropdown's content printed and external links' targets written out."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

PRINT_DOM = """() => {
  const hidden = sel => [...document.querySelectorAll(sel)].every(e => !e.checkVisibility());
  const closed = [...document.querySelectorAll('details:not([open])')];
  const inside = closed.map(d => d.querySelector('.sd-summary-content, summary ~ *')).filter(Boolean);
  const ext = [...document.querySelectorAll('[role=main] a[href^="http"]')];
  return {
    navHidden: hidden('.sidebar-drawer') && hidden('.toc-drawer') && hidden('.mobile-header') && hidden('.related-pages'),
    closed: closed.length,
    closedContentVisible: inside.length > 0 && inside.every(e => e.checkVisibility()),
    external: ext.length,
    targetsShown: ext.every(a => getComputedStyle(a, '::after').content.includes(a.getAttribute('href'))),
    firstClosedText: inside.length ? inside[0].innerText.trim().split('\\n')[0] : '',
  };
}"""


def test_print_media_shows_dropdowns_and_hides_navigation(built_site, page, a11y_report):
    from .conftest import record

    page.emulate_media(media="print")
    page.goto(f"file://{built_site}/pia/fujimino-juki/file-1.html")
    dom = page.evaluate(PRINT_DOM)
    assert dom["closed"] > 0, "the page has no closed dropdown to print"
    page.goto(f"file://{built_site}/pia/laws/bangoho-art-19-i8.html")  # links to e-Gov
    law = page.evaluate(PRINT_DOM)
    assert law["external"] > 0, "the law page has no external link"
    record(a11y_report, "印刷するとナビゲーションが除かれ、閉じた項目の中身と外部リンクの URL が印刷される", ["1.3.1"],
           dom["navHidden"] and law["navHidden"] and dom["closedContentVisible"] and law["targetsShown"], f"{dom} {law}")


def test_pdf_is_a4_with_collapsed_dropdown_text(built_site, page, tmp_path):
    page.goto(f"file://{built_site}/pia/fujimino-juki/file-1.html")
    page.emulate_media(media="print")
    text_in_dropdown = page.evaluate(PRINT_DOM)["firstClosedText"]
    assert text_in_dropdown
    # (left on print: an emulated "screen" would make Chromium print the screen styles)
    pdf = tmp_path / "file-1.pdf"
    page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=False)
    data = pdf.read_bytes()
    pages = len(re.findall(rb"/Type\s*/Page[^s]", data))
    # a file page is long, but a sane print is not one sheet per card
    assert 3 <= pages <= 60, f"{pages} pages"
    # A4 is 595 x 842 points
    boxes = {tuple(round(float(v)) for v in m) for m in re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", data)}
    assert boxes == {(595, 842)}, boxes
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: the PDF's text is not checked")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, timeout=60, check=True).stdout
    compact = re.sub(r"\s+", "", text)
    assert re.sub(r"\s+", "", text_in_dropdown) in compact, f"{text_in_dropdown!r} not printed"
    assert "サイト内ナビゲーション" not in text and "本文へ移動" not in text and "このページの内容" not in text
