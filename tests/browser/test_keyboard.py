"""Keyboard-only use, in Chromium: every control reached by Tab with a visible focus,
dropdowns, furo's drawers and the reviewer-detail toggle operated by Enter and Space;
reviewer detail collapsed by default, remembered across pages, shown without
JavaScript and in print; checkbox glyphs with a text alternative."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import record

FOCUSABLE = """() => {
  const sel = 'a[href], button:not([disabled]), input:not([type=hidden]):not([disabled]), select:not([disabled]), textarea, summary, [tabindex]:not([tabindex="-1"])';
  const els = [...document.querySelectorAll(sel)].filter(e => e.checkVisibility({visibilityProperty: true}) && e.tabIndex >= 0
      && e.getBoundingClientRect().width > 0);
  els.forEach((e, i) => e.dataset.kb = String(i));
  return els.length;
}"""

FOCUS_STATE = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const s = getComputedStyle(e);
  const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
  const ring = s.boxShadow && s.boxShadow !== 'none';
  return {kb: e.dataset.kb ?? null, visible: outline || ring, tag: e.tagName, text: (e.textContent || e.getAttribute('aria-label') || '').trim().slice(0, 40)};
}"""


def tab_through(page) -> tuple[int, set[str], list[str]]:
    """Tab from the top of the page until focus wraps; the controls reached, and those
    that showed no focus indicator."""
    total = page.evaluate(FOCUSABLE)
    reached: set[str] = set()
    invisible: list[str] = []
    for _ in range(total + 10):
        page.keyboard.press("Tab")
        state = page.evaluate(FOCUS_STATE)
        if state is None:
            continue
        if state["kb"] is not None:
            if state["kb"] in reached:
                break
            reached.add(state["kb"])
        if not state["visible"]:
            invisible.append(f"{state['tag']} {state['text']}")
    return total, reached, invisible


@pytest.mark.parametrize("rel,width", [("pia/fujimino-juki/file-1.html", 1280), ("pia/fujimino-juki/file-1.html", 390),
                                       ("search.html?q=住民票コード", 1280), ("pia/laws/bangoho-art-19-i8.html", 390)])
def test_every_control_reached_by_tab_with_visible_focus(built_site, chromium, a11y_report, rel, width):
    context = chromium.new_context(viewport={"width": width, "height": 900}, locale="ja-JP")
    try:
        page = context.new_page()
        page.goto(f"file://{built_site}/{rel}")
        if rel.startswith("search"):
            page.wait_for_function("document.querySelector('#search-results').getAttribute('aria-busy') === 'false'")
        total, reached, invisible = tab_through(page)
    finally:
        context.close()
    missed = total - len(reached)
    record(a11y_report, f"Tab キーですべての操作部品に到達できる（{rel.split('?')[0]}、{width}px）", ["2.1.1", "2.1.2", "2.4.3"],
           total > 0 and missed == 0, f"{missed} / {total} 個に到達できない")
    record(a11y_report, f"フォーカスが見える（{rel.split('?')[0]}、{width}px）", ["2.4.7"], not invisible,
           f"フォーカス表示のない部品: {invisible[:5]}")


def test_dropdown_opens_and_closes_by_enter_and_space(built_site, page, a11y_report):
    page.goto(f"file://{built_site}/pia/fujimino-juki/file-1.html")
    summary = page.locator("details.sd-dropdown > summary").first
    summary.focus()
    page.keyboard.press("Enter")
    opened = summary.evaluate("s => s.parentElement.open")
    page.keyboard.press("Space")
    closed = not summary.evaluate("s => s.parentElement.open")
    record(a11y_report, "開閉できる項目（ドロップダウン）を Enter キー・スペースキーで開閉できる", ["2.1.1", "4.1.2"], opened and closed,
           f"Enter で開く: {opened}、スペースで閉じる: {closed}")


