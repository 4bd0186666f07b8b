# The extension's pages under a theme other than furo (html_theme is set by the test:
# basic, alabaster), with the UI module, a page of reviewer detail and a dropdown.
extensions = ["sphinx_design", "sphinx_pia", "sphinx_pia.sphinx_ext.ui"]
language = "ja"
project = "テーマ試験"
pia_content_dir = "content"  # the test copies tests/roots/test-basic/content here
pia_site_owner = "試験市"
pia_copyright = "2026 試験市"
exclude_patterns = ["_build", "content"]
html_theme = "basic"
