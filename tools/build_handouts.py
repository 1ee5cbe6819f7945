"""Build the classroom handouts from the notebooks, with nothing typed twice.

For every notebook it writes, into the output folder (``build/handouts`` from
``make handouts``):

* ``<name>-teacher.html`` and ``<name>-teacher.pdf``: the whole notebook;
* ``<name>-student.html`` and ``<name>-student.pdf``: the same without the
  cells tagged ``solution``. They are removed by nbconvert's own
  TagRemovePreprocessor, configured exactly like the command-line flags
  ``--TagRemovePreprocessor.enabled=True
  --TagRemovePreprocessor.remove_cell_tags solution``;
* ``<name>-student.ipynb``: the student edition of the notebook itself, to hand
  out and run in JupyterLab: the solution cells removed (the same
  preprocessor), every output cleared (nbconvert's ClearOutputPreprocessor),
  hidden code kept (collapsed), links pointing at the other student editions,
  and an empty answer cell under each exercise (tag ``answer``);
* in the HTML and PDF handouts, the input of cells tagged ``hide-input`` (figure assembly, table
  printing: code that does not teach) or ``handout-output-only`` (the setup
  cell's imports, the code of a lesson's first figure) is dropped and its
  output kept, by the same preprocessor (``--TagRemovePreprocessor.remove_input_tags
  hide-input handout-output-only``); in JupyterLab ``hide-input`` cells show
  collapsed (metadata ``jupyter.source_hidden``), ``handout-output-only`` ones
  open. The printed pages carry no ``In [n]:`` prompts (``--no-prompt``),
  and no cell tagged ``interactive`` (a live widget: it runs only in JupyterLab);
* ``index.html``, linking them all under each notebook's metadata "title";
* ``mathjax/``: MathJax 3, so the HTML typesets its maths with no internet.

PDFs go through nbconvert's LaTeX route (``--to pdf``: xelatex) with the
template in ``tools/templates/handout_latex``; HTML uses
``tools/templates/handout_html`` (JupyterLab look, no CDN scripts). Both
templates say what they change and why; ``adapt_markdown`` points links
between notebooks at the handout of the same kind (a student handout never
leads to a teacher one). Handouts are converted in parallel worker processes
(``--jobs``).

The date on a handout is fixed, never the build day: a notebook's metadata
"date" if it has one, otherwise ``EDITION`` below, the edition of the whole
collection. Change ``EDITION`` when you publish a new edition. PDF metadata
dates come from the same constant (SOURCE_DATE_EPOCH), so rebuilding an
unchanged collection gives the same files.

Notebooks are only read, never written (their outputs are what CI checked).

MathJax comes from the npm registry, once (``tools/npm_assets.py``: pinned
version and sha512), then one file, ``es5/tex-svg-full.js`` (TeX input and SVG
output with its fonts inside, so it works from a USB stick or a ``file://``
page), is copied next to the pages with MathJax's licence.

Usage (the Makefile's ``handouts`` target runs the first line)::

    python tools/build_handouts.py --out build/handouts notebooks/*.ipynb
    python tools/build_handouts.py --formats html --no-mathjax --out /tmp/h nb.ipynb
"""

from __future__ import annotations

import argparse
import calendar
import datetime
import html
import json
import multiprocessing
import os
import re
import shutil
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

import npm_assets

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = Path(__file__).resolve().parent / "templates"
# Our templates, and the parts they share (templates/shared: a figure with its alt text).
TEMPLATE_DIRS = {"extra_template_basedirs": [str(TEMPLATES)], "extra_template_paths": [str(TEMPLATES / "shared")]}

#: Date printed on every handout whose notebook has no metadata "date".
EDITION = datetime.date(2026, 11, 1)
EDITION_LABEL = f"{EDITION:%B %Y}"

MATHJAX_FILES = ["es5/tex-svg-full.js", "LICENSE"]  # copied into <out>/mathjax/
MATHJAX_URL = "mathjax/es5/tex-svg-full.js"  # relative to the pages

