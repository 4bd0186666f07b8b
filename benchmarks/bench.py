"""Build benchmarks: ``nox -s bench`` (or ``python benchmarks/bench.py --scales 20 100 400``).

For each scale N it makes a corpus of N assessments by copying the curated
ones in content/ with new IDs and organizations, then measures in one run:

- full build time of the site, and of a plain Sphinx build of the same text
  written as ordinary MyST pages (no extension): the ratio is the extension's cost;
- incremental rebuild after editing one YAML file, as a fraction of the full build;
- the ``-j 2`` speed-up;
- peak memory (max RSS of the sphinx-build process);
- output size.

All figures are ratios or sizes measured in the same run on the same machine;
no test asserts on them.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))



def make_corpus(dest: Path, n: int) -> Path:
    """N assessment directories cycling over the curated ones, each with its own IDs."""
    content = dest / "content"
    if content.exists():
        shutil.rmtree(content)
    content.mkdir(parents=True)
    seeds = sorted(p for p in (ROOT / "content").iterdir() if (p / "assessment.yaml").exists())
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


def site_dir(dest: Path, content: Path) -> Path:
    src = dest / "site"
    if src.exists():
        shutil.rmtree(src)
    shutil.copytree(ROOT / "site", src, ignore=shutil.ignore_patterns("_build", "pia"))
    conf = src / "conf.py"
    conf.write_text(conf.read_text(encoding="utf-8") + f"\npia_content_dir = {str(content)!r}\n", encoding="utf-8")
    return src


def plain_site(dest: Path, built: Path) -> Path:
    """The same text as ordinary MyST pages, without the extension: one page per page
    of the built site, holding that page's visible text, with the same navigation
    (orphan pages linked from one index), so the ratio measures what the extension
    adds, not how many pages the site has."""
    from bs4 import BeautifulSoup

    src = dest / "plain"
    if src.exists():
        shutil.rmtree(src)
    src.mkdir(parents=True)
    (src / "conf.py").write_text('project = "plain"\nlanguage = "ja"\nextensions = ["myst_parser"]\nhtml_theme = "furo"\n', encoding="utf-8")
    links = []
    for page in sorted((built / "pia").rglob("*.html")):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        article = soup.find("article") or soup.body
        lines = [ln.strip() for ln in article.get_text("\n").split("\n") if ln.strip()]
        if not lines:
            continue
        rel = page.relative_to(built).with_suffix("")
        body = "\n\n".join(ln.replace("\\", "\\\\").replace("`", "\\`") for ln in lines[1:])
        target = src / rel.with_suffix(".md")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f"---\norphan: true\n---\n\n# {lines[0]}\n\n{body}\n", encoding="utf-8")
        links.append(f"- [{lines[0]}]({rel.as_posix()}.md)")
    (src / "index.md").write_text("# plain\n\n" + "\n".join(links) + "\n", encoding="utf-8")
    return src


def build(src: Path, out: Path, jobs: int = 1, fresh: bool = True) -> dict:
    if fresh and out.exists():
        shutil.rmtree(out)
    cmd = [sys.executable, "-m", "sphinx", "-q", "-b", "html", "-j", str(jobs), str(src), str(out)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    elapsed = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"build failed: {' '.join(cmd)}\n{proc.stderr[-3000:]}")
    # ru_maxrss of children is the max over all waited-for children so far: run the
    # largest build last, or read it per build through /proc when available.
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {"seconds": elapsed, "peak_rss_mb": peak / 1024, "peak_grew": peak > before}


def dir_size(path: Path) -> int:
    """Bytes of the published site: the build's pickled doctrees (.doctrees) are not published."""
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and ".doctrees" not in p.parts)


def peak_rss(src: Path, out: Path) -> float:
    """Peak memory of one full serial build, measured in a fresh child (GNU time if present)."""
    if out.exists():
        shutil.rmtree(out)
    code = (
        "import resource, subprocess, sys;"
        f"subprocess.run([sys.executable, '-m', 'sphinx', '-q', '-b', 'html', {str(src)!r}, {str(out)!r}], check=True);"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return int(res.stdout.strip().splitlines()[-1]) / 1024


def run(scales: list[int], work: Path) -> list[dict]:
    results = []
    for n in scales:
        dest = work / f"n{n}"
        dest.mkdir(parents=True, exist_ok=True)
        content = make_corpus(dest, n)
        src = site_dir(dest, content)
        full = build(src, dest / "out1")["seconds"]
        plain = plain_site(dest, dest / "out1")
        plain_s = build(plain, dest / "plain-out")["seconds"]
        # incremental: edit one YAML value, rebuild in place
        target = sorted(content.glob("*/changes.yaml"))[0]
        target.write_text(target.read_text(encoding="utf-8").replace("事後", "事後 ", 1), encoding="utf-8")
        incr = build(src, dest / "out1", fresh=False)["seconds"]
        par = build(src, dest / "out2", jobs=2)["seconds"]
        mem = peak_rss(src, dest / "out3")
        row = {
            "assessments": n,
            "full_build_s": round(full, 2),
            "plain_myst_build_s": round(plain_s, 2),
            "full_vs_plain_ratio": round(full / plain_s, 2),
            "incremental_s": round(incr, 2),
            "incremental_fraction_of_full": round(incr / full, 3),
            "j2_speedup": round(full / par, 2),
            "peak_rss_mb": round(mem, 1),
            "output_mb": round(dir_size(dest / "out1") / 2**20, 1),
            "output_kb_per_assessment": round(dir_size(dest / "out1") / 1024 / n, 1),
        }
        print(json.dumps(row, ensure_ascii=False), flush=True)
        results.append(row)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", type=int, nargs="+", default=[20, 100, 400])
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "bench")
    parser.add_argument("--json", type=Path, default=None, help="also write the results here")
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    results = run(args.scales, args.work)
    if len(results) > 1:
        base = results[0]
        for r in results[1:]:
            growth = r["peak_rss_mb"] / base["peak_rss_mb"]
            print(f"memory x{growth:.2f} for assessments x{r['assessments'] / base['assessments']:.0f}")
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
