"""Cheaper tree walks for the doctrees of generated pages (html_pages.py).

A generated page is a few hundred to tens of thousands of nodes, and a site has
hundreds of them per assessment.  Three docutils mechanisms cost more than the work
they serve on such trees:

- ``Node.findall`` is a recursive generator: every node it yields passes through one
  generator frame per level above it.  Every transform and our own link handling walk
  the page with it.  :func:`speed_up_findall` gives one document an iterative
  ``findall`` that yields the same nodes in the same order, lazily, as docutils'
  does (children are read as the walk reaches them, as the recursive version does).
- ``Node.walkabout`` logs a debug message (a formatted string) per node and
  direction, and Sphinx's translators find each node's visitor method by formatting
  and looking up a name per class of its MRO, per node.  :func:`walkabout` caches the
  method per node class and keeps docutils' protocol (SkipNode, SkipDeparture,
  SkipChildren, SkipSiblings, StopTraversal; children copied before the walk).
- A doctree is a web of parent links, freed only by Python's cyclic collector, which
  the build keeps from running often (sphinx_ext/__init__.py).  :func:`dispose` cuts
  the links of a page that was written, so it is freed at once.

Each is used only where the exact docutils or Sphinx behaviour it replaces is known
(:func:`walkabout` falls back to docutils' own when the translator dispatches in its
own way); tests/test_html_pages.py checks the pages against those read as documents.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Any, Callable, Iterator

from docutils import nodes
from sphinx.util.docutils import SphinxTranslator

_FindallCondition = type | Callable[[nodes.Node], bool] | None


def _iter_tree(root: nodes.Node, condition: _FindallCondition) -> Iterator[nodes.Node]:
    if condition is None:
        return _iter_instances(root, object)
    if isinstance(condition, type):
        return _iter_instances(root, condition)
    return (node for node in _iter_instances(root, object) if condition(node))


def _iter_instances(root: nodes.Node, cls: type) -> Iterator[nodes.Node]:
    """Pre-order, lazily: a node's children are read when the walk reaches them, as in
    docutils' recursive ``for child in self.children`` (one list iterator per level).
    The class test is inline, not a call per node."""
    if isinstance(root, cls):
        yield root
    stack = [iter(root.children)]
    while stack:
        for node in stack[-1]:
            if isinstance(node, cls):
                yield node
            children = node.children
            if children:
                stack.append(iter(children))
                break
        else:
            stack.pop()


def speed_up_findall(document: nodes.document) -> None:
    """Give *document* (only it, not its nodes) an iterative ``findall``."""
    generic = nodes.Node.findall

    def findall(condition: _FindallCondition = None, include_self: bool = True, descend: bool = True,
                siblings: bool = False, ascend: bool = False) -> Iterator[nodes.Node]:
        if include_self and descend and not siblings and not ascend:
            return _iter_tree(document, condition)
        return generic(document, condition, include_self, descend, siblings, ascend)

    document.findall = findall  # type: ignore[method-assign]


def walkabout(document: nodes.document, visitor: nodes.NodeVisitor) -> None:
    """``document.walkabout(visitor)``, with each visitor method looked up once per class."""
    if type(visitor).dispatch_visit is not SphinxTranslator.dispatch_visit or \
            type(visitor).dispatch_departure is not SphinxTranslator.dispatch_departure:
        document.walkabout(visitor)
        return
    _Walk(visitor).walk(document)


class _Walk:
    """One walk of a translator over a tree (a class, not a closure calling itself, so
    that nothing of the walk is left in a reference cycle when it is done)."""

    def __init__(self, visitor: nodes.NodeVisitor) -> None:
        self.visitor = visitor
        self.visits: dict[type, Callable[[Any], None]] = {}
        self.departs: dict[type, Callable[[Any], None]] = {}

    def _method(self, table: dict, prefix: str, fallback: Callable, cls: type) -> Callable:
        # SphinxTranslator.dispatch_visit: the first class of the MRO with a method, else
        # docutils' NodeVisitor (visit_<class name>, else unknown_visit)
        for node_class in cls.__mro__:
            found = getattr(self.visitor, f"{prefix}{node_class.__name__}", None)
            if found:
                break
        else:
            found = fallback
        table[cls] = found
        return found

    def walk(self, node: nodes.Node) -> bool:
        cls = node.__class__
        stop = False
        call_depart = True
        try:
            try:
                (self.visits.get(cls) or self._method(self.visits, "visit_", self.visitor.unknown_visit, cls))(node)
            except nodes.SkipNode:
                return False
            except nodes.SkipDeparture:
                call_depart = False
            try:
                for child in node.children[:]:
                    if self.walk(child):
                        stop = True
                        break
            except nodes.SkipSiblings:
                pass
        except nodes.SkipChildren:
            pass
        except nodes.StopTraversal:
            stop = True
        if call_depart:
            (self.departs.get(cls) or self._method(self.departs, "depart_", self.visitor.unknown_departure, cls))(node)
        return stop


def dispose(document: nodes.document) -> None:
    """Cut the references that make a written page's doctree a cycle.

    Emptying every element's children leaves no path from the document down to a node,
    so the parent and document links that remain point at objects that no longer point
    back; the id tables and the transformer go too."""
    stack: list[nodes.Node] = [document]
    while stack:
        node = stack.pop()
        children = node.children
        if children:
            stack.extend(children)
            node.children = []
    for name in ("ids", "nameids", "nametypes", "refnames", "refids", "substitution_defs", "substitution_names",
                 "footnote_refs", "citation_refs", "indirect_targets", "transform_messages"):
        value = getattr(document, name, None)
        if hasattr(value, "clear"):
            value.clear()
    document.transformer = None
    document.document = None  # a document is its own document
    document.__dict__.pop("findall", None)


class Census:
    """What a doctree is made of: its node classes and sphinx-design components.

    One walk, so that a transform or handler that acts only on nodes of certain kinds
    can be left out of a page that has none (finding none is a walk of the whole page)."""

    def __init__(self, document: nodes.document) -> None:
        classes: set[type] = set()
        components: set[str] = set()
        for node in _iter_tree(document, None):
            classes.add(node.__class__)
            attributes = getattr(node, "attributes", None)
            if attributes:
                component = attributes.get("design_component")
                if component:
                    components.add(component)
        self.classes = frozenset(classes)
        self.components = frozenset(components)

    def has(self, *kinds: type) -> bool:
        """Whether a node is an instance of any of *kinds*."""
        return any(issubclass(cls, kinds) for cls in self.classes)


@contextmanager
def gc_paused(enabled: bool = True) -> Iterator[None]:
    """No cyclic collection inside: for phases whose objects either live on (loaded
    content) or are freed by reference counting (disposed pages), where collections
    would only rescan live objects.  Nested pauses keep it off until the outer one ends."""
    paused = enabled and gc.isenabled()
    if paused:
        gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()