TEX_INSTALL = "apt-get install texlive-xetex texlive-fonts-recommended texlive-plain-generic pandoc"
# What the PDF route needs, and the Debian package that provides it.
TEX_PROGRAMS = {"xelatex": "texlive-xetex", "pandoc": "pandoc"}
TEX_FILES = {
    "tcolorbox.sty": "texlive-xetex (through texlive-latex-extra)",
    "eurosym.sty": "texlive-fonts-recommended",
    "ulem.sty": "texlive-plain-generic",
}

FORMATS = ("pdf", "html", "ipynb")  # PDFs first: they take longest
FORMAT_LABELS = {"html": "HTML", "pdf": "PDF", "ipynb": "notebook"}

VARIANTS = {
    # name: (label printed on the handout, cell tags removed)
    "teacher": ("Teacher handout, with solutions", []),
    "student": ("Student handout", ["solution"]),
}

HANDOUTS_DROP_THE_CODE_OF = {"hide-input", "handout-output-only"}  # cell tags: the output stays
PAGES_LEAVE_OUT = ["interactive"]  # cell tags: a live widget, which runs only in JupyterLab
PRINTED_STUDENT_LEAVES_OUT = ["optional"]  # cell tags: the optional sections, kept in the HTML and the notebook


def is_made(variant, fmt):
    """Whether a build makes this kind of handout: no teacher notebook, the original is one."""
    return fmt != "ipynb" or variant == "student"


BuildError = npm_assets.AssetError
"""A handout could not be built; the message says why and what to do."""


def missing_tex():
    """Names of the TeX programs and packages the PDF route lacks."""
    missing = [f"{p} ({pkg})" for p, pkg in TEX_PROGRAMS.items() if not shutil.which(p)]
    if shutil.which("kpsewhich"):
        for name, pkg in TEX_FILES.items():
            found = subprocess.run(["kpsewhich", name], capture_output=True, text=True, check=False).stdout.strip()
            if not found:
                missing.append(f"{name} ({pkg})")
    return missing


def font_dir():
    """Folder of the DejaVu fonts matplotlib ships (the PDFs' code and fallback fonts)."""
    import matplotlib

    return Path(matplotlib.get_data_path(), "fonts", "ttf").as_posix() + "/"


_EXPORTERS = {}  # one configured exporter per (variant, format) in each process


def exporter(variant, fmt):
    """nbconvert's exporter for one kind of handout, configured once per process."""
    if (variant, fmt) not in _EXPORTERS:
        from nbconvert import HTMLExporter, NotebookExporter, PDFExporter
        from traitlets.config import Config

        tags = VARIANTS[variant][1] + ([] if fmt == "ipynb" else PAGES_LEAVE_OUT)
        tags += PRINTED_STUDENT_LEAVES_OUT if (variant, fmt) == ("student", "pdf") else []
        config = Config()
        # The same switches as the command-line flags in the module docstring.
        config.TagRemovePreprocessor.enabled = True
        config.TagRemovePreprocessor.remove_cell_tags = set(tags)
        config.TagRemovePreprocessor.remove_input_tags = set() if fmt == "ipynb" else HANDOUTS_DROP_THE_CODE_OF
        config.ClearOutputPreprocessor.enabled = fmt == "ipynb"  # a notebook to run, not a printed one
        # No "In [3]:" prompts on a page: they number a run, not the lesson.
        common = {"config": config, "exclude_input_prompt": True, "exclude_output_prompt": True, **TEMPLATE_DIRS}
        if fmt == "ipynb":
            made = NotebookExporter(config=config)
        elif fmt == "html":
            made = HTMLExporter(template_name="handout_html", embed_images=True, mathjax_url=MATHJAX_URL, **common)
        else:
            # Two xelatex runs: the second completes the PDF bookmarks; no
            # citations, so no bibtex run.
            made = PDFExporter(template_name="handout_latex", latex_count=2, bib_command=["true"], **common)
        made.register_preprocessor(adapt_markdown, enabled=True)
        if (variant, fmt) == ("student", "ipynb"):
            made.register_preprocessor(answer_cells, enabled=True)
        _EXPORTERS[variant, fmt] = made
    return _EXPORTERS[variant, fmt]


