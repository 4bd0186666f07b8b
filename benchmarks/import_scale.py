"""Import time against input size: ``python benchmarks/import_scale.py [--sizes 1 2 4 8] [--kinds ...]``.

Each input is synthetic, made by repeating a seed text (``sources/*.txt``) or an
adversarial shape up to the size (in MB, capped at the importer's limit), cut at
a line end.  Printed: the time of ``import_file`` per size and the ratio of each
time to the one before; a linear importer gives ratios near 2 for doubled sizes.
No test asserts on these figures.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sphinx_pia.importer import ImportProblem, import_file  # noqa: E402
from sphinx_pia.importer.source import MAX_BYTES  # noqa: E402

SEEDS = {p.name[:3]: p.read_text(encoding="utf-8") for p in sorted((ROOT / "sources").glob("*.txt"))}
CHANGE_HEAD = ("特定個人情報保護評価書（全項目評価書）\n(別添3) 変更箇所\n\n"
               "変更日 項目 変更前の記載 変更後の記載 提出時期 提出時期に係る説明\n\n")


def repeat(text: str, n: int) -> str:
    return text * (n // len(text.encode("utf-8")) + 1)


def shape(kind: str, n: int) -> str:
    if kind in SEEDS:
        return repeat(SEEDS[kind], n)
    if kind == "shuffled-002":  # the fragment's lines in random order
        lines = SEEDS["002"].split("\n") * (n // len(SEEDS["002"].encode("utf-8")) + 1)
        random.Random(1).shuffle(lines)
        return "変更箇所\n事後\n" + "\n".join(lines)
    if kind == "change-rows":  # a 変更箇所 table of many rows of 60 equal lines
        rows = "".join(f"令和5年4月{i % 28 + 1}日\nⅡ－１\n" + "同じ行\n" * 60 + "事後\n理由\n\n" for i in range(200))
        return CHANGE_HEAD + repeat(rows, n)
    if kind == "long-row":  # one change row as long as the input
        return CHANGE_HEAD + "令和5年4月1日\nⅡ－１\n" + repeat("変更前の記載を修正した行である。\n", n) + "事後\n理由\n"
    if kind == "blank-lines":  # a form label, then almost nothing but blank lines
        return "特定個人情報保護評価書（全項目評価書）\n I 基本情報\n" + repeat("\n\n\n x\n", n)
    raise SystemExit(f"unknown kind {kind}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=float, nargs="+", default=[1, 2, 4, 8])
    parser.add_argument("--kinds", nargs="+",
                        default=[*SEEDS, "shuffled-002", "change-rows", "long-row", "blank-lines"])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for kind in args.kinds:
            times = []
            for mb in args.sizes:
                n = min(int(mb * 2**20), MAX_BYTES)
                data = shape(kind, n).encode("utf-8")[:n]
                path = Path(tmp) / f"{kind}.txt"
                path.write_bytes(data[: data.rfind(b"\n") + 1])
                start = time.perf_counter()
                try:
                    import_file(path)
                    outcome = "ok"
                except ImportProblem as exc:
                    outcome = f"refused: {exc.message[:50]}"
                times.append(time.perf_counter() - start)
                ratio = f"×{times[-1] / times[-2]:.2f}" if len(times) > 1 else ""
                print(f"{kind:13s} {path.stat().st_size / 2**20:4.1f} MB {times[-1]:7.2f} s {ratio:6s} {outcome}", flush=True)


if __name__ == "__main__":
    main()
