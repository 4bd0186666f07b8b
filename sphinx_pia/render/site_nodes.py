"""Nodes for the site's own furniture: breadcrumbs and the search box.

They hold no text from the content that is not in a text node; their HTML visitors
write fixed markup around the children (``<nav>`` for breadcrumbs, a search form).
Other builders render the children only (breadcrumbs) or nothing (the search box).
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx


class Breadcrumbs(nodes.General, nodes.Element):
    """The way back up from an orphan page: a list of links."""


class SearchBox(nodes.General, nodes.Element):
    """A form that sends its query to the site's search page."""


def visit_breadcrumbs_html(self, node: Breadcrumbs) -> None:
    self.body.append('<nav class="pia-breadcrumbs" aria-label="現在位置">')


def depart_breadcrumbs_html(self, node: Breadcrumbs) -> None:
    self.body.append("</nav>\n")


def visit_searchbox_html(self, node: SearchBox) -> None:
    # The target is Sphinx's search page, which sphinx_pia's search script reads ?q= from.
    action = self.builder.get_relative_uri(self.builder.current_docname, "search")
    self.body.append(
        f'<form class="pia-searchbox" role="search" method="get" action="{self.attval(action)}">'
        '<label for="pia-searchbox-q">サイト内検索</label> '
        '<input type="search" id="pia-searchbox-q" name="q" '
        'placeholder="例: 住民票コード、番号法19条8号、委託先" autocomplete="off"> '
        '<button type="submit">検索</button></form>\n'
    )
    raise nodes.SkipNode


def visit_skip(self, node: nodes.Node) -> None:
    raise nodes.SkipNode


def visit_pass(self, node: nodes.Node) -> None:
    pass


def setup_site_nodes(app: Sphinx) -> None:
    app.add_node(
        Breadcrumbs,
        html=(visit_breadcrumbs_html, depart_breadcrumbs_html),
        latex=(visit_pass, visit_pass), text=(visit_pass, visit_pass), man=(visit_pass, visit_pass), texinfo=(visit_pass, visit_pass),
    )
    app.add_node(
        SearchBox,
        html=(visit_searchbox_html, None),
        latex=(visit_skip, None), text=(visit_skip, None), man=(visit_skip, None), texinfo=(visit_skip, None),
    )