NOTEBOOK_LINK = re.compile(r"\]\((?:\./)?([\w.-]+)\.ipynb(#[^)\s]*)?\)")
OUTSIDE_LINK = re.compile(r"\[([^\]]+)\]\(\.\./[^)\s]*\)")  # [README](../README.md#...): outside notebooks/


def adapt_markdown(nb, resources):
    """Markdown touches for a handout (on the in-memory copy only).

    Links between notebooks (``[..](02_sigmoid.ipynb)``) point at the handout
    of the same kind (a student notebook at the student notebooks), for the
    notebooks being built; a PDF link drops the
    #anchor (it names a heading of the HTML page). A link out of the notebooks
    folder (``[README](../README.md)``) keeps its text and loses its target,
    which is not handed out. In a PDF, a first-line
    ``# Title`` equal to the metadata title is dropped: the PDF's title block
    already prints it.
    """
    targets, fmt = resources["handout_links"], resources["handout_format"]

    def relink(match):
        stem, anchor = match.group(1), match.group(2) or ""
        if stem not in targets:
            return match.group(0)
        return f"]({targets[stem]}{'' if fmt == 'pdf' else anchor})"

    markdown = [cell for cell in nb.cells if cell.cell_type == "markdown"]
    for cell in markdown:
        cell.source = OUTSIDE_LINK.sub(r"\1", NOTEBOOK_LINK.sub(relink, cell.source))
    if fmt == "pdf" and markdown:
        first, _, rest = markdown[0].source.partition("\n")
        if first.strip() == f"# {nb.metadata.get('title', '')}".strip():
            markdown[0].source = rest.lstrip("\n")
    return nb, resources


def answer_cells(nb, resources):
    """Under each exercise of the student notebook, an empty cell for the answer: a text cell for a
    pencil-and-paper exercise, a code cell otherwise (its id: the exercise's, plus "-answer")."""
    import nbformat

    cells = []
    for cell in nb.cells:
        cells.append(cell)
        if "exercise" in cell.metadata.get("tags", []):
            on_paper = "pencil and paper" in cell.source.partition("\n")[0]
            make = nbformat.v4.new_markdown_cell if on_paper else nbformat.v4.new_code_cell
            answer = make("*Your answer:*" if on_paper else "# Your answer", metadata={"tags": ["answer"]})
            answer.id = f"{cell.id}-answer"
            cells.append(answer)
    nb.cells = cells
    return nb, resources


def handout_name(stem, variant, fmt):
    """The file name of a notebook's handout, e.g. ``02_sigmoid-student.html``."""
    return f"{stem}-{variant}.{fmt}"


def convert(path, variant, fmt, resources):
    """One handout: (file name, its bytes or None, error text or None, seconds)."""
    name = handout_name(path.stem, variant, fmt)
    started = time.perf_counter()
    try:
        body, _ = exporter(variant, fmt).from_filename(str(path), resources=resources)
    except Exception as error:  # reported with the others, then the build fails
        detail = [line for line in str(error).strip().splitlines() if line.strip()]
        return name, None, "\n    ".join([type(error).__name__, *detail[-25:]]), 0.0
    data = body if isinstance(body, bytes) else body.encode("utf-8")
    return name, data, None, time.perf_counter() - started


