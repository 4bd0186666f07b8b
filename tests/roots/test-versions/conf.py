extensions = ["sphinx_pia"]
language = "ja"
pia_content_dir = "content"
exclude_patterns = ["_build", "content"]
