"""The ``sphinx-pia`` command: validate content, print the JSON Schema."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .loader import ContentError, load_assessment, load_content


def _validate(args: argparse.Namespace) -> int:
    total = 0
    try:
        for target in args.paths:
            path = Path(target)
            if (path / "assessment.yaml").exists():
                assessments = [load_assessment(path, path.parent)]
            else:
                assessments = load_content(path)
            for a in assessments:
                n_obj = sum(1 for _ in a.objects())
                print(f"ok  {a.id}: {len(a.files)} files, {len(a.systems)} systems, {n_obj} objects")
                total += 1
    except ContentError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"{len(exc.problems)} problem(s) found.", file=sys.stderr)
        return 1
    print(f"{total} assessment(s) valid.")
    return 0


def _schema(args: argparse.Namespace) -> int:
    from .schema import json_schema

    print(json.dumps(json_schema(args.kind), ensure_ascii=False, indent=2))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="sphinx-pia", description="Tools for 特定個人情報保護評価書 content.")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("validate", help="validate content directories or assessment directories")
    p.add_argument("paths", nargs="*", default=["content"])
    p.set_defaults(func=_validate)
    p = sub.add_parser("schema", help="print the JSON Schema of one YAML file kind")
    p.add_argument("kind", choices=["assessment", "file", "changes", "annex"])
    p.set_defaults(func=_schema)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