def text_fallback(fonts):
    """TeX lines that give every character Latin Modern Roman (the text font)
    lacks a fallback font: DejaVu Serif where it has one, else DejaVu Sans.

    XeTeX has no font fallback of its own; this puts those characters in two
    XeTeX character classes, and the template switches font on entering a
    class (the mechanism of the ucharclasses package, but only for characters
    really missing, so Latin Modern keeps every glyph it has). Without it, a
    Greek letter or a maths symbol typed in prose would make the build stop
    (the template turns a missing character into an error).
    """
    import unicodedata

    from matplotlib.ft2font import FT2Font

    found = subprocess.run(
        ["kpsewhich", "lmroman10-regular.otf"], capture_output=True, text=True, check=False
    ).stdout.strip()
    if not found:
        raise BuildError(f"Latin Modern fonts not found (kpsewhich).\nOn Debian/Ubuntu: {TEX_INSTALL}")
    latin_modern = set(FT2Font(found).get_charmap())
    serif = set(FT2Font(f"{fonts}DejaVuSerif.ttf").get_charmap())
    sans = set(FT2Font(f"{fonts}DejaVuSans.ttf").get_charmap())

    def printable(code):  # not ASCII, not a control, space or combining mark
        return code > 0x7F and unicodedata.category(chr(code))[0] not in "CZM"

    lines = []
    for name, codes in (("Serif", serif - latin_modern), ("Sans", sans - serif - latin_modern)):
        runs = []
        for code in sorted(filter(printable, codes)):
            if runs and runs[-1][1] == code - 1:
                runs[-1][1] = code
            else:
                runs.append([code, code])
        lines += [f"\\handoutFallbackRange{{{a}}}{{{b}}}{{\\handout{name}Class}}" for a, b in runs]
    return "\n".join(lines)


def notebook_metadata(path):
    """The notebook's metadata (read only: the file is never written)."""
    import nbformat

    return nbformat.read(path, as_version=4).metadata


