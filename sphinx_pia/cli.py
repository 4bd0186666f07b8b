"""The ``sphinx-pia`` command: validate content, import extracted text, print the JSON Schema."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from .importer.source import MAX_BYTES
from .loader import ContentError, collect, load_assessment


def _is_assessment_dir(path: Path) -> bool:
    """An assessment directory holds assessment.yaml, or YAML files and no directories but
    versions/; a content directory holds directories.  Nothing is opened or followed."""
    try:
        entries = [e for e in os.scandir(path) if not e.name.startswith(".")]
    except OSError:
        return False
    names = {e.name for e in entries}
    if names & {"assessment.yaml", "assessment.yml"}:
        return True
    if any(e.is_dir(follow_symlinks=False) and e.name != "versions" for e in entries):
        return False
    return any(n.endswith((".yaml", ".yml")) for n in names)


def _validate(args: argparse.Namespace) -> int:
    """Every problem of every path given; the assessments that are valid are listed as ok."""
    total, problems = 0, []
    for target in args.paths:
        path = Path(target)
        if _is_assessment_dir(path):
            # one assessment directory: the same checks as inside content/ (sources/ beside content/)
            try:
                sources = path.parent.parent / "sources"
                assessments = [load_assessment(path, path.parent, sources=sources if sources.is_dir() else None)]
            except ContentError as exc:
                problems.extend(exc.problems)
                assessments = []
        else:
            result = collect(path)
            assessments = result.assessments
            problems.extend(result.problems)
        for a in assessments:
            n_obj = sum(1 for _ in a.objects())
            print(f"ok  {a.id}: ファイル {len(a.files)}、システム {len(a.systems)}、オブジェクト {n_obj}")
            total += 1
    if problems:
        for problem in problems:
            print(problem, file=sys.stderr)
        print(f"問題が {len(problems)} 件見つかりました（有効な評価書 {total} 件）。", file=sys.stderr)
        return 1
    print(f"{total} 件の評価書はすべて有効です。")
    return 0


class _Progress:
    """A one-line progress bar on stderr for several files (plain lines when not a terminal)."""

    def __init__(self, total: int):
        self.total, self.done = total, 0
        self.tty = sys.stderr.isatty()

    def step(self, name: str) -> None:
        self.done += 1
        if self.total < 2:
            return
        width = 24
        filled = width * self.done // self.total
        bar = "█" * filled + "░" * (width - filled)
        line = f"[{self.done}/{self.total}] {bar} {self.done * 100 // self.total:3d}% {name}"
        if self.tty:
            print("\r" + line[:100].ljust(100), end="" if self.done < self.total else "\n", file=sys.stderr, flush=True)
        else:
            print(line, file=sys.stderr)


def _import(args: argparse.Namespace) -> int:
    from .importer import ImportProblem, import_file
    from .importer.output import OutputProblem, place, prepare, unique_ids

    out = Path(args.output)
    try:
        prepare(out)
    except OutputProblem as exc:
        print(f"エラー {exc}", file=sys.stderr)
        return 1
    failed = 0
    progress = _Progress(len(args.files))
    for name, did in zip(args.files, unique_ids(args.files)):
        try:
            if did is None:
                raise ImportProblem(name, "同じファイルが2回指定されています。2回目は取り込みません。")
            draft = import_file(name, did)
            placed = place(draft, out, force=args.force)
        except ImportProblem as exc:  # the input is not an assessment, or the output cannot be written
            failed += 1
            progress.step(Path(name).name)
            print(f"エラー {exc}", file=sys.stderr)
            continue
        except Exception as exc:  # noqa: BLE001 - one bad file must not stop the others, nor show a traceback
            failed += 1
            progress.step(Path(name).name)
            print(f"エラー {name}: 取込み中に内部エラーが発生しました（{type(exc).__name__}: {exc}）。"
                  "このファイルを添えて報告してください。", file=sys.stderr)
            continue
        progress.step(Path(name).name)
        cov = draft.coverage
        stats = (f"取り込んだ行 {cov.placed_ratio:.1%}、配置できなかった行 {len(cov.unplaced)}、確度の低い値 {len(cov.low_confidence)}。"
                 f"レポート: {placed.target / 'coverage.md'}")
        if not placed.valid:
            # kept for inspection under a name that says it is not ready for content/
            failed += 1
            print(f"無効  {name} → {placed.target}: 下書きが検証に通りません（問題 {len(placed.problems)} 件、"
                  f"{placed.target / 'INVALID.md'} に記載）。content/ に移す前に直してください。{stats}", file=sys.stderr)
            for problem in placed.problems[:20]:
                print(f"  {problem}", file=sys.stderr)
            continue
        assessment = placed.assessment
        print(f"ok    {name} → {placed.target}: ファイル {len(assessment.files)}、"
              f"オブジェクト {sum(1 for _ in assessment.objects())}。{stats}")
    if failed:
        print(f"{len(args.files)} 件中 {failed} 件を取り込めませんでした（または検証に通りませんでした）。", file=sys.stderr)
    return 1 if failed else 0


def _check_date(text: str):
    import datetime as dt

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"基準日 '{text}' は YYYY-MM-DD の形式で指定してください。") from None


def _check(args: argparse.Namespace) -> int:
    from .check import rules
    from .check.report import findings_json, findings_text, run_check

    try:
        assessments, findings = run_check([Path(p) for p in args.paths], args.date)
    except ContentError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"問題が {len(exc.problems)} 件見つかりました。点検の前に直してください（sphinx-pia validate）。", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(findings_json(assessments, findings, args.date, rules()), ensure_ascii=False, indent=2))
    else:
        print(findings_text(assessments, findings, args.date))
    return 1 if any(f.severity.value == "error" for f in findings) else 0


def _schema(args: argparse.Namespace) -> int:
    from .schema import json_schema

    print(json.dumps(json_schema(args.kind), ensure_ascii=False, indent=2))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="sphinx-pia", description="特定個人情報保護評価書のコンテンツを扱うツール")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("validate", help="content ディレクトリまたは評価書ディレクトリを検証する")
    p.add_argument("paths", nargs="*", default=["content"])
    p.set_defaults(func=_validate)
    p = sub.add_parser("import", help="評価書から抽出したテキスト（UTF-8 または Shift_JIS/CP932）を YAML の下書きに取り込む")
    p.add_argument("files", nargs="+", metavar="FILE", help=f"評価書のPDFから抽出したテキストのファイル（1件 {MAX_BYTES // 2**20} MB まで）")
    p.add_argument("-o", "--output", required=True, metavar="DIR", help="下書きの出力先（評価書ごとにサブディレクトリを作る）")
    p.add_argument("--force", action="store_true",
                   help="同じ名前の下書きのディレクトリが既にあれば、丸ごと削除して置き換える（下書き以外は削除しない）")
    p.set_defaults(func=_import)
    p = sub.add_parser("check", help="評価書を点検する（件数、必須項目、しきい値判断、再評価の時期、旧い条項の引用など）。エラーがあれば終了コード 1")
    p.add_argument("paths", nargs="*", default=["content"])
    p.add_argument("--json", action="store_true", help="JSON で出力する")
    p.add_argument("--date", type=_check_date, default=None, metavar="YYYY-MM-DD", help="再評価の時期などを判断する基準日（既定は今日）")
    p.set_defaults(func=_check)
    p = sub.add_parser("schema", help="YAML ファイルの種類ごとの JSON Schema を出力する")
    p.add_argument("kind", choices=["assessment", "file", "changes", "annex"])
    p.set_defaults(func=_schema)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
