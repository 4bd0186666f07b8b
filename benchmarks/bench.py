"""Build and search benchmarks: ``nox -s bench`` (or ``python benchmarks/bench.py``).

Every figure is measured in one run on one machine, against a baseline revision
built in the same run (``--baseline``, default b5ffdfc): a git worktree of that
revision in a temporary directory, imported through PYTHONPATH (no venv of its own),
builds the same generated corpus as the working tree, the two interleaved so that
the machine's load falls on both alike.  Reported per corpus size (``--sizes``,
default 5 and 40 assessments; add 200 with ``--sizes 5 40 200``):

- full build time, and the ratio working tree / baseline (under 40 assessments the
  median of ``--repeat`` interleaved builds, 3 by default: a build of seconds is within
  the machine's noise; peak RSS is the largest of them);
- incremental rebuild after editing one value's text in one YAML file (a field's
  value, then, as a second measurement, the name of a file: see ``edit_one_value``), checked:
  Sphinx must report documents re-read (or sphinx_pia generated pages rendered
  again: the HTML builder writes those itself) and the edited text must appear in the
  edited assessment's pages, else the benchmark fails (an edit YAML discards, such
  as a trailing space, measures a no-op rebuild);
- the ``-j 2`` build;
- peak RSS of the sphinx-build process (``ru_maxrss`` of a wrapper's children);
- output size (HTML, static files; not the doctree cache).

Then the search, working tree only, on search-only corpora (``search_scale.py``):
index bytes, bytes fetched per query and query time in headless Chromium at 200
and 1,000 assessments (``--search-sizes``), each query checked to find results.

Results go to benchmarks/results.json (``--json``) and a table is printed.
No test asserts on these figures.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BASELINE = "b5ffdfc"
EDIT_MARK = "（改訂試験）"


def make_corpus(dest: Path, n: int, seeds_root: Path = ROOT) -> Path:
    """N assessment directories cycling over the curated ones, each with its own IDs."""
    content = dest / "content"
    if content.exists():
        shutil.rmtree(content)
    content.mkdir(parents=True)
    seeds = sorted(p for p in (seeds_root / "content").iterdir() if (p / "assessment.yaml").exists())
    for i in range(n):
        seed = seeds[i % len(seeds)]
        new_id = f"{seed.name}-{i:04d}"
        target = content / new_id
        shutil.copytree(seed, target, ignore=shutil.ignore_patterns("_parts"))
        doc_path = target / "assessment.yaml"
        doc = yaml.safe_load(doc_path.read_text(encoding="utf-8"))
        doc["id"] = new_id
        org = doc["organization"]
        org["id"] = f"{org['id']}-{i:04d}"
        org["name"] = f"{org['name']}{i:04d}"
        doc_path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=10**9), encoding="utf-8")
    return content


def site_dir(dest: Path, content: Path, tree: Path) -> Path:
    """The site sources of ``tree`` (working tree or baseline) reading ``content``."""
    src = dest / "site"
    if src.exists():
        shutil.rmtree(src)
    shutil.copytree(tree / "site", src, ignore=shutil.ignore_patterns("_build", "pia"))
    conf = src / "conf.py"
    conf.write_text(conf.read_text(encoding="utf-8") + f"\npia_content_dir = {str(content)!r}\n", encoding="utf-8")
    return src


_WRAPPER = (
    "import resource, subprocess, sys\n"
    "r = subprocess.run(sys.argv[1:])\n"
    "sys.stderr.write('\\nPEAK_RSS_KB %d\\n' % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    "sys.exit(r.returncode)\n"
)


def _env(tree: Path) -> dict:
    """The package of ``tree`` first on the path.  Python writes and reuses bytecode, as an
    installed package has it (pip compiles at install): a machine that sets
    PYTHONDONTWRITEBYTECODE would otherwise compile the whole package in every build."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def compile_tree(tree: Path) -> None:
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(tree / "sphinx_pia")], env=_env(tree), check=True, capture_output=True)