def build(notebooks, out_dir, formats, mathjax, jobs):
    """Write every handout; return the list of failures (empty when all went well)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    fonts = font_dir()
    fallback = text_fallback(fonts) if "pdf" in formats else ""
    failures, entries, tasks = [], [], []
    for path in notebooks:
        meta = notebook_metadata(path)
        title = meta.get("title")
        if not title:
            failures.append(f"{path}: no 'title' in the notebook metadata")
            title = path.stem
        entries.append((path.stem, title))
        for variant, (label, _) in VARIANTS.items():
            resources = {
                "handout_date": str(meta.get("date") or EDITION_LABEL),
                "handout_variant_label": label,
                "handout_font_dir": fonts,
                "handout_text_fallback": fallback,
            }
            for fmt in FORMATS:
                if fmt in formats and is_made(variant, fmt):
                    links = {nb.stem: handout_name(nb.stem, variant, fmt) for nb in notebooks}
                    tasks.append((path, variant, fmt, {**resources, "handout_format": fmt, "handout_links": links}))
    # PDFs first: they take longest, so the pool ends sooner.
    tasks.sort(key=lambda task: task[2] != "pdf")
    written = {"index.html"}
    if jobs > 1:
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(jobs, mp_context=context) as pool:
            results = [pool.submit(convert, *task) for task in tasks]
            for future in as_completed(results):
                written |= save(future.result(), out_dir, failures)
    else:
        for task in tasks:
            written |= save(convert(*task), out_dir, failures)
    (out_dir / "index.html").write_text(index_page(entries, formats), encoding="utf-8")
    if mathjax is not None and "html" in formats:
        npm_assets.copy(mathjax, MATHJAX_FILES, out_dir / "mathjax")
    sources = {handout_name(path.stem, variant, fmt): str(path.resolve()) for path, variant, fmt, _ in tasks}
    record_and_prune(out_dir, {name: sources[name] for name in written if name in sources})
    return failures


MANIFEST = ".handouts.json"
"""What earlier builds wrote into the output folder, and from which notebook."""


def record_and_prune(out_dir, written):
    """Add ``written`` (file name -> notebook) to the folder's manifest, and delete
    the handouts earlier builds made of notebooks that no longer exist (renamed
    or removed). Nothing else is deleted: not a teacher's own files, not the
    handouts of notebooks left out of this build."""
    manifest_path = out_dir / MANIFEST
    try:
        made = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        made = {}
    for name, notebook in list(made.items()):
        if name not in written and not Path(notebook).exists():
            (out_dir / name).unlink(missing_ok=True)
            del made[name]
    made.update(written)
    manifest_path.write_text(json.dumps(made, indent=1, sort_keys=True), encoding="utf-8")


def save(result, out_dir, failures):
    """Write one converted handout, or record why it failed; the names written."""
    name, data, error, seconds = result
    if error is not None:
        failures.append(f"{name}: {error}")
        return set()
    (out_dir / name).write_bytes(data)
    print(f"  {out_dir / name}  ({seconds:.1f} s)", flush=True)
    return {name}


def index_page(entries, formats):
    """A plain page linking every handout, by notebook title."""
    rows = []
    for stem, title in entries:
        cells = []
        for variant in ("student", "teacher"):
            links = " &middot; ".join(
                f'<a href="{html.escape(handout_name(stem, variant, fmt))}">{FORMAT_LABELS[fmt]}</a>'
                for fmt in ("html", "pdf", "ipynb")
                if fmt in formats and is_made(variant, fmt)
            )
            cells.append(f"<td>{links}</td>")
        rows.append(f"<tr><td>{html.escape(title)}</td>{''.join(cells)}</tr>")
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Activation functions: classroom handouts</title>
<style>
body {{ font-family: sans-serif; max-width: 50em; margin: 2em auto; padding: 0 1em; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ text-align: left; padding: 0.4em 0.8em; border-bottom: 1px solid #ccc; }}
</style>
</head>
<body>
<h1>Activation functions: classroom handouts</h1>
<p>Edition of {html.escape(EDITION_LABEL)}. The student handouts leave out the
solutions (the student notebooks, ready to run in JupyterLab, leave out the
solutions and every output); the teacher handouts contain everything.</p>
<table>
<thead><tr><th>Notebook</th><th>Student handout</th><th>Teacher handout</th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody>
</table>
</body>
</html>
"""


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "handouts")
    parser.add_argument(
        "--formats", default="html,pdf,ipynb", help="comma-separated: html, pdf, ipynb (default: all three)"
    )
    parser.add_argument(
        "--jobs",
        type=int,
        default=min(4, os.cpu_count() or 1),
        help="handouts converted in parallel (default: CPUs, at most 4)",
    )
    parser.add_argument(
        "--no-mathjax", action="store_true", help="do not fetch or copy MathJax (pages then show raw TeX)"
    )
    args = parser.parse_args(argv)
    formats = {f.strip() for f in args.formats.split(",") if f.strip()}
    if not formats or formats - set(FORMATS):
        parser.error("--formats takes a comma-separated list of html, pdf and ipynb")
    # Fixed PDF metadata dates (xdvipdfmx honours these), for reproducible files.
    os.environ.setdefault("SOURCE_DATE_EPOCH", str(calendar.timegm(EDITION.timetuple())))
    os.environ.setdefault("FORCE_SOURCE_DATE", "1")
    try:
        if "pdf" in formats and (missing := missing_tex()):
            raise BuildError(
                "the PDF handouts need XeLaTeX and pandoc; missing: "
                + ", ".join(missing)
                + f".\nOn Debian/Ubuntu: {TEX_INSTALL}"
            )
        mathjax = None
        if "html" in formats and not args.no_mathjax:
            mathjax = npm_assets.fetch("mathjax", ROOT / "build" / "npm")
        started = time.perf_counter()
        print(f"building handouts of {len(args.notebooks)} notebook(s) into {args.out}/")
        failures = build(args.notebooks, args.out, formats, mathjax, max(1, args.jobs))
    except BuildError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return report(failures, started, args.out)


def report(failures, started, out_dir):
    """Print the build's problems, or its time and where to start; the exit code (1 on any problem)."""
    if failures:
        print(f"error: {len(failures)} problem(s):", file=sys.stderr)
        for failure in failures:
            print(f"  {failure}", file=sys.stderr)
        return 1
    print(f"done in {time.perf_counter() - started:.1f} s: open {out_dir / 'index.html'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
