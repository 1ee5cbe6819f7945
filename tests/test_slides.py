"""The slide decks (tools/build_slides.py): the house rules for slide types and what a deck leaves out.
That every notebook carries its slide types is tests/test_notebooks.py's; decks in a browser, tests/e2e's."""

import base64
import re
import subprocess
import sys
from pathlib import Path

import matplotlib
import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "tools" / "build_slides.py"
PNG = base64.b64encode((Path(matplotlib.get_data_path()) / "images" / "home.png").read_bytes()).decode()


DERIVATION = new_output(
    "display_data", {"text/latex": "$$\\begin{aligned}u &= v\\end{aligned}$$", "text/plain": "u = v"}
)


def figure_output(alt):
    return new_output("display_data", {"image/png": PNG}, metadata={"image/png": {"alt": alt}})


def lesson():
    """A small notebook with every kind of cell the rules tell apart, and the slide type each should get."""
    cells = [
        (new_markdown_cell("# A lesson\n\nIts introduction."), "slide"),
        (new_code_cell("import setup_only", metadata={"tags": ["handout-output-only"]}), "-"),
        (new_code_cell("import numpy as np"), "-"),
        (new_markdown_cell("## 1. A section\n\nSee [the next lesson](other.ipynb#top)."), "slide"),
        (new_code_cell("table_plumbing = 1", metadata={"tags": ["hide-input"]}), "-"),
        (new_code_cell("drawing_code = 1", outputs=[figure_output("A curve rises from left to right.")]), "subslide"),
        (new_markdown_cell("*Figure 1. The curve.*"), "-"),
        (new_markdown_cell("More prose about the curve."), "subslide"),
        (new_code_cell("plain_code = 2"), "-"),
        (new_code_cell("derivation_code = 5", outputs=[DERIVATION]), "-"),
        (new_markdown_cell("### 1.2 A heading alone"), "subslide"),
        (new_markdown_cell("### Exercise 1: Try it (easy)", metadata={"tags": ["exercise"]}), "subslide"),
        (new_code_cell("solution_code = 3", metadata={"tags": ["solution"]}), "skip"),
        (new_code_cell("widget_code = 4", metadata={"tags": ["interactive"]}), "skip"),
    ]
    return new_notebook(cells=[cell for cell, _ in cells], metadata={"title": "A lesson"}), [t for _, t in cells]


def run(*arguments):
    result = subprocess.run(
        [sys.executable, str(BUILD), *map(str, arguments)], capture_output=True, text=True, cwd=ROOT, timeout=300
    )
    assert result.returncode == 0, f"build_slides.py {arguments} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def slide_types(path):
    return [cell.metadata.get("slideshow", {}).get("slide_type") for cell in nbformat.read(path, as_version=4).cells]


def test_assign_fills_in_the_house_rules_and_keeps_a_teachers_choice(tmp_path):
    nb, expected = lesson()
    nb.cells[8].metadata["slideshow"] = {"slide_type": "fragment"}  # a teacher's own choice
    expected[8] = "fragment"
    path = tmp_path / "lesson.ipynb"
    nbformat.write(nb, path)
    assert "13 cell(s) given a slide type" in run("--assign", path)
    assert slide_types(path) == expected
    assert "0 cell(s) given a slide type" in run("--assign", path)


def test_a_long_caption_goes_on_a_slide_below_its_figure(tmp_path):
    nb, expected = lesson()
    nb.cells[6].source = "*Figure 1. The curve.* " + "A long discussion. " * 40
    path = tmp_path / "lesson.ipynb"
    nbformat.write(nb, path)
    run("--assign", path)
    assert slide_types(path)[6] == "subslide"


@pytest.fixture(scope="module")
def deck(tmp_path_factory):
    folder = tmp_path_factory.mktemp("slides")
    nb, _ = lesson()
    nb.cells[1].metadata["slideshow"] = {"slide_type": "subslide"}  # the setup cell starts a slide below
    path, other = folder / "lesson.ipynb", folder / "other.ipynb"
    nbformat.write(nb, path)
    nbformat.write(new_notebook(cells=[new_markdown_cell("# Other")], metadata={"title": "Other"}), other)
    run("--assign", path)
    run("--no-assets", "--out", folder / "out", path, other)
    return (folder / "out" / "lesson.slides.html").read_text(encoding="utf-8"), folder / "out"


def test_a_deck_has_one_section_per_slide_and_one_inside_per_slide_below(deck):
    page, _ = deck
    body = page[page.index('<div class="slides">') :]
    # 2 slides, each a section around its vertical slides: 2 (the setup cell left out, the next cell
    # starting the slide it started) and 5 (the derivation on a slide of its own, the heading alone
    # sharing the exercise's)
    assert body.count("<section") == 2 + 7


def test_a_deck_leaves_out_solutions_widgets_hidden_code_and_the_code_of_figures_and_derivations(deck):
    page, _ = deck
    for shown in ("numpy", "plain_code", "Its introduction", "More prose", "Figure 1. The curve", "u &amp;= v"):
        assert shown in page
    for left_out in ("solution_code", "widget_code", "table_plumbing", "drawing_code", "setup_only", "derivation_code"):
        assert left_out not in page, f"{left_out} is on a slide"
    assert 'alt="A curve rises from left to right."' in page


def test_a_deck_links_to_the_other_decks_and_loads_nothing_from_the_internet(deck):
    page, out = deck
    assert 'href="other.slides.html#top"' in page
    loaded = re.findall(r"""<(?:script|link)\b[^>]*?\b(?:src|href)=["']([^"']+)""", page)
    assert loaded, "the deck loads no script or style sheet"
    assert all(not re.match(r"(https?:)?//", url) for url in loaded), f"loaded from the internet: {loaded}"
    assert "reveal.js/dist/reveal.js" in loaded and "mathjax/es5/tex-svg-full.js" in loaded
    assert "lesson.slides.html" in (out / "index.html").read_text(encoding="utf-8")


def test_a_text_too_long_for_one_slide_goes_on_below_split_between_paragraphs_not_inside_maths(tmp_path):
    paragraphs = [f"Paragraph {k}: " + "words " * 150 for k in range(4)]
    half = "\n".join(f"a_{k} = b_{k}" for k in range(12))
    maths = f"$$\n{half}\n\n{half}\n$$"  # a blank line inside displayed maths: never a place to split
    nb = new_notebook(cells=[new_markdown_cell("# Long\n\n" + "\n\n".join(paragraphs[:2] + [maths] + paragraphs[2:]))])
    path = tmp_path / "long.ipynb"
    nbformat.write(nb, path)
    run("--assign", path)
    run("--no-assets", "--out", tmp_path / "out", path)
    page = (tmp_path / "out" / "long.slides.html").read_text(encoding="utf-8")
    slides = page[page.index('<div class="slides">') :].split("<section")[2:]
    assert len(slides) >= 3, "four long paragraphs stayed on fewer than three slides"
    assert all(slide.count("$$") % 2 == 0 for slide in slides), "displayed maths was split across slides"
    assert all(f"Paragraph {k}:" in page for k in range(4))
    run("--no-assets", "--out", tmp_path / "again", path)
    again = (tmp_path / "again" / "long.slides.html").read_text(encoding="utf-8")
    assert again == page, "two builds of one notebook differ (the split cells' ids)"
