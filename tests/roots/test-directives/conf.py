extensions = ["myst_parser", "sphinx_pia"]
language = "ja"
pia_generate_pages = False  # authors' own pages only: each directive used once
exclude_patterns = ["_build"]
