"""The theme's page frame, rendered once for many generated pages.

Every generated page is put into the theme's ``page.html`` by ``builder.handle_page``.
The template (furo's: navigation, header, footer, assets) is the same for every page
of one folder but for the page's title, body, table of contents and meta tags, yet
Jinja renders all of it for each page: at five assessments that was an eighth of the
build.  :class:`FrameCache` renders the template once per *shape* with placeholders
for those four values and fills them in for each page.

It is exact, not a guess about the theme:

- The shape is every other value of the template's context (callables by name: the
  builder makes ``pathto`` and the asset tags per page, but they depend only on the
  page's folder, which is in the shape), and whether each placeholder value is empty,
  so a template that tests one of them takes the same branch.
- The frame is rendered twice with two different page names; when the outputs differ,
  the template uses the page name and the shape is rendered for each page as before.
  (This catches a page name shown, or compared with another page's as themes do with
  ``pagename == master_doc``; a test of the name that both probes pass alike, say of
  its last letter, would not be caught: no theme we know does that.)
- Each placeholder must appear in a form whose filters are known: the body, table of
  contents and meta tags verbatim (``{{ body }}``), the title verbatim or as
  ``{{ title|striptags|e }}``.  The title placeholder carries a tag and an ampersand,
  so each filter chain leaves a different trace; any other trace, or a placeholder
  missing or doubled where the template shows it once, and the shape is rendered per
  page.

Placeholders are made of private-use characters.  A page whose title, body, toc or
meta tags holds one is rendered per page, and a frame in which one appears other
than as a known placeholder is not used, so a page's text is never taken for one.
"""

from __future__ import annotations

from typing import Any, Callable

from markupsafe import Markup, escape

_OPEN, _CLOSE = "\ue000", "\ue001"
#: values filled in per page → their placeholder
_SLOTS = {"body": "B", "toc": "T", "metatags": "M"}
_TITLE = f"{_OPEN}H<b>&amp;</b>{_CLOSE}"
#: what the title placeholder becomes through each known filter chain
_TITLE_FORMS = {
    _TITLE: lambda title: title,  # {{ title }}
    str(escape(Markup(_TITLE).striptags())): lambda title: str(escape(Markup(title).striptags())),  # {{ title|striptags|e }}
}
_PAGE = ("pagename", "current_page_name")


def _placeholder(letter: str) -> str:
    return f"{_OPEN}{letter}{_CLOSE}"


def _shape_value(value: Any) -> Any:
    if callable(value):
        return ("callable", getattr(value, "__qualname__", type(value).__qualname__))
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return repr(value)


class FrameCache:
    """Wraps a ``render(template, context)`` for the pages of one folder at a time."""

    def __init__(self, render: Callable[[str, dict], str]) -> None:
        self.render = render
        self.frames: dict[tuple, list | None] = {}
        self.hits = 0

    def _shape(self, template: str, context: dict) -> tuple:
        folder = str(context.get("pagename", "")).rpartition("/")[0]
        values = tuple(sorted(
            (key, _shape_value(value)) for key, value in context.items()
            if key not in _SLOTS and key != "title" and key not in _PAGE
        ))
        filled = tuple(bool(context.get(key)) for key in (*_SLOTS, "title"))
        return (template, folder, filled, values)

    def _make(self, template: str, context: dict) -> list | None:
        """The frame as pieces: strings, and (slot, form) pairs to fill in; None when
        the template cannot be framed exactly."""
        probe = dict(context)
        for key, letter in _SLOTS.items():
            if context.get(key):
                probe[key] = _placeholder(letter)
        if context.get("title"):
            probe["title"] = _TITLE
        out = self.render(template, probe)
        other = dict(probe)
        for key in _PAGE:
            if key in other:
                other[key] = f"{other[key]}{_OPEN}"
        if self.render(template, other) != out:
            return None  # the page name shows or steers the template
        pieces: list = []
        rest = out
        found: dict[str, int] = {}
        while True:
            start = rest.find(_OPEN)
            if start < 0:
                pieces.append(rest)
                break
            end = rest.find(_CLOSE, start)
            if end < 0:
                return None
            token = rest[start:end + 1]
            pieces.append(rest[:start])
            if token in _TITLE_FORMS:
                pieces.append(("title", _TITLE_FORMS[token]))
                found["title"] = found.get("title", 0) + 1
            else:
                slot = next((key for key, letter in _SLOTS.items() if token == _placeholder(letter)), None)
                if slot is None:
                    return None  # a placeholder through an unknown filter
                pieces.append((slot, None))
                found[slot] = found.get(slot, 0) + 1
            rest = rest[end + 1:]
        # the body, toc and meta tags of a page are shown once, where the theme shows them
        if any(found.get(key, 0) != 1 for key in _SLOTS if context.get(key)):
            return None
        return pieces

    def __call__(self, template: str, context: dict) -> str:
        if any(_OPEN in str(context.get(key) or "") for key in (*_SLOTS, "title")):
            return self.render(template, context)  # never confuse a page's text with a placeholder
        shape = self._shape(template, context)
        new = shape not in self.frames
        if new:
            self.frames[shape] = self._make(template, context)
        pieces = self.frames[shape]
        if pieces is None:
            return self.render(template, context)
        if not new:
            self.hits += 1  # a page served without rendering (the first fills the probes' frame)
        out = []
        for piece in pieces:
            if isinstance(piece, str):
                out.append(piece)
            else:
                slot, form = piece
                value = str(context.get(slot) or "")
                out.append(form(value) if form else value)
        return "".join(out)