def build(tree: Path, src: Path, out: Path, jobs: int = 1, fresh: bool = True, timeout: int = 4 * 3600) -> dict:
    """One sphinx-build of ``src`` with the package of ``tree`` first on the path."""
    if fresh and out.exists():
        shutil.rmtree(out)
    cmd = [sys.executable, "-c", _WRAPPER, sys.executable, "-m", "sphinx", "-b", "html", "-j", str(jobs), str(src), str(out)]
    env = _env(tree)
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=timeout, cwd=src)
    elapsed = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"build failed ({tree}): {' '.join(cmd[3:])}\n{proc.stderr[-3000:]}")
    peak = re.findall(r"PEAK_RSS_KB (\d+)", proc.stderr)
    changed = re.search(r"(\d+) added, (\d+) changed, (\d+) removed", proc.stdout)
    # generated pages the HTML builder writes itself are rendered, not read (html_pages.py)
    rendered = re.search(r"sphinx_pia: \d+ generated pages, (\d+) rendered", proc.stdout)
    return {
        "seconds": elapsed,
        "peak_rss_mb": int(peak[-1]) / 1024 if peak else None,
        "reread": (int(changed.group(1)) + int(changed.group(2)) if changed else 0) + (int(rendered.group(1)) if rendered else 0),
    }


def dir_size(path: Path, suffix: str | None = None) -> int:
    """Bytes of the published site: the build's pickled doctrees (.doctrees) are not published."""
    return sum(p.stat().st_size for p in path.rglob("*")
               if p.is_file() and ".doctrees" not in p.parts and (suffix is None or p.suffix == suffix))


def edit_one_value(content: Path, what: str = "value") -> tuple[Path, str]:
    """Change the text of one plain YAML value (a real edit: YAML keeps it); returns the
    file and the new text, which must then appear in the rebuilt pages.

    ``what``: ``"value"`` edits a field's value that cites no law (say a 必要性), what
    an editor does most; ``"name"`` renames the first file, whose name every page that
    links to its items shows (law pages of every law it cites, the home page, the
    timeline): the costliest edit of one value."""
    target = sorted(content.glob("*/file-1.yaml"))[0]
    lines = target.read_text(encoding="utf-8").split("\n")
    name = None
    for i, line in enumerate(lines):
        m = re.match(r"^(\s*text: )([^'\"|>\[{&*!%@`#\s][^#<>&\"']*)$", line)
        if m and name is None:
            name = m.group(2)
        if m and what == "value" and (m.group(2) == name or re.search(r"法|条|令", m.group(2))):
            continue
        if m and ": " not in m.group(2) and len(m.group(2)) >= 6:
            new = m.group(2).rstrip() + EDIT_MARK
            lines[i] = m.group(1) + new
            target.write_text("\n".join(lines), encoding="utf-8")
            loaded = yaml.safe_load(target.read_text(encoding="utf-8"))
            if new not in json.dumps(loaded, ensure_ascii=False):
                raise SystemExit(f"bench: the edit of {target}:{i + 1} did not survive YAML")
            return target, new
    raise SystemExit(f"bench: no plain text value to edit in {target}")


def check_edit(out: Path, aid: str, new: str, reread: int) -> int:
    """The incremental build re-read documents and the edited text is on the assessment's pages."""
    if reread <= 0:
        raise SystemExit("bench: the incremental build re-read no document: it measured a no-op")
    pages = [p for p in out.rglob("*.html") if new in p.read_text(encoding="utf-8")]
    if not any(aid in p.as_posix() for p in pages):
        raise SystemExit(f"bench: the edited text {new!r} is on no page of {aid} after the incremental build")
    return len(pages)


def baseline_tree(rev: str, work: Path) -> Path:
    tree = work / f"baseline-{rev}"
    if not (tree / "sphinx_pia").exists():
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(tree), rev], check=True, capture_output=True)
    return tree


