"""Build a reveal.js slide deck per notebook, from the slide types kept in the notebooks.

Each cell's slide type (JupyterLab: the property inspector, "Slide Type") says where it goes: ``slide``
starts a new slide, ``subslide`` a new one below it, ``-`` continues the current one, ``fragment``
appears on the next click, ``skip`` is left out and ``notes`` goes to the speaker notes (key S).
nbconvert's slides exporter turns them into ``<name>.slides.html`` in the output folder
(``build/slides`` from ``make slides``), with an ``index.html`` linking every deck. As in the HTML
handouts, the input of cells tagged ``hide-input`` or ``handout-output-only`` is dropped (nbconvert's
TagRemovePreprocessor) and links between notebooks point at the other decks; a figure or a displayed
derivation shows without the code that makes it, on a slide of its own (with a short caption), a
code cell longer than a slide shows only its output, a heading alone on a slide takes the next cell
with it, a text too long for a slide goes on below it, and a cell left with nothing to show (the
setup cell) is left out.

reveal.js and MathJax come from the npm registry once (``tools/npm_assets.py``) and are copied next
to the decks, so they run offline, from a USB stick or a ``file://`` address.

A new notebook gets its slide types with ``--assign``, which fills in every cell that has none (and
changes nothing else) by the house rules in :func:`slide_type`: a section heading starts a slide;
every other markdown cell and every figure starts a slide below it, a figure's short caption stays
with it; other code stays with the text that introduces it while the slide has room (an estimate in
lines), else starts a slide below; solutions and live widgets are skipped.

Usage (the Makefile's ``slides`` target runs the first line)::

    python tools/build_slides.py --out build/slides notebooks/*.ipynb
    python tools/build_slides.py --assign notebooks/09_new.ipynb
    python tools/build_slides.py --no-assets --out /tmp/s nb.ipynb   # the decks only
"""

import argparse
import copy
import html
import re
import sys
import time
from pathlib import Path

import build_handouts
import nbformat
import npm_assets

ROOT = Path(__file__).resolve().parent.parent
REVEAL_FILES = [
    "dist/reveal.js",
    "dist/reveal.css",
    "dist/theme/white.css",
    "dist/theme/fonts/source-sans-pro/",
    "plugin/notes/notes.js",
    "LICENSE",
]
CAPTION = re.compile(r"^\s*\*")  # a figure's caption starts in italics (or bold: "**Figure 2.**")
SHORT_CAPTION = 600  # characters: a caption this short stays on its figure's slide, a longer one goes below
SLIDE_LINES, LINE_WIDTH, FIGURE_LINES = 18, 90, 14  # a slide holds about 18 lines of 90 characters; a figure takes 14
QUOTE_WIDTH = 70  # characters on a line of a quoted box (the box at the top), which is narrower


def deck_name(stem):
    """The file name of a notebook's deck, e.g. ``02_sigmoid.slides.html``."""
    return f"{stem}.slides.html"


def slide_kind(cell):
    """A cell's slide type as the notebook gives it ("-", continuing the slide, when it gives none)."""
    return cell.metadata.get("slideshow", {}).get("slide_type", "-")


def slide_type(cell, previous, used):
    """The house rule for a cell's slide type, given the cell before it (or None) and the estimated
    lines already on the current slide (:func:`lines`)."""
    tags = set(cell.metadata.get("tags", []))
    if tags & {"solution", "interactive"}:
        return "skip"
    if cell.cell_type == "markdown":
        if re.match(r"#{1,2} ", cell.source):
            return "slide"
        caption = previous is not None and has_figure(previous) and CAPTION.match(cell.source)
        return "-" if caption and len(cell.source) <= SHORT_CAPTION else "subslide"
    return "subslide" if has_figure(cell) or used + lines(cell) > SLIDE_LINES else "-"


