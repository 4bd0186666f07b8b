extensions = ["sphinx_pia", "sphinx_pia.sphinx_ext.review"]
language = "ja"
pia_content_dir = "content"
pia_check_date = "2026-12-02"
exclude_patterns = ["_build", "content"]
