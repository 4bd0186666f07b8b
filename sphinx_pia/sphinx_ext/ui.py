"""The site's interface around the content: Japanese theme strings, the footer,
the reviewer-detail toggle and the accessibility results page.

``setup_ui(app)`` is called from the extension's ``setup()`` (it can also be listed
on its own in ``extensions`` as ``sphinx_pia.sphinx_ext.ui``).

Configuration:

``pia_site_owner``
    the organization publishing the site (footer: 「運営：…」); empty: not shown.
``pia_copyright``
    the copyright line (footer: 「© …」); empty: Sphinx's ``copyright`` if set.
"""

from __future__ import annotations

import gettext
import re
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.writers.html5 import HTML5Translator

from .accessibility import AccessibilityResults

UI_TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "ui"

# Theme strings Sphinx's own Japanese catalog leaves untranslated (furo's, and a few
# of Sphinx's with an empty msgstr).  They are a fallback: a translation in Sphinx's
# catalog or in the project's locale_dirs wins.
JA_STRINGS = {
    "Skip to content": "本文へ移動",
    "Back to top": "ページの先頭へ",
    "On this page": "このページの内容",
    "Next": "次へ",
    "Previous": "前へ",
    "Home": "ホーム",
    "Link to this heading": "この見出しへのリンク",
    "Link to this definition": "この定義へのリンク",
    "Link to this table": "この表へのリンク",
    "Link to this image": "この画像へのリンク",
    "Link to this code": "このコードへのリンク",
    "Edit this page": "このページを編集",
    "View this page": "このページのソースを表示",
}

# furo writes a few accessible names in its templates and navigation code without
# gettext: they are replaced in the rendered page (exact strings, nothing else).
_FURO_LABELS = {
    'aria-label="Toggle site navigation sidebar"': 'aria-label="サイト内ナビゲーションの表示・非表示"',
    'aria-label="Toggle table of contents sidebar"': 'aria-label="このページの内容の表示・非表示"',
    'aria-label="Toggle Light / Dark / Auto color theme"': 'aria-label="配色の切替（ライト・ダーク・自動）"',
}
_FURO_TOGGLE_NAV = re.compile(r'aria-label="Toggle navigation of ([^"]*)"')


class _Fallback(gettext.NullTranslations):
    def __init__(self, catalog: dict[str, str]) -> None:
        super().__init__()
        self._catalog = catalog

    def gettext(self, message: str) -> str:
        return self._catalog.get(message, message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.gettext(singular if n == 1 else plural)


def _is_japanese(app: Sphinx) -> bool:
    return (app.config.language or "").split("_")[0].split("-")[0] == "ja"


def _add_translations(app: Sphinx, config) -> None:
    if not _is_japanese(app):
        return
    translator = app.translator
    # Only once per translator (a test session reuses Sphinx's translator objects).
    probe = translator
    while probe is not None:
        if isinstance(probe, _Fallback):
            return
        probe = getattr(probe, "_fallback", None)
    translator.add_fallback(_Fallback(JA_STRINGS))


def _add_templates(app: Sphinx, config) -> None:
    # Our page.html extends the theme's ("!page.html"): it replaces only the footer
    # and adds the skip link target, so any theme keeps its layout.
    config.templates_path = [*config.templates_path, str(UI_TEMPLATES)]


def _localize_furo(app: Sphinx) -> None:
    builder = app.builder
    templates = getattr(builder, "templates", None)
    if not _is_japanese(app) or templates is None or getattr(builder, "format", "") != "html":
        return
    render = templates.render

    def localized(template: str, context: dict) -> str:
        out = render(template, context)
        if "furo" not in out:  # another theme: nothing to translate
            return out
        for english, japanese in _FURO_LABELS.items():
            out = out.replace(english, japanese)
        return _FURO_TOGGLE_NAV.sub(r'aria-label="「\1」の下位項目の表示・非表示"', out)

    templates.render = localized


def _visit_entry(self, node: nodes.entry) -> None:
    # docutils writes <th> without scope; a header cell heads its column (thead) or its
    # row (a stub column), which screen readers announce with each data cell.
    HTML5Translator.visit_entry(self, node)
    last = self.body[-1]
    if last.startswith("<th ") or last.startswith("<th>"):
        scope = "col" if isinstance(node.parent.parent, nodes.thead) else "row"
        self.body[-1] = f'<th scope="{scope}"' + last[3:]


def _depart_entry(self, node: nodes.entry) -> None:
    HTML5Translator.depart_entry(self, node)


def _page_context(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    context["pia_site_owner"] = app.config.pia_site_owner
    context["pia_copyright"] = app.config.pia_copyright or app.config.copyright or ""
    context["pia_has_accessibility_page"] = "accessibility" in app.env.all_docs


def setup_ui(app: Sphinx) -> None:
    if "pia_site_owner" in app.config.values:  # already set up (listed as an extension too)
        return
    app.add_config_value("pia_site_owner", "", "html", types=[str])
    app.add_config_value("pia_copyright", "", "html", types=[str])
    app.add_directive("pia-accessibility-results", AccessibilityResults)
    app.add_node(nodes.entry, override=True, html=(_visit_entry, _depart_entry))
    app.connect("config-inited", _add_translations)
    app.connect("config-inited", _add_templates)
    app.connect("builder-inited", _localize_furo)
    app.connect("html-page-context", _page_context)


def setup(app: Sphinx) -> dict:
    """As an extension of its own (``sphinx_pia.sphinx_ext.ui``); sphinx_pia's setup() calls setup_ui."""
    setup_ui(app)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
