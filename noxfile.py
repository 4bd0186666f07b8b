"""Developer tasks.

    nox -s site    build the HTML site from content/ into site/_build/html (-W)
    nox -s tests   run the test suite
    nox -s browser search, accessibility (axe-core), keyboard and print tests in headless
                   Chromium (needs Debian's chromium and npm)
    nox -s bench   build benchmarks (see benchmarks/bench.py)
    nox -s fuzz    property tests of the loader and the citation parser, 2,000 examples each
"""

from __future__ import annotations

import nox

nox.options.sessions = ["tests"]
nox.options.reuse_existing_virtualenvs = True


@nox.session
def site(session: nox.Session) -> None:
    """Build the site from content/, warnings as errors."""
    session.install(".")
    session.run("sphinx-build", "-W", "--keep-going", "-b", "html", "site", "site/_build/html", *session.posargs)
    session.log("Built: open site/_build/html/index.html in a browser.")


@nox.session
def tests(session: nox.Session) -> None:
    """Unit, fidelity and Sphinx build tests."""
    session.install(".[test]")
    session.run("python", "-m", "pytest", *session.posargs)


@nox.session
def browser(session: nox.Session) -> None:
    """Search, accessibility, keyboard and print tests of the built site in headless Chromium
    (Playwright drives /usr/bin/chromium).  axe-core comes from the npm registry, pinned by
    package-lock.json.  PIA_A11Y_RESULTS=site/accessibility-results.json rewrites the
    results shown on the site's accessibility page."""
    session.install(".[test,browser]")
    session.run("npm", "ci", "--no-audit", "--no-fund", external=True)
    session.run("python", "-m", "pytest", "tests/browser", *session.posargs)


@nox.session
def bench(session: nox.Session) -> None:
    """Builds against a baseline revision (ratios, memory, output size) at 5 and 40 assessments,
    search cost at 200 and 1,000 (results.json), then search quality (held-out recall).
    Options go to bench.py, e.g. `nox -s bench -- --sizes 5 40 200 --baseline b5ffdfc`."""
    session.install(".[test,browser]")
    session.run("python", "benchmarks/bench.py", *session.posargs)
    session.run("python", "benchmarks/search_eval.py")


@nox.session
def fuzz(session: nox.Session) -> None:
    """Hypothesis properties with many examples (the default tests run a few dozen)."""
    session.install(".[test]")
    session.run("python", "-m", "pytest", "tests/test_fuzz_loader.py", "tests/test_fuzz_citations.py", "tests/test_fuzz_importer.py",
                "-q", "--hypothesis-show-statistics", *session.posargs, env={"PIA_FUZZ_EXAMPLES": "2000", "PIA_FUZZ": "1"})
