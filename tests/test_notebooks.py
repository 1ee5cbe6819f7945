"""Hygiene of the committed notebooks: what nbval does not check.

nbval re-runs every notebook and compares outputs; these tests check that the
committed notebooks are what `make execute` produces (executed top to bottom
in one fresh kernel, no timing metadata), clean (no errors, warnings, absolute
paths or memory addresses), complete (title, exercises with tagged
solutions) and free of copy-paste between notebooks.
"""

import ast
import itertools
import re
from pathlib import Path

import nbformat
import pytest
import sympy as sp

from helpers import activations, notebook, plotting

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
IDS = [path.name for path in NOTEBOOKS]


def load(path):
    return nbformat.read(path, as_version=4)


def code_cells(notebook):
    return [cell for cell in notebook.cells if cell.cell_type == "code"]


def outputs(notebook):
    return [output for cell in code_cells(notebook) for output in cell.get("outputs", [])]


def test_the_collection_has_its_notebooks():
    names = {path.name for path in NOTEBOOKS}
    assert {"00_introduction.ipynb", "02_sigmoid.ipynb"} <= names
    assert all(re.fullmatch(r"\d\d_[a-z0-9_]+\.ipynb", name) for name in names)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_valid_with_python3_kernel_and_a_title(path):
    notebook = load(path)
    nbformat.validate(notebook)
    assert notebook.metadata.kernelspec.name == "python3"
    assert notebook.metadata.kernelspec.language == "python"
    assert notebook.metadata.get("title", "").strip()
    first = notebook.cells[0]
    assert first.cell_type == "markdown" and first.source.startswith("# ")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_executed_top_to_bottom_in_one_fresh_run(path):
    cells = [cell for cell in code_cells(load(path)) if cell.source.strip()]
    assert [cell.execution_count for cell in cells] == list(range(1, len(cells) + 1))
    assert not any("execution" in cell.metadata for cell in cells), "timing metadata recorded"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_no_errors_warnings_or_stderr(path):
    for output in outputs(load(path)):
        assert output.output_type != "error", output.get("ename")
        assert output.get("name") != "stderr", output.get("text")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_no_run_dependent_outputs(path):
    """What `make execute` keeps out: live-widget ids, widget state, split streams."""
    notebook = load(path)
    assert "widgets" not in notebook.metadata
    for cell in code_cells(notebook):
        kinds = [(o.output_type, o.get("name")) for o in cell.get("outputs", [])]
        assert not any(a == b == ("stream", "stdout") for a, b in zip(kinds, kinds[1:])), "split stdout"
        for output in cell.get("outputs", []):
            assert "application/vnd.jupyter.widget-view+json" not in output.get("data", {})


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_no_absolute_paths_user_names_or_addresses(path):
    text = path.read_text(encoding="utf-8")
    assert not re.search(r"(/home/|/root\b|/tmp/|/Users/|/work/|[A-Z]:\\\\)", text)
    assert not re.search(r" at 0x[0-9a-fA-F]+", text)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_at_least_three_exercises_each_followed_by_its_solution(path):
    cells = load(path).cells
    exercises = [i for i, cell in enumerate(cells) if "exercise" in cell.metadata.get("tags", [])]
    assert len(exercises) >= 3
    for number, index in enumerate(exercises, start=1):
        assert cells[index].cell_type == "markdown"
        assert cells[index].source.startswith(f"### Exercise {number}:"), cells[index].source[:60]
        following = cells[index + 1] if index + 1 < len(cells) else None
        assert following is not None and "solution" in following.metadata.get("tags", []), (
            f"exercise {number} is not followed by a cell tagged 'solution'"
        )


def normalised(source):
    return "\n".join(line.rstrip() for line in source.strip().splitlines())


def test_no_code_cell_is_copied_between_notebooks():
    cells = {
        path.name: {normalised(cell.source) for cell in code_cells(load(path)) if cell.source.strip()}
        for path in NOTEBOOKS
    }
    for (a, cells_a), (b, cells_b) in itertools.combinations(cells.items(), 2):
        shared = cells_a & cells_b
        assert not shared, f"{a} and {b} share a code cell (move it to helpers): {sorted(shared)[0][:200]}"


def test_every_setup_cell_is_the_one_call():
    for path in NOTEBOOKS:
        setup_cell = next(cell.source for cell in code_cells(load(path)) if cell.source.strip())
        assert "from helpers.notebook import setup" in setup_cell and "\nsetup()" in setup_cell, path.name
        assert "%matplotlib" not in setup_cell and "Printer" not in setup_cell, path.name


class FakeKernelShell:
    kernel = object()

    def __init__(self, calls):
        self.calls = calls

    def run_line_magic(self, name, line):
        self.calls.append((name, line))