def lines(cell):
    """A rough count of the lines a cell takes on a slide: wrapped text, code, printed output, figures."""
    if slide_kind(cell) == "skip":
        return 0
    if cell.cell_type == "markdown":
        count = sum(
            -(-len(line) // (QUOTE_WIDTH if line.startswith(">") else LINE_WIDTH))
            for line in cell.source.splitlines()
            if line.strip(" >")
        )
    else:  # the code shows unless a slide drops it
        count = 0 if code_left_out(cell) else len(cell.source.splitlines())
    for output in cell.get("outputs", []):
        data = output.get("data", {})
        if "image/png" in data:
            count += FIGURE_LINES
        elif "text/latex" in data:
            count += 2 * (data["text/latex"].count("\\\\") + 1)  # a displayed line is about two text lines high
        else:
            count += len((output.get("text") or data.get("text/plain", "")).splitlines())
    return count


def has_figure(cell):
    """Whether a cell shows an image."""
    return any("image/png" in output.get("data", {}) for output in cell.get("outputs", []))


def has_derivation(cell):
    """Whether a cell shows a derivation (helpers.symbolic.Derivation: an aligned display)."""
    return any("\\begin{aligned}" in output.get("data", {}).get("text/latex", "") for output in cell.get("outputs", []))


def shown_without_code(cell):
    """Whether a cell shows a figure or a derivation, which a slide shows without its code."""
    return has_figure(cell) or has_derivation(cell)


def code_left_out(cell):
    """Whether a slide leaves out a code cell's code: hidden or handout-output-only, making a figure or a
    derivation, or longer than a slide (an analysis: its output is what the slide is for)."""
    tagged = build_handouts.HANDOUTS_DROP_THE_CODE_OF & set(cell.metadata.get("tags", []))
    return bool(tagged) or shown_without_code(cell) or len(cell.source.splitlines()) > SLIDE_LINES


def assign(path):
    """Give every cell of the notebook at ``path`` without a slide type the house rule's; return how many."""
    nb = nbformat.read(path, as_version=4)
    filled, previous, used = 0, None, 0
    for cell in nb.cells:
        if "slide_type" not in cell.metadata.get("slideshow", {}):
            cell.metadata.setdefault("slideshow", {})["slide_type"] = slide_type(cell, previous, used)
            filled += 1
        starts = cell.metadata["slideshow"]["slide_type"] in {"slide", "subslide"}
        used = lines(cell) + (0 if starts else used)
        previous = cell
    if filled:
        nbformat.write(nb, path)
    return filled


def exporter():
    """nbconvert's slides exporter with the offline template."""
    from nbconvert import SlidesExporter
    from traitlets.config import Config

    config = Config()
    config.TagRemovePreprocessor.enabled = True
    config.TagRemovePreprocessor.remove_input_tags = build_handouts.HANDOUTS_DROP_THE_CODE_OF
    made = SlidesExporter(
        config=config,
        template_name="slides_reveal",
        **build_handouts.TEMPLATE_DIRS,
        reveal_url_prefix="reveal.js",
        reveal_theme="white",
        mathjax_url=build_handouts.MATHJAX_URL,
        embed_images=True,
        exclude_input_prompt=True,  # no "In [3]:": the prompts number a run, and take a sixth of the width
        exclude_output_prompt=True,
        # Before nbconvert's reveal.js preprocessor reads the slide types:
        preprocessors=[split_long_text, leave_out_what_shows_nothing, one_thing_per_slide],
    )
    made.register_preprocessor(build_handouts.adapt_markdown, enabled=True)
    made.register_preprocessor(outputs_without_code, enabled=True)
    return made


# Between paragraphs (of the text or of a quoted box) or between the items of a list.
BLOCK_BOUNDARY = re.compile(r"(\n\n|\n>\n|\n(?=(?:> )?[*-] ))")


def split_long_text(nb, resources):
    """A text cell too long for one slide goes on as many slides below it as it needs, split between
    paragraphs or list items (never inside displayed maths or a code block); the notebook keeps it whole."""
    cells = []
    for cell in nb.cells:
        kind = slide_kind(cell)
        if cell.cell_type != "markdown" or kind in {"skip", "notes"} or lines(cell) <= SLIDE_LINES:
            cells.append(cell)
            continue
        pieces = BLOCK_BOUNDARY.split(cell.source)  # block, boundary, block, ...
        parts, current = [], pieces[0]
        for boundary, block in zip(pieces[1::2], pieces[2::2]):
            whole = current.count("$$") % 2 == 0 and current.count("```") % 2 == 0
            if whole and lines(nbformat.v4.new_markdown_cell(current + boundary + block)) > SLIDE_LINES:
                parts.append(current)
                current = block
            else:
                current += boundary + block
        parts.append(current)
        for index, part in enumerate(parts):
            piece = nbformat.v4.new_markdown_cell(part, metadata=copy.deepcopy(cell.metadata))
            piece.id = cell.id if index == 0 else f"{cell.id}-{index}"  # the same deck from the same notebook
            piece.metadata.setdefault("slideshow", {})["slide_type"] = kind if index == 0 else "subslide"
            cells.append(piece)
    nb.cells = cells
    return nb, resources


def outputs_without_code(nb, resources):
    """On a slide a figure or a derivation shows without the code that makes it, and a code cell longer
    than a slide shows only its output (the notebook and the handouts keep the code)."""
    for cell in nb.cells:
        if cell.cell_type == "code" and code_left_out(cell):
            cell.metadata.setdefault("transient", {})["remove_source"] = True
    return nb, resources


def one_thing_per_slide(nb, resources):
    """A figure or a derivation starts a slide of its own below the text that leads to it (a figure's
    short caption stays with it), and a heading alone on a slide takes the next cell onto its slide."""
    shown = [cell for cell in nb.cells if slide_kind(cell) not in {"skip", "notes"}]
    for cell in shown[1:]:
        kind = slide_kind(cell)
        if kind in {"-", "fragment"} and shown_without_code(cell):
            cell.metadata.setdefault("slideshow", {})["slide_type"] = "subslide"
    for previous, cell in zip(shown, shown[1:]):
        alone = previous.cell_type == "markdown" and re.fullmatch(r"#{1,6} [^\n]*", previous.source.strip())
        if alone and slide_kind(cell) == "subslide":
            cell.metadata["slideshow"]["slide_type"] = "-"
    return nb, resources


def leave_out_what_shows_nothing(nb, resources):
    """Leave out a code cell whose code a slide drops and that has no output (the setup cell: an empty
    slide otherwise); a slide it would have started starts at the next cell instead."""
    cells, starts = [], None
    for cell in nb.cells:
        kind = slide_kind(cell)
        if cell.cell_type == "code" and code_left_out(cell) and not cell.get("outputs"):
            starts = kind if kind in {"slide", "subslide"} and starts != "slide" else starts
            continue
        if starts and kind in {"-", "fragment"}:
            cell.metadata.setdefault("slideshow", {})["slide_type"] = starts
        starts = None if kind not in {"skip", "notes"} else starts
        cells.append(cell)
    nb.cells = cells
    return nb, resources


def index_page(entries):
    """A plain page linking every deck, by notebook title."""
    items = "\n".join(
        f'<li><a href="{html.escape(deck_name(stem))}">{html.escape(title)}</a></li>' for stem, title in entries
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Activation functions: slides</title>
<style>
body {{ font-family: sans-serif; max-width: 50em; margin: 2em auto; padding: 0 1em; }}
a {{ color: #0b57a4; }}
</style>
</head>
<body>
<h1>Activation functions: slides</h1>
<p>One reveal.js deck per notebook. Arrow keys or space move on, Esc shows every slide, S opens the
speaker view, F fills the screen. Print a deck to PDF by adding <code>?print-pdf</code> to its address
in Chrome or Chromium.</p>
<ul>
{items}
</ul>
</body>
</html>
"""


def build(notebooks, out_dir, assets=True):
    """Write every deck, and reveal.js and MathJax beside them if ``assets``; return the list of failures."""
    out_dir.mkdir(parents=True, exist_ok=True)
    if assets:
        for package, files in (("reveal.js", REVEAL_FILES), ("mathjax", build_handouts.MATHJAX_FILES)):
            npm_assets.copy(npm_assets.fetch(package, ROOT / "build" / "npm"), files, out_dir / package)
    made, failures, entries = exporter(), [], []
    links = {path.stem: deck_name(path.stem) for path in notebooks}
    for path in notebooks:
        title = build_handouts.notebook_metadata(path).get("title") or path.stem
        entries.append((path.stem, title))
        resources = {"handout_links": links, "handout_format": "html"}
        try:
            body, _ = made.from_filename(str(path), resources=resources)
        except Exception as error:  # reported with the others, then the build fails
            failures.append(f"{path}: {type(error).__name__}: {error}")
            continue
        (out_dir / deck_name(path.stem)).write_text(body, encoding="utf-8")
        print(f"  {out_dir / deck_name(path.stem)}", flush=True)
    (out_dir / "index.html").write_text(index_page(entries), encoding="utf-8")
    return failures


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "slides")
    parser.add_argument(
        "--assign", action="store_true", help="fill in missing slide types in the notebooks, build nothing"
    )
    parser.add_argument(
        "--no-assets",
        action="store_true",
        help="do not fetch or copy reveal.js and MathJax (the decks then do not run)",
    )
    args = parser.parse_args(argv)
    if args.assign:
        for path in args.notebooks:
            print(f"{path}: {assign(path)} cell(s) given a slide type")
        return 0
    started = time.perf_counter()
    print(f"building slides of {len(args.notebooks)} notebook(s) into {args.out}/")
    try:
        failures = build(args.notebooks, args.out, assets=not args.no_assets)
    except npm_assets.AssetError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return build_handouts.report(failures, started, args.out)


if __name__ == "__main__":
    sys.exit(main())
