"""Sphinx configuration of the sphinx-pia site: every assessment under ../content."""

project = "特定個人情報保護評価書ナレッジサイト"
author = "sphinx-pia"
language = "ja"

# sphinx_pia.sphinx_ext.ui: footer, Japanese theme strings, reviewer-detail toggle,
# accessibility results (sphinx_pia sets it up itself too; listing it is harmless).
# sphinx_pia.sphinx_ext.review: 点検, versions, the change timeline, open data (listing it stays
# harmless once sphinx_pia sets it up itself).
extensions = ["myst_parser", "sphinx_design", "sphinx_pia"]

# Where the assessment YAML lives (relative to this file) and where pages are generated.
pia_content_dir = "../content"
pia_output_dir = "pia"

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build"]

# The organization publishing the site and the copyright line, shown in every page's footer.
pia_site_owner = "sphinx-pia サンプルサイト"
pia_copyright = "2026 sphinx-pia"

html_theme = "furo"
html_title = "特定個人情報保護評価書ナレッジサイト"
html_static_path: list[str] = []
html_copy_source = False
html_show_sourcelink = False
html_theme_options = {
    "navigation_with_keys": True,
}