@pytest.mark.parametrize("in_kernel", [False, True])
def test_setup_shows_figures_inline_then_applies_the_house_style_and_printing_order(in_kernel, monkeypatch):
    calls = []
    monkeypatch.setattr(sp.printing.printer.Printer, "_global_settings", {})  # restored after the test
    monkeypatch.setattr(plotting, "use_house_style", lambda: calls.append("house style"))
    monkeypatch.setattr("IPython.get_ipython", lambda: FakeKernelShell(calls) if in_kernel else None)
    terms = sp.Add(1, sp.Symbol("x"), evaluate=False)
    assert sp.sstr(terms) == "x + 1"  # SymPy's own order
    notebook.setup()
    assert sp.sstr(terms) == "1 + x"  # the order written
    inline = [
        ("matplotlib", "inline"),
        ("config", f"InlineBackend.print_figure_kwargs = {plotting.INLINE_FIGURE_OPTIONS!r}"),
    ]
    assert calls == (inline if in_kernel else []) + ["house style"]


def test_readme_lists_every_notebook():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [path.name for path in NOTEBOOKS if f"notebooks/{path.name}" not in readme]
    assert not missing, f"README.md has no row for {missing}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_an_output_nbval_ignores_has_its_claims_asserted(path):
    """nbval-ignore-output is only for a cell whose printed numbers may move by
    a last digit on another machine: the cell itself must assert what the text
    claims about them, so nothing goes unchecked."""
    for index, cell in enumerate(load(path).cells):
        tags = cell.metadata.get("tags", [])
        if "nbval-ignore-output" in tags or "nbval-skip" in tags:
            assert "nbval-skip" not in tags, f"{path.name} cell {index}: nbval-skip hides a whole cell from the tests"
            statements = ast.walk(ast.parse(cell.source))
            assert any(isinstance(node, ast.Assert) for node in statements), (
                f"{path.name} cell {index} is tagged nbval-ignore-output but asserts nothing"
            )


# The introduction, back-propagation and the classic four.
LESSONS = [path for path in NOTEBOOKS if int(path.name[:2]) <= 5]
ACTIVATION_LESSONS = [path for path in LESSONS if path.stem[3:] in activations.REGISTRY]
DIFFICULTY = re.compile(r"### Exercise \d+: .+ \((easy|medium|hard)(, pencil and paper)?\)")


def exercise_headings(path):
    return [c.source.partition("\n")[0] for c in load(path).cells if "exercise" in c.metadata.get("tags", [])]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_the_box_at_the_top_says_what_you_learn_need_and_how_long(path):
    box = load(path).cells[0].source
    for part in ("> **What you will learn**", "> **What you need first:**", "> **About how long:**"):
        assert part in box, f"{path.name}: the first cell has no {part!r}"
    assert re.search(r"\*\*About how long:\*\* about [\d.]+(-[\d.]+)? hours?", box), path.name


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_every_exercise_is_marked_by_difficulty(path):
    headings = exercise_headings(path)
    unmarked = [heading for heading in headings if not DIFFICULTY.fullmatch(heading.strip())]
    assert not unmarked, f"{path.name}: no '(easy|medium|hard[, pencil and paper])' in {unmarked}"


@pytest.mark.parametrize("path", LESSONS, ids=[p.name for p in LESSONS])
def test_each_lesson_has_a_pencil_and_paper_exercise(path):
    headings = exercise_headings(path)
    assert any(heading.rstrip().endswith(", pencil and paper)") for heading in headings), path.name


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_hidden_code_is_collapsed_in_jupyterlab_and_tagged_for_the_handouts(path):
    for index, cell in enumerate(load(path).cells):
        tagged = "hide-input" in cell.metadata.get("tags", [])
        collapsed = cell.metadata.get("jupyter", {}).get("source_hidden", False)
        assert tagged == collapsed, f"{path.name} cell {index}: tag hide-input and jupyter.source_hidden go together"
        assert not tagged or cell.cell_type == "code", f"{path.name} cell {index}: only code is hidden"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_the_handouts_print_the_setup_cell_without_its_code(path):
    """Tag handout-output-only: the handouts drop the code and keep the output, JupyterLab shows the code."""
    cells = load(path).cells
    for index, cell in enumerate(cells):
        tags = cell.metadata.get("tags", [])
        if "handout-output-only" in tags:
            assert cell.cell_type == "code" and "hide-input" not in tags, f"{path.name} cell {index}"
    setup_cell = next(cell for cell in cells if cell.cell_type == "code" and cell.source.strip())
    assert "handout-output-only" in setup_cell.metadata.get("tags", []), f"{path.name}: the setup cell"


