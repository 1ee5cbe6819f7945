"""The classroom handouts (`make handouts`, tools/build_handouts.py).

The student handout must keep every exercise and lose every solution; the
teacher handout keeps both; building never touches the notebooks. These tests
build the HTML handouts and the student notebooks of every notebook into a temporary folder (no TeX and
no network needed: MathJax is left out, it is not what is checked here) and
read them. The PDFs come from the same notebooks through the same
TagRemovePreprocessor, so what holds for the HTML holds for them.
"""

import hashlib
import html
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_DIR = ROOT / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
BUILD = ROOT / "tools" / "build_handouts.py"
HEADING = re.compile(r"### Exercise (\d+): \S")
MIN_EXERCISES = 3


def tags(cell):
    return cell.get("metadata", {}).get("tags", [])


def source(cell):
    text = cell.get("source", "")
    return text if isinstance(text, str) else "".join(text)


def load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def digest(folder):
    """sha256 of every file under folder, by relative path."""
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_there_are_notebooks_to_hand_out():
    assert NOTEBOOKS, f"no notebooks in {NOTEBOOK_DIR}: the handouts would be empty"


@pytest.fixture(scope="module")
def build(tmp_path_factory):
    """HTML handouts and student notebooks of every notebook, and the notebooks' hashes around the build."""
    if not NOTEBOOKS:
        pytest.fail(f"no notebooks in {NOTEBOOK_DIR} to build handouts from")
    out = tmp_path_factory.mktemp("handouts")
    before = digest(NOTEBOOK_DIR)
    result = subprocess.run(
        [
            sys.executable,
            str(BUILD),
            "--formats",
            "html,ipynb",
            "--no-mathjax",
            "--out",
            str(out),
            *map(str, NOTEBOOKS),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
        check=False,
    )
    after = digest(NOTEBOOK_DIR)
    assert result.returncode == 0, f"building the HTML handouts failed:\n{result.stdout}\n{result.stderr}"
    pages = {path.name: path.read_text(encoding="utf-8") for path in out.iterdir()}
    return {"pages": pages, "before": before, "after": after}


def test_building_handouts_changes_no_notebook_file(build):
    before, after = build["before"], build["after"]
    changed = sorted(name for name in before.keys() | after.keys() if before.get(name) != after.get(name))
    assert not changed, f"building the handouts changed, added or removed in notebooks/: {changed}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_exercises_are_numbered_and_each_has_a_solution(path):
    cells = load(path)["cells"]
    assert load(path)["metadata"].get("title"), f"{path.name}: no metadata 'title'"
    numbers = []
    for index, cell in enumerate(cells):
        text = source(cell).lstrip()
        if "exercise" in tags(cell):
            assert cell["cell_type"] == "markdown", f"{path.name}: cell {index} tagged exercise is code"
            match = HEADING.match(text)
            assert match, f"{path.name}: exercise cell {index} must start with '### Exercise N: <title>'"
            assert "solution" not in tags(cell), f"{path.name}: cell {index} is exercise and solution"
            numbers.append(int(match.group(1)))
            following = cells[index + 1] if index + 1 < len(cells) else {}
            assert "solution" in tags(following), (
                f"{path.name}: Exercise {match.group(1)} is not followed by a cell tagged 'solution'"
            )
        elif HEADING.match(text):
            raise AssertionError(f"{path.name}: cell {index} looks like an exercise but is not tagged 'exercise'")
        if "solution" in tags(cell):
            previous = tags(cells[index - 1]) if index else []
            assert "exercise" in previous or "solution" in previous, (
                f"{path.name}: solution cell {index} does not follow an exercise or its solution"
            )
    assert len(numbers) >= MIN_EXERCISES, f"{path.name}: {len(numbers)} exercises, need {MIN_EXERCISES}"
    assert numbers == list(range(1, len(numbers) + 1)), f"{path.name}: exercises numbered {numbers}"


def cell_ids(cells):
    ids = [cell.get("id") for cell in cells]
    assert all(ids), "every cell needs an id (nbformat 4.5): re-save the notebook with nbformat"
    return ids


@pytest.mark.parametrize("variant", ["student", "teacher"])
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_handout_has_the_exercises_and_the_right_solutions(build, path, variant):
    page = build["pages"].get(f"{path.stem}-{variant}.html")
    assert page is not None, f"no {variant} handout for {path.name}"
    cells = load(path)["cells"]
    exercises = [HEADING.match(source(c).lstrip()).group(1) for c in cells if "exercise" in tags(c)]
    ids = cell_ids(cells)
    solutions = {cell_id for cell_id, c in zip(ids, cells) if "solution" in tags(c)}
    widgets = {cell_id for cell_id, c in zip(ids, cells) if "interactive" in tags(c)}  # run only in JupyterLab
    for number in exercises:
        assert re.search(rf"<h3[^>]*>Exercise {number}:", page), (
            f"{variant} handout of {path.name} lacks Exercise {number}"
        )
    for cell_id in ids:
        present = f'id="cell-id={cell_id}"' in page
        expected = (variant == "teacher" or cell_id not in solutions) and cell_id not in widgets
        assert present == expected, (
            f"{variant} handout of {path.name}: "
            f"{'solution' if cell_id in solutions else 'cell'} {cell_id} "
            f"{'missing' if expected else 'present'}"
        )
    # Tags become CSS classes, once per cell: a second check, free of cell ids.
    classes = re.findall(r'class="([^"]*)"', page)
    tagged = {tag: sum(f"celltag_{tag}" in c.split() for c in classes) for tag in ("solution", "exercise")}
    assert tagged == {"solution": len(solutions) if variant == "teacher" else 0, "exercise": len(exercises)}


@pytest.mark.parametrize("variant", ["student", "teacher"])
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_html_handout_needs_no_network(build, path, variant):
    """A classroom projector is often offline: everything the page loads is local."""
    page = build["pages"][f"{path.stem}-{variant}.html"]
    loaded = re.findall(r"<(?:script|link|img|iframe|source|video|audio)\b[^>]*\b(?:src|href)=\"([^\"]*)\"", page)
    loaded += re.findall(r"""\bimport\(\s*["']([^"']*)["']""", page)  # ES modules
    remote = [url for url in loaded if re.match(r"(?i)(https?:)?//", url)]
    assert not remote, f"{path.name}: the {variant} page loads {remote}"
    assert "mathjax/es5/tex-svg-full.js" in loaded, "the page does not load the local MathJax"
    images = [url for url in loaded if not url.endswith(".js")]
    assert all(url.startswith("data:image/") for url in images), "images must be embedded"


def test_index_links_every_handout_under_its_title(build):
    index = build["pages"]["index.html"]
    for path in NOTEBOOKS:
        title = html.escape(load(path)["metadata"].get("title", path.stem))
        assert f"<td>{title}</td>" in index, f"index.html lacks the title of {path.name}"
        for variant in ("student", "teacher"):
            assert f'href="{path.stem}-{variant}.html"' in index


def test_student_handouts_link_only_to_student_handouts(build):
    """A student page that linked to a teacher page would hand out every solution."""
    between_notebooks = 0
    for path in NOTEBOOKS:
        links = re.findall(r'\bhref="([^"]*)"', build["pages"][f"{path.stem}-student.html"])
        assert not [link for link in links if "teacher" in link], f"{path.name}: student page links to a teacher page"
        between_notebooks += sum(link.split("#")[0].endswith("-student.html") for link in links)
    assert between_notebooks, "no student page links to another: the links between notebooks were not rewritten"


MARKDOWN_LINK = re.compile(r"\]\(([^)\s]*)\)")


def test_every_relative_link_of_a_handout_leads_to_a_handed_out_file(build):
    """A handout folder travels alone (a USB stick, a course page): a link into the
    repository (../README.md) or to a file the build did not write would be dead."""
    pages, dead = build["pages"], []
    for name, page in pages.items():
        if name.endswith(".html"):
            links = re.findall(r'<a\b[^>]*\bhref="([^"]*)"', page)
        elif name.endswith(".ipynb"):
            cells = json.loads(page)["cells"]
            links = [
                link
                for cell in cells
                if cell["cell_type"] == "markdown"
                for link in MARKDOWN_LINK.findall(source(cell))
            ]
        else:
            continue
        targets = {html.unescape(link).partition("#")[0] for link in links if not re.match(r"[a-z]+:", link)}
        dead += [f"{name}: {target}" for target in targets if target and target not in pages]
    assert not dead, f"links to files not handed out: {dead[:5]}"


HTML_ANCHOR = re.compile(r"[^\w\- ]")


def heading_anchors(cell):
    """The anchors JupyterLab gives the headings of a markdown cell: spaces as '-'."""
    headings = re.findall(r"^#+\s+(.*)$", source(cell), flags=re.MULTILINE)
    return {HTML_ANCHOR.sub("", heading).strip().replace(" ", "-") for heading in headings}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_student_notebook_has_no_solution_no_output_and_no_link_to_either(build, path):
    """The .ipynb handed out to run in JupyterLab: every cell but the solutions, no outputs, and
    no link that leads to a solution (a teacher handout, a notebook with solutions, a solution's heading)."""
    import nbformat

    text = build["pages"].get(f"{path.stem}-student.ipynb")
    assert text is not None, f"no student notebook for {path.name}"
    student = nbformat.reads(text, as_version=4)
    nbformat.validate(student)
    original = load(path)["cells"]
    solutions = [cell for cell in original if "solution" in tags(cell)]
    assert solutions, f"{path.name} has no solution cells: nothing here would be tested"
    kept = []
    for cell_id, cell in zip(cell_ids(original), original):
        kept += [] if "solution" in tags(cell) else [cell_id]
        kept += [f"{cell_id}-answer"] if "exercise" in tags(cell) else []  # an empty cell for the answer
    assert [cell.id for cell in student.cells] == kept, f"{path.name}: the student notebook's cells"
    answers = [cell for cell in student.cells if cell.id.endswith("-answer")]
    assert all(
        "answer" in tags(cell) and source(cell).strip() in ("# Your answer", "*Your answer:*") for cell in answers
    )
    assert not [cell for cell in student.cells if "solution" in tags(cell)]
    code = [cell for cell in student.cells if cell.cell_type == "code"]
    assert code and all(cell.outputs == [] and cell.execution_count is None for cell in code), "outputs kept"
    hidden = [cell for cell in code if "hide-input" in tags(cell)]
    assert all(source(cell).strip() for cell in hidden), "hidden code must stay: the students run it"
    solution_anchors = set().union(*(heading_anchors(cell) for cell in solutions if cell["cell_type"] == "markdown"))
    links = [
        link for cell in student.cells if cell.cell_type == "markdown" for link in MARKDOWN_LINK.findall(cell.source)
    ]
    for link in links:
        target, _, anchor = link.partition("#")
        assert "teacher" not in target, f"{path.name}: the student notebook links to {link}"
        if target.endswith(".ipynb"):
            assert target.endswith("-student.ipynb"), f"{path.name}: {link} leads to a notebook with solutions"
        assert not (target in ("", f"{path.stem}-student.ipynb") and anchor in solution_anchors), (
            f"{path.name}: {link} leads to a solution"
        )


def test_student_notebooks_link_to_each_other(build):
    links = [
        link
        for path in NOTEBOOKS
        for cell in json.loads(build["pages"][f"{path.stem}-student.ipynb"])["cells"]
        if cell["cell_type"] == "markdown"
        for link in MARKDOWN_LINK.findall(source(cell))
    ]
    assert any(link.split("#")[0].endswith("-student.ipynb") for link in links), "links were not rewritten"
    index = build["pages"]["index.html"]
    assert all(f'href="{path.stem}-student.ipynb"' in index for path in NOTEBOOKS), "index.html lacks a notebook"


def test_a_build_deletes_only_what_it_made(tmp_path):
    """A teacher's own files, and the handouts of notebooks left out of this
    build, survive; only the handouts of a notebook that is gone are removed."""
    out, notebooks = tmp_path / "out", tmp_path / "notebooks"
    out.mkdir()
    notebooks.mkdir()
    for name in ("lesson-student.html", "week1-teacher.pdf", "notes.txt"):
        (out / name).write_text("a teacher's own file", encoding="utf-8")
    small = min(NOTEBOOKS, key=lambda p: p.stat().st_size)
    kept, gone = notebooks / "10_kept.ipynb", notebooks / "11_gone.ipynb"
    for copy in (kept, gone):
        copy.write_bytes(small.read_bytes())

    def build_handouts(*paths):
        result = subprocess.run(
            [
                sys.executable,
                str(BUILD),
                "--formats",
                "html",
                "--no-mathjax",
                "--jobs",
                "1",
                "--out",
                str(out),
                *map(str, paths),
            ],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=300,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr

    build_handouts(kept, gone)
    gone.unlink()  # the notebook is removed (or renamed) ...
    build_handouts(kept)  # ... and a later build of another notebook tidies its handouts away
    names = {path.name for path in out.iterdir()}
    assert {"lesson-student.html", "week1-teacher.pdf", "notes.txt"} <= names
    assert {"10_kept-student.html", "10_kept-teacher.html"} <= names
    assert not {"11_gone-student.html", "11_gone-teacher.html"} & names
    # Building a subset keeps the other notebooks' handouts.
    other = notebooks / "12_other.ipynb"
    other.write_bytes(small.read_bytes())
    build_handouts(other)
    assert {"10_kept-student.html", "12_other-student.html"} <= {path.name for path in out.iterdir()}


def cell_html(page, cell_id):
    """The part of a handout page that shows the cell ``cell_id``."""
    start = page.index(f'id="cell-id={cell_id}"')
    end = page.find('id="cell-id=', start + 1)
    return page[start : None if end == -1 else end]


@pytest.mark.parametrize("variant", ["student", "teacher"])
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_handout_leaves_out_hidden_code_and_keeps_its_output(build, path, variant):
    page = build["pages"][f"{path.stem}-{variant}.html"]
    cells = load(path)["cells"]
    for cell_id, cell in zip(cell_ids(cells), cells):
        if "interactive" in tags(cell):
            assert f'id="cell-id={cell_id}"' not in page, f"{variant} handout of {path.name}: a live widget is printed"
            continue
        if cell["cell_type"] != "code" or (variant == "student" and "solution" in tags(cell)):
            continue
        shown = cell_html(page, cell_id)
        hidden = bool({"hide-input", "handout-output-only"} & set(tags(cell)))
        assert ("jp-InputArea" in shown) != hidden, f"{variant} handout of {path.name}: cell {cell_id}'s code"
        assert ("jp-OutputArea" in shown) == bool(cell.get("outputs")), f"{path.name}: cell {cell_id}'s output"
