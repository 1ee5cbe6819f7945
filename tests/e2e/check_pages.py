"""Accessibility and rendering of the built pages, in a real browser.

`make accessibility` runs this after `make handouts` and `make slides`. In headless Chromium (the
system's, driven by Playwright, as in run_e2e.py) it opens every HTML handout, every slide deck and
both index pages from the disk (file://, no server: they must work offline) and

1. waits until MathJax has typeset the page, and fails on a MathJax error or a file that did not load;
2. runs axe-core (pinned, from npm: tools/npm_assets.py) with the WCAG 2.0 and 2.1 level A and AA
   rules and its heading-order rule, on each deck in reveal.js's scroll view (every slide on the page at once), and fails
   listing every violation by rule, page and element;
3. saves a screenshot of each deck's first slide in build/e2e/slides/;
4. checks the printed student handouts (PDF, with poppler-utils' pdfinfo and pdfimages): at most
   10 A4 pages for the activation lessons 02-05, whose first figure is on page 1 or 2, and no
   figure in any PDF printed so small that its text (the house style's size at its dpi) falls
   below 8 pt.

What axe checks, and what it cannot, is in CONTRIBUTING.md ("Accessibility").

    .venv/bin/python tests/e2e/check_pages.py [build/handouts build/slides]
"""

import argparse
import re
import shutil
import subprocess
import sys
from pathlib import Path

from helpers.plotting import HOUSE_STYLE

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))

import npm_assets  # noqa: E402
from run_e2e import ROOT, E2EFailure, fail, launch_browser  # noqa: E402

OUTPUT = ROOT / "build" / "e2e" / "slides"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
EXTRA_RULES = ["heading-order"]  # axe files it under best practices; the handouts promise headings in order
TIMEOUT = 60_000  # ms for a page to load and typeset


def pages(folders):
    """Every HTML page to check: handouts, decks and the index pages."""
    found = sorted(path.resolve() for folder in folders for path in Path(folder).glob("*.html"))
    if not found:
        fail(f"no HTML pages in {', '.join(map(str, folders))}: run make handouts and make slides first")
    return found


def typeset(page, path):
    """Open a page, wait for MathJax (if it has maths) and for reveal.js (a deck); return load failures."""
    missing = []
    page.on("requestfailed", lambda request: missing.append(request.url))
    deck = path.name.endswith(".slides.html")
    page.goto(path.as_uri() + ("?view=scroll" if deck else ""), wait_until="load", timeout=TIMEOUT)
    page.wait_for_function("!window.MathJax || (MathJax.startup && MathJax.startup.promise)", timeout=TIMEOUT)
    page.evaluate("window.MathJax && MathJax.startup ? MathJax.startup.promise : null")
    if deck:
        page.wait_for_function("window.Reveal && Reveal.isReady()", timeout=TIMEOUT)
    errors = page.locator("mjx-merror, .MathJax_Error").count()
    if errors:
        fail(f"{path.name}: {errors} MathJax error(s)")
    return missing


def violations(page, axe):
    """axe-core's WCAG A/AA violations on the open page, as (rule, help, [element selectors])."""
    page.add_script_tag(path=str(axe))
    options = {
        "runOnly": {"type": "tag", "values": WCAG_AA},
        "rules": {rule: {"enabled": True} for rule in EXTRA_RULES},
        "resultTypes": ["violations"],
    }
    result = page.evaluate("options => axe.run(document, options)", options)
    return [(v["id"], v["help"], [", ".join(node["target"]) for node in v["nodes"]]) for v in result["violations"]]


def pdf_problems(folder):
    """What breaks the printed student handouts' promises (point 4 of the module docstring)."""
    if not (shutil.which("pdfinfo") and shutil.which("pdfimages")):
        fail("the PDF checks need pdfinfo and pdfimages (Debian/Ubuntu: apt-get install poppler-utils)")
    problems, pdfs = [], sorted(Path(folder).glob("*-student.pdf"))
    if not pdfs:
        fail(f"no student PDFs in {folder}: run make handouts first")
    smallest_pt = 8.0
    for pdf in pdfs:
        info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True, check=True).stdout
        pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
        listing = subprocess.run(["pdfimages", "-list", pdf], capture_output=True, text=True, check=True).stdout
        images = [line.split() for line in listing.splitlines()[2:] if line.split()[2] == "image"]
        if re.match(r"0[2-5]_", pdf.name):
            if pages > 10:
                problems.append(f"{pdf.name}: {pages} pages (at most 10)")
            if not images or int(images[0][0]) > 2:
                problems.append(f"{pdf.name}: the first figure is not on page 1 or 2")
        for page, *_, x_ppi, _y, _size, _ratio in images:
            text_pt = HOUSE_STYLE["font.size"] * HOUSE_STYLE["figure.dpi"] / float(x_ppi)
            if text_pt < smallest_pt:
                problems.append(
                    f"{pdf.name}, page {page}: a figure's text prints at {text_pt:.1f} pt (< {smallest_pt:g})"
                )
    return problems


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", type=Path, default=[ROOT / "build/handouts", ROOT / "build/slides"])
    args = parser.parse_args(argv)
    folder = ROOT / "build" / "npm"
    axe = folder / "axe-core" / "axe.min.js"
    npm_assets.copy(npm_assets.fetch("axe-core", folder), ["axe.min.js"], folder / "axe-core")
    from playwright.sync_api import sync_playwright

    OUTPUT.mkdir(parents=True, exist_ok=True)
    problems, checked = pdf_problems(args.folders[0]), pages(args.folders)
    with sync_playwright() as playwright:
        browser = launch_browser(playwright)
        for path in checked:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            try:
                missing = typeset(page, path)
                problems += [f"{path.name}: did not load {url}" for url in missing]
                for rule, help_text, targets in violations(page, axe):
                    shown = "; ".join(targets[:3]) + (f" and {len(targets) - 3} more" if len(targets) > 3 else "")
                    problems.append(f"{path.name}: {rule} ({help_text}): {len(targets)} element(s): {shown}")
                if path.name.endswith(".slides.html"):
                    page.goto(path.as_uri() + "#/0", wait_until="load", timeout=TIMEOUT)
                    page.wait_for_function("window.Reveal && Reveal.isReady()", timeout=TIMEOUT)
                    page.wait_for_timeout(500)  # the slide transition
                    page.screenshot(path=str(OUTPUT / f"{path.name.removesuffix('.slides.html')}.png"))
            except E2EFailure as error:
                problems.append(str(error))
            finally:
                page.close()
            print(f"  {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}", flush=True)
        browser.close()
    if problems:
        print(f"error: {len(problems)} accessibility or rendering problem(s):", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    print(
        f"{len(checked)} pages meet WCAG 2.1 A and AA as axe-core checks them; screenshots in {OUTPUT.relative_to(ROOT)}/"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