@pytest.mark.parametrize("path", ACTIVATION_LESSONS, ids=[p.name for p in ACTIVATION_LESSONS])
def test_an_activation_lesson_follows_the_template(path):
    """Function and plot, derivation, where the derivative goes (linking to back-propagation),
    verification, the optional floating point, exercises, takeaways: in this order."""
    cells = load(path).cells
    headings = [c.source.partition("\n")[0] for c in cells if c.cell_type == "markdown" and c.source.startswith("## ")]
    order = ["plot", "derivative, step by step", "Where the derivative goes", "Verification"]
    order += ["Under the hood (optional)", "Exercises", "Key takeaways"]
    found = [next((i for i, h in enumerate(headings) if part in h), None) for part in order]
    assert None not in found and found == sorted(found), f"{path.name}: sections {headings}, expected {order}"
    start = next(i for i, c in enumerate(cells) if c.source.startswith("## 3. Where the derivative goes"))
    end = next(i for i, c in enumerate(cells) if i > start and c.source.startswith("## "))
    assert any("(01_backpropagation.ipynb" in c.source for c in cells[start:end]), path.name


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_every_figure_has_its_alt_text_and_none_is_repeated(path):
    figures = [output for output in outputs(load(path)) if "image/png" in output.get("data", {})]
    alts = [output.get("metadata", {}).get("image/png", {}).get("alt", "") for output in figures]
    missing = [index for index, alt in enumerate(alts) if len(alt.split()) < 5]
    assert not missing, f"{path.name}: figures {missing} have no alt text: show them with plotting.show(fig, alt=...)"
    assert len(set(alts)) == len(alts), f"{path.name}: two figures share one alt text"


SLIDE_TYPES = {"slide", "subslide", "fragment", "-", "skip", "notes"}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_every_cell_has_a_slide_type_and_no_slide_shows_two_figures(path):
    cells = load(path).cells
    kinds = [cell.metadata.get("slideshow", {}).get("slide_type") for cell in cells]
    missing = [index for index, kind in enumerate(kinds) if kind not in SLIDE_TYPES]
    assert not missing, f"{path.name}: cells {missing} have no slide type (tools/build_slides.py --assign)"
    figures = 0
    for index, (cell, kind) in enumerate(zip(cells, kinds)):
        figures = 0 if kind in {"slide", "subslide"} else figures
        if kind != "skip" and any("image/png" in out.get("data", {}) for out in cell.get("outputs", [])):
            figures += 1
            assert figures == 1, f"{path.name}: cell {index} puts a second figure on a slide"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_cells_tagged_optional_are_the_body_of_an_optional_section(path):
    section = ""
    for index, cell in enumerate(load(path).cells):
        headings = re.findall(r"^## .*", cell.source, re.M) if cell.cell_type == "markdown" else []
        if "optional" in cell.metadata.get("tags", []):
            assert "optional" in section.lower() and not headings, (
                f"{path.name}: cell {index} is tagged optional outside an optional section, or holds a section heading"
            )
        section = headings[-1] if headings else section


# The PDF handouts print code and text outputs at 8.2 pt (tools/templates/handout_latex):
# 97 characters of DejaVu Sans Mono fill the 17 cm line; a longer line wraps, which breaks a table.
PRINTED_LINE_WIDTH = 95
RICHER_THAN_TEXT = {"image/png", "text/latex", "text/markdown", "text/html"}  # printed instead of text/plain


def printed_text(output):
    """The plain text a handout prints for an output ('' when it prints something richer)."""
    if output.output_type == "stream":
        return output.text
    data = output.get("data", {})
    return "" if RICHER_THAN_TEXT & set(data) else data.get("text/plain", "")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_printed_output_lines_fit_the_printed_page(path):
    too_long = [
        (index, len(line))
        for index, cell in enumerate(load(path).cells)
        for output in cell.get("outputs", [])
        for line in printed_text(output).splitlines()
        if len(line) > PRINTED_LINE_WIDTH
    ]
    assert not too_long, (
        f"{path.name}: (cell, characters) of output lines longer than {PRINTED_LINE_WIDTH}, "
        f"which wrap in the PDF: {too_long}"
    )


PRINTED_CODE_IS_LEFT_OUT = {"hide-input", "handout-output-only", "interactive"}  # tags: the PDFs print no code


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_printed_code_lines_fit_the_printed_page(path):
    """A longer line wraps in the PDF, at a space or inside a number (1e-|12), and reads as other code."""
    too_long = [
        (index, len(line))
        for index, cell in enumerate(load(path).cells)
        if cell.cell_type == "code" and not PRINTED_CODE_IS_LEFT_OUT & set(cell.metadata.get("tags", []))
        for line in cell.source.splitlines()
        if len(line) > PRINTED_LINE_WIDTH
    ]
    assert not too_long, (
        f"{path.name}: (cell, characters) of code lines longer than {PRINTED_LINE_WIDTH}, "
        f"which wrap in the PDF: {too_long}"
    )
