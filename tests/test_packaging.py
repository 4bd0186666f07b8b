"""Every file the extension reads at run time ships in the package (the site session
builds with an installed copy, not with this source tree)."""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_package_data_covers_all_non_python_files():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    globs = config["tool"]["setuptools"]["package-data"]["sphinx_pia"]
    package = ROOT / "sphinx_pia"
    missing = []
    for path in package.rglob("*"):
        if path.is_dir() or path.suffix in (".py", ".pyc") or "__pycache__" in path.parts:
            continue
        rel = path.relative_to(package).as_posix()
        if not any(fnmatch.fnmatch(rel, g) for g in globs):
            missing.append(rel)
    assert not missing, f"not shipped: {missing}"
