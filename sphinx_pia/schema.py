"""JSON Schemas of the YAML files, generated from the model.

The shipped copies under ``sphinx_pia/schemas/`` let an editor (VS Code with
the YAML extension, for example) validate and complete a file while staff
write it; a test keeps them equal to what the model generates.
"""

from __future__ import annotations

import json
from pathlib import Path

from .model import Annex, AssessmentDoc, ChangeLog, SpecificFile

KINDS = {"assessment": AssessmentDoc, "file": SpecificFile, "changes": ChangeLog, "annex": Annex}
SCHEMA_DIR = Path(__file__).parent / "schemas"


def json_schema(kind: str) -> dict:
    schema = KINDS[kind].model_json_schema(by_alias=True, mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://sphinx-pia.invalid/schemas/{kind}.schema.json"
    return schema


def write_schemas(directory: Path = SCHEMA_DIR) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    out = []
    for kind in KINDS:
        path = directory / f"{kind}.schema.json"
        path.write_text(json.dumps(json_schema(kind), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        out.append(path)
    return out


if __name__ == "__main__":
    for p in write_schemas():
        print(p)
