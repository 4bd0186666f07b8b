"""The theme's frame rendered once and filled in per page equals a render per page (sphinx_ext/frames.py)."""

from __future__ import annotations

import jinja2
import pytest

from sphinx_pia.sphinx_ext.frames import FrameCache

TEMPLATES = {
    "furo-like": (
        "<html><head><title>{{ title|striptags|e }} - site</title>{%- if metatags %}{{ metatags }}{% endif %}</head>"
        "<body><nav>{{ nav }}</nav>{% if toc %}<aside>{{ toc }}</aside>{% endif %}<main>{{ body }}</main>"
        "<a href='{{ pathto('index') }}'>home</a></body></html>"
    ),
    "raw-title": "<h1>{{ title }}</h1>{{ body }}",
    "uses-pagename": "<p>{{ pagename }}</p>{{ body }}",
    "is-home": "{% if pagename == 'pia/a/p0' %}HOME{% endif %}{{ body }}",
    "unknown-filter": "<title>{{ title|upper }}</title>{{ body }}",
    "body-twice": "{{ body }}{{ body }}",
}

HOSTILE_TITLES = ["住民基本台帳ファイル", "<script>alert(1)</script>", "A &amp; B <b>太字</b> &lt;x&gt;", "", "\u2028改行\t"]


def renderer(calls: list):
    env = jinja2.Environment(loader=jinja2.DictLoader(TEMPLATES), autoescape=False)

    def render(name: str, context: dict) -> str:
        calls.append(name)
        return env.get_template(name).render(context)

    return render


def pages(folder: str = "pia/a"):
    for i, title in enumerate(HOSTILE_TITLES):
        yield {
            "pagename": f"{folder}/p{i}", "current_page_name": f"{folder}/p{i}", "title": title,
            "body": f"<p>{title}</p><p>本文{i}</p>", "toc": f"<ul><li>{i}</li></ul>" if i % 2 else "",
            "metatags": "" if i % 3 else '<meta name="x" content="y">', "nav": "<ul>nav</ul>",
            "pathto": lambda name, folder=folder: f"../{name}.html",
        }


@pytest.mark.parametrize("template", sorted(TEMPLATES))
def test_framed_pages_equal_pages_rendered_one_by_one(template):
    plain = renderer([])
    calls: list = []
    cache = FrameCache(renderer(calls))
    for context in [*pages(), *pages("pia/b")]:
        assert cache(template, context) == plain(template, context)


def test_frames_are_reused_for_a_framable_template():
    calls: list = []
    cache = FrameCache(renderer(calls))
    contexts = [dict(c, toc="<ul><li>t</li></ul>", metatags="", title=f"題{i}") for i, c in enumerate(pages())]
    for context in contexts:
        cache("furo-like", context)
    # the first page: two probes, whose frame it fills in too; every other page: no render
    assert len(calls) == 2 and cache.hits == len(contexts) - 1


@pytest.mark.parametrize("template", ["uses-pagename", "unknown-filter", "body-twice"])
def test_templates_that_cannot_be_framed_are_rendered_per_page(template):
    calls: list = []
    cache = FrameCache(renderer(calls))
    contexts = list(pages())
    for context in contexts:
        cache(template, context)
    assert cache.hits == 0 and len(calls) >= len(contexts)


def test_a_value_holding_a_placeholder_character_is_rendered_as_is():
    calls: list = []
    cache = FrameCache(renderer(calls))
    context = next(pages())
    cache("furo-like", context)
    odd = dict(context, body="<p>\ue000B\ue001</p>")
    assert cache("furo-like", odd) == renderer([])("furo-like", odd)
    assert cache.hits == 0