def test_furo_navigation_drawer_by_keyboard_at_390px(built_site, chromium, a11y_report):
    context = chromium.new_context(viewport={"width": 390, "height": 844}, locale="ja-JP")
    try:
        page = context.new_page()
        page.goto(f"file://{built_site}/pia/fujimino-juki/file-1.html")
        menu = page.locator("label.nav-overlay-icon")
        ok_role = menu.get_attribute("role") == "button" and menu.get_attribute("tabindex") == "0" and bool(menu.get_attribute("aria-label"))
        menu.focus()
        page.keyboard.press("Enter")
        opened = page.evaluate("document.getElementById('__navigation').checked") and menu.get_attribute("aria-expanded") == "true"
        page.wait_for_timeout(300)
        drawer_link = page.locator(".sidebar-drawer a.reference").first
        visible = drawer_link.evaluate("a => { const r = a.getBoundingClientRect(); return r.right > 0 && r.left < innerWidth; }")
        page.keyboard.press("Space")
        closed = not page.evaluate("document.getElementById('__navigation').checked")
    finally:
        context.close()
    record(a11y_report, "狭い画面（390px）でメニューを Enter キー・スペースキーで開閉できる", ["2.1.1", "4.1.2"],
           ok_role and opened and visible and closed, f"button: {ok_role}、開く: {opened}、表示: {visible}、閉じる: {closed}")


def _detail_visible(page) -> list[bool]:
    return page.eval_on_selector_all(".pia-detail", "els => els.map(e => e.checkVisibility())")


def test_detail_toggle(themes_site, chromium, a11y_report):
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="ja-JP")
    try:
        page = context.new_page()
        page.goto(f"file://{themes_site}/detail.html")
        buttons = page.locator("button.pia-detail-toggle")
        assert buttons.count() == 1
        button = buttons.first
        region = page.locator(f"#{button.get_attribute('aria-controls')}")
        assert region.count() == 1 and region.locator(".pia-detail").count() == 3
        collapsed_by_default = button.get_attribute("aria-expanded") == "false" and not any(_detail_visible(page)) \
            and button.inner_text().strip() == "原文との対応・注記を表示"
        # reached by Tab, opened by Enter
        _, reached, _ = tab_through(page)
        tab_reaches = button.get_attribute("data-kb") in reached
        button.focus()
        page.keyboard.press("Enter")
        shown = button.get_attribute("aria-expanded") == "true" and all(_detail_visible(page)) \
            and button.inner_text().strip() == "原文との対応・注記を隠す"
        # remembered on the next page
        page.goto(f"file://{themes_site}/index.html")
        page.goto(f"file://{themes_site}/detail.html")
        remembered = all(_detail_visible(page)) and page.locator("button.pia-detail-toggle").get_attribute("aria-expanded") == "true"
        page.locator("button.pia-detail-toggle").focus()
        page.keyboard.press("Space")
        hidden_again = not any(_detail_visible(page))
        page.goto(f"file://{themes_site}/index.html")
        page.goto(f"file://{themes_site}/detail.html")
        remembered_hidden = not any(_detail_visible(page))
        # a link to an anchor inside a collapsed detail shows it
        page.goto(f"file://{themes_site}/detail.html#detail-anchor")
        anchor_shown = page.locator("#detail-anchor").is_visible()
        # print shows every detail
        page.goto(f"file://{themes_site}/detail.html")
        page.emulate_media(media="print")
        printed = all(_detail_visible(page))
    finally:
        context.close()
    no_js = chromium.new_context(java_script_enabled=False)
    try:
        page = no_js.new_page()
        page.goto(f"file://{themes_site}/detail.html")
        without_js = all(_detail_visible(page))
    finally:
        no_js.close()
    record(a11y_report, "「原文との対応・注記を表示」ボタンを Tab キーで選び、Enter キー・スペースキーで操作できる", ["2.1.1", "4.1.2"],
           collapsed_by_default and tab_reaches and shown and hidden_again,
           f"初期状態で隠れる: {collapsed_by_default}、Tab で到達: {tab_reaches}、Enter で表示: {shown}、スペースで隠す: {hidden_again}")
    record(a11y_report, "注記の表示・非表示がページを移っても保たれ、JavaScript なしと印刷ではすべて表示される", ["1.3.1", "3.2.3"],
           remembered and remembered_hidden and anchor_shown and printed and without_js,
           f"表示の記憶: {remembered}、非表示の記憶: {remembered_hidden}、リンク先で表示: {anchor_shown}、印刷: {printed}、JavaScript なし: {without_js}")


