"""The shipped JSON Schemas match the model, and all content validates against them."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from sphinx_pia.schema import KINDS, SCHEMA_DIR, json_schema

ROOT = Path(__file__).resolve().parents[1]
CONTENT = ROOT / "content"


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_shipped_schema_is_current(kind):
    shipped = json.loads((SCHEMA_DIR / f"{kind}.schema.json").read_text(encoding="utf-8"))
    assert shipped == json_schema(kind), f"regenerate with: python -m sphinx_pia.schema ({kind})"


def _kind(path: Path) -> str:
    if path.name == "assessment.yaml":
        return "assessment"
    if path.name == "changes.yaml":
        return "changes"
    return "file" if path.name.startswith("file-") else "annex"


YAMLS = sorted(CONTENT.glob("*/*.yaml"))


@pytest.mark.parametrize("path", YAMLS, ids=[str(p.relative_to(CONTENT)) for p in YAMLS])
def test_content_validates_against_schema(path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    schema = json.loads((SCHEMA_DIR / f"{_kind(path)}.schema.json").read_text(encoding="utf-8"))
    errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(data), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])


def test_schema_rejects_unknown_key():
    schema = json_schema("changes")
    bad = {"schema": "sphinx-pia/changes/1", "entries": [], "titel": "x"}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)