def snapshot(root: Path, work: Path) -> Path:
    """A copy of the working tree's package and site: an edit made while the benchmark
    runs must not change what it measures (the extension's own files are part of its
    cache keys, so touching one would make an incremental build render every page)."""
    tree = work / "head"
    if tree.exists():
        shutil.rmtree(tree)
    for part in ("sphinx_pia", "site"):
        shutil.copytree(root / part, tree / part, ignore=shutil.ignore_patterns("__pycache__", "_build", "pia"))
    return tree


def remove_baseline(tree: Path) -> None:
    subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)], capture_output=True)


def bench_size(n: int, work: Path, trees: dict[str, Path], j2: bool = True, repeat: int = 1) -> dict:
    dest = work / f"n{n}"
    dest.mkdir(parents=True, exist_ok=True)
    base_corpus = make_corpus(dest / "corpus", n)
    sides = {}
    for name, tree in trees.items():
        d = dest / name
        if d.exists():
            shutil.rmtree(d)
        d.mkdir()
        content = d / "content"
        shutil.copytree(base_corpus, content)
        sides[name] = {"tree": tree, "content": content, "src": site_dir(d, content, tree), "dir": d}
    row: dict = {"assessments": n}
    for s in sides.values():
        compile_tree(s["tree"])
    # interleaved: each measurement on both sides before the next, so load drifts hit both;
    # a build of seconds is within the shared machine's noise (the same build's CPU time
    # varies by half from one minute to the next): it is repeated and the median taken
    samples: dict[str, list[dict]] = {name: [] for name in sides}
    for _ in range(repeat):
        for name, s in sides.items():
            samples[name].append(build(s["tree"], s["src"], s["dir"] / "out"))
    for name, s in sides.items():
        runs = sorted(samples[name], key=lambda r: r["seconds"])
        r = runs[len(runs) // 2]
        row[f"{name}_full_s"] = round(r["seconds"], 2)
        if repeat > 1:
            row[f"{name}_full_s_samples"] = [round(x["seconds"], 2) for x in samples[name]]
        row[f"{name}_peak_rss_mb"] = round(max(x["peak_rss_mb"] for x in runs), 1)
        row[f"{name}_output_mb"] = round(dir_size(s["dir"] / "out") / 2**20, 2)
        row[f"{name}_html_mb"] = round(dir_size(s["dir"] / "out", ".html") / 2**20, 2)
        idx = s["dir"] / "out" / "_static" / "pia-search"
        row[f"{name}_search_index_mb"] = round(dir_size(idx) / 2**20, 2) if idx.exists() else None
    for what, key in (("value", "incremental"), ("name", "incremental_rename")):
        for name, s in sides.items():
            target, new = edit_one_value(s["content"], what)
            r = build(s["tree"], s["src"], s["dir"] / "out", fresh=False)
            pages = check_edit(s["dir"] / "out", target.parent.name, new, r["reread"])
            row[f"{name}_{key}_s"] = round(r["seconds"], 2)
            row[f"{name}_{key}_reread"] = r["reread"]
            row[f"{name}_{key}_pages_with_edit"] = pages
    for name, s in sides.items() if j2 else ():
        r = build(s["tree"], s["src"], s["dir"] / "out-j2", jobs=2)
        row[f"{name}_j2_s"] = round(r["seconds"], 2)
        shutil.rmtree(s["dir"] / "out-j2", ignore_errors=True)
    if "baseline" in sides:
        for k in ("full_s", "incremental_s", "incremental_rename_s", "j2_s", "peak_rss_mb", "output_mb"):
            if f"head_{k}" in row:
                row[f"ratio_{k}"] = round(row[f"head_{k}"] / row[f"baseline_{k}"], 3)
    for name in sides:
        row[f"{name}_incremental_fraction"] = round(row[f"{name}_incremental_s"] / row[f"{name}_full_s"], 3)
        row[f"{name}_incremental_rename_fraction"] = round(row[f"{name}_incremental_rename_s"] / row[f"{name}_full_s"], 3)
        if f"{name}_j2_s" in row:
            row[f"{name}_j2_speedup"] = round(row[f"{name}_full_s"] / row[f"{name}_j2_s"], 2)
        row[f"{name}_full_s_per_assessment"] = round(row[f"{name}_full_s"] / n, 2)
    return row


def table(rows: list[dict], keys: list[str]) -> str:
    keys = [k for k in keys if any(k in r for r in rows)]
    lines = [" | ".join(keys), " | ".join("---" for _ in keys)]
    for r in rows:
        lines.append(" | ".join(str(r.get(k, "")) for k in keys))
    return "\n".join(lines)


BUILD_KEYS = ["assessments", "baseline_full_s", "head_full_s", "ratio_full_s", "baseline_incremental_s", "head_incremental_s",
              "ratio_incremental_s", "head_incremental_fraction", "head_incremental_reread", "baseline_incremental_rename_s",
              "head_incremental_rename_s", "head_incremental_rename_fraction", "baseline_j2_s", "head_j2_s",
              "head_j2_speedup", "baseline_peak_rss_mb", "head_peak_rss_mb", "ratio_peak_rss_mb", "baseline_output_mb",
              "head_output_mb", "head_html_mb", "head_search_index_mb"]
SEARCH_KEYS = ["assessments", "records", "index_bytes", "index_bytes_per_assessment", "index_fraction_of_html",
               "query_ms_median", "query_ms_p90", "query_ms_max", "fetched_kb_median", "fetched_kb_p90", "fetched_kb_max",
               "index_write_s", "index_write_incremental_s", "index_write_retitle_s", "results_min", "load_average"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="*", default=[5, 40], help="assessments per build corpus (none: skip builds)")
    parser.add_argument("--search-sizes", type=int, nargs="*", default=[200, 1000], help="assessments per search-only corpus")
    parser.add_argument("--baseline", default=BASELINE, help="git revision to compare with ('' for none)")
    parser.add_argument("--baseline-max", type=int, default=40,
                        help="larger corpora are built by the working tree only, without -j 2 (the baseline takes hours at 200)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="full builds of corpora under 40 assessments are repeated (interleaved) and the median taken")
    parser.add_argument("--work", type=Path, default=None, help="working directory (default: a temporary one)")
    parser.add_argument("--json", type=Path, default=ROOT / "benchmarks" / "results.json")
    args = parser.parse_args(argv)
    tmp = None
    if args.work is None:
        tmp = tempfile.TemporaryDirectory(prefix="pia-bench-")
        args.work = Path(tmp.name)
    args.work.mkdir(parents=True, exist_ok=True)
    head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    results: dict = {"head": head, "baseline": args.baseline or None, "cpus": os.cpu_count(), "builds": [], "search": []}
    trees = {}
    if args.sizes and args.baseline:
        trees["baseline"] = baseline_tree(args.baseline, args.work)
    trees["head"] = snapshot(ROOT, args.work)
    try:
        for n in args.sizes or []:
            small = n <= args.baseline_max
            row = bench_size(n, args.work, trees if small else {"head": trees["head"]}, j2=small, repeat=args.repeat if n < 40 else 1)
            row["load_average"] = round(os.getloadavg()[0], 1)
            print(json.dumps(row, ensure_ascii=False), flush=True)
            results["builds"].append(row)
            args.json.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    finally:
        if "baseline" in trees:
            remove_baseline(trees["baseline"])
    from benchmarks.search_scale import measure

    html_per_assessment = None
    if results["builds"]:
        biggest = results["builds"][-1]
        html_per_assessment = biggest["head_html_mb"] * 2**20 / biggest["assessments"]
    for n in args.search_sizes or []:
        row = measure(n, args.work)
        row.pop("per_query")
        row["load_average"] = round(os.getloadavg()[0], 1)
        if html_per_assessment:
            # the HTML of an N-assessment site, extrapolated from the largest build measured above
            row["index_fraction_of_html"] = round(row["index_bytes"] / (html_per_assessment * n), 3)
        print(json.dumps(row, ensure_ascii=False), flush=True)
        results["search"].append(row)
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    print()
    if results["builds"]:
        print(table(results["builds"], BUILD_KEYS))
        print()
    if results["search"]:
        print(table(results["search"], SEARCH_KEYS))
    if tmp is not None:
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