def test_site_details_collapsed_by_default(built_site, page):
    """On the site itself, once the renderer marks reviewer detail (.pia-detail)."""
    page.goto(f"file://{built_site}/pia/fujimino-juki/file-1.html")
    count = page.locator(".pia-detail").count()
    if count == 0:
        pytest.skip("the site's pages carry no .pia-detail element yet (the renderer marks them)")
    assert page.locator("button.pia-detail-toggle").count() == 1
    assert not any(_detail_visible(page))
    page.locator("button.pia-detail-toggle").click()
    assert all(_detail_visible(page))


GLYPHS = """() => {
  const main = document.querySelector('article[role=main], [role=main], main') || document.body;
  // check marks anywhere; circles and squares only where they mark an option (in
  // verbatim source text ○ is a bullet, which says nothing by itself)
  const glyph = /[☑☐☒✓✔✗✘○◯●□■◎]/g;
  const checkMark = /[☑☐☒✓✔✗✘]/;
  const optionMark = (el) => el.closest('.sd-badge, [class*="pia-check"], [class*="pia-option"], [class*="pia-choice"]');
  // words that say what the mark means, beside it in the same block
  const state = /チェック(あり|なし)|未チェック|選択(?!肢)|該当/;
  const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
  const bare = [];
  let n, total = 0;
  while ((n = walker.nextNode())) {
    if (!n.data.match(glyph)) continue;
    const el = n.parentElement;
    if (!checkMark.test(n.data) && !optionMark(el)) continue;
    total++;
    const hidden = el.closest('[aria-hidden=true]');
    const named = el.closest('[aria-label]');
    const block = el.closest('p, li, dd, td, th, div') || el.parentElement;
    const spoken = block.querySelector('.visually-hidden, .sr-only, .pia-sr');
    const words = state.test(block.textContent.replace(glyph, ''));
    if (!named && !(hidden && spoken) && !words) bare.push(el.outerHTML.slice(0, 120));
  }
  return {total, bare};
}"""


def test_checkbox_glyphs_have_a_text_alternative(built_site, page, a11y_report):
    """✔ or ○ alone must not carry the meaning: the state is also said in words."""
    found = {"total": 0, "bare": [], "marked": 0}
    for rel in ["pia/fujimino-juki/index.html", "pia/fujimino-juki/file-1.html", "pia/hanamaki-kojin-juminzei/file-1.html"]:
        page.goto(f"file://{built_site}/{rel}")
        res = page.evaluate(GLYPHS)
        found["total"] += res["total"]
        found["bare"] += res["bare"]
        found["marked"] += page.locator(".pia-detail").count()
    if found["bare"] and found["marked"] == 0:
        # the renderer that marks reviewer detail also says checked options in words;
        # until it is in, this is the known state (it still goes on the results page)
        a11y_report["keyboard"].append({"name": "選択の記号（✔・○ など）に文字での説明がある", "criteria": ["1.1.1", "1.3.3", "1.4.1"],
                                        "passed": False, "detail": f"記号 {found['total']} 個のうち {len(found['bare'])} 個に文字での説明がない"})
        pytest.xfail("the renderer writes ✔ glyphs without saying the state in words (fixed with the pia-detail renderer)")
    record(a11y_report, "選択の記号（✔・○ など）に文字での説明がある", ["1.1.1", "1.3.3", "1.4.1"],
           found["total"] > 0 and not found["bare"], f"記号 {found['total']} 個のうち {len(found['bare'])} 個に文字での説明がない（例: {found['bare'][:3]}）")
