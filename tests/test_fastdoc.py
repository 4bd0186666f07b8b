"""The cheaper tree walks of generated pages behave as docutils' own (sphinx_ext/fastdoc.py)."""

from __future__ import annotations

import gc
import random
import weakref

import pytest
from docutils import nodes
from docutils.utils import new_document

from sphinx_pia.sphinx_ext.fastdoc import dispose, speed_up_findall, walkabout

KINDS = [nodes.section, nodes.paragraph, nodes.inline, nodes.container, nodes.bullet_list, nodes.list_item]


def random_document(seed: int, size: int = 400) -> nodes.document:
    rng = random.Random(seed)
    document = new_document("<test>")
    elements: list[nodes.Element] = [document]
    for i in range(size):
        parent = rng.choice(elements)
        if rng.random() < 0.3:
            parent += nodes.Text(f"t{i}")
        else:
            node = rng.choice(KINDS)(ids=[f"n{i}"] if rng.random() < 0.2 else [])
            parent += node
            elements.append(node)
    return document


CONDITIONS = [None, nodes.paragraph, nodes.Element, nodes.Text, lambda n: isinstance(n, nodes.inline) and bool(n["ids"])]


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("condition", CONDITIONS, ids=["none", "class", "base-class", "text", "callable"])
def test_findall_yields_what_docutils_yields(seed, condition):
    document = random_document(seed)
    expected = list(nodes.Node.findall(document, condition))
    speed_up_findall(document)
    assert list(document.findall(condition)) == expected
    assert document.next_node(nodes.inline) is next(nodes.Node.findall(document, nodes.inline), None)
    # the other flags fall back to docutils
    first = expected[1] if len(expected) > 1 else None
    if isinstance(first, nodes.Node) and first is not document:
        assert list(document.findall(condition, include_self=False)) == list(nodes.Node.findall(document, condition, include_self=False))


@pytest.mark.parametrize("seed", range(4))
def test_findall_while_the_tree_changes_as_docutils_does(seed):
    """A transform that replaces nodes as it walks (sphinx-design's dropdowns do) sees the same nodes."""

    def run(document, walk) -> list[str]:
        seen = []
        for node in walk(document, nodes.inline):
            seen.append(node.astext())
            wrapper = nodes.container(classes=["wrapped"])
            wrapper.extend(node.children)
            node.replace_self(wrapper)
        return seen

    a, b = random_document(seed), random_document(seed)
    speed_up_findall(b)
    assert run(a, nodes.Node.findall) == run(b, lambda d, c: d.findall(c))
    assert a.pformat() == b.pformat()


def sphinx_like_translator(document, log):
    from sphinx.util.docutils import SphinxTranslator

    class Translator(SphinxTranslator):
        def __init__(self, document):
            nodes.NodeVisitor.__init__(self, document)

        def visit_Element(self, node):
            log.append(f"visit {node.tagname} {node['ids']}")
            if node.tagname == "bullet_list" and node["ids"]:
                raise nodes.SkipChildren
            if node.tagname == "list_item" and node["ids"]:
                raise nodes.SkipNode
            if node.tagname == "inline" and node["ids"]:
                raise nodes.SkipDeparture

        def depart_Element(self, node):
            log.append(f"depart {node.tagname}")

        def visit_paragraph(self, node):
            log.append("visit p")
            if node["ids"]:
                raise nodes.SkipSiblings

        def depart_paragraph(self, node):
            log.append("depart p")

        def visit_Text(self, node):
            log.append(f"text {node}")

        def depart_Text(self, node):
            pass

    return Translator(document)


@pytest.mark.parametrize("seed", range(6))
def test_walkabout_visits_as_docutils_does(seed):
    document = random_document(seed)
    expected: list[str] = []
    document.walkabout(sphinx_like_translator(document, expected))
    got: list[str] = []
    walkabout(document, sphinx_like_translator(document, got))
    assert got == expected
    assert len(got) > 50


def test_dispose_frees_the_tree_without_the_cyclic_collector():
    document = random_document(1)
    speed_up_findall(document)
    probe = weakref.ref(next(document.findall(nodes.paragraph)))
    doc_ref = weakref.ref(document)
    gc.disable()
    try:
        dispose(document)
        del document
        assert probe() is None
        assert doc_ref() is None
    finally:
        gc.enable()


def test_without_dispose_the_tree_is_a_cycle():
    """The test above can fail: an undisposed doctree outlives its last reference."""
    document = random_document(1)
    probe = weakref.ref(next(document.findall(nodes.paragraph)))
    gc.disable()
    try:
        del document
        assert probe() is not None
    finally:
        gc.enable()
        gc.collect()
    assert probe() is None


def test_census_counts_classes_and_components():
    from sphinx_design.shared import create_component

    from sphinx_pia.sphinx_ext.fastdoc import Census

    document = random_document(2)
    census = Census(document)
    assert census.has(nodes.paragraph) and census.has(nodes.Element) and census.has(nodes.Text)
    assert not census.has(nodes.table) and not census.components
    document += create_component("dropdown", ["x"])
    document[-1] += nodes.table()
    census = Census(document)
    assert census.components == {"dropdown"} and census.has(nodes.table, nodes.math_block)
