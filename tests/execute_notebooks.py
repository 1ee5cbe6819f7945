"""Execute notebooks in a fresh kernel and fail on any error, warning or stderr.

Used by `make test-oldest`, where outputs may differ from the committed ones in
the last digits (older NumPy, matplotlib, SymPy), so nbval's comparison does
not apply; what must hold everywhere is that every cell runs, cleanly.

    python tests/execute_notebooks.py OUTPUT_DIR notebooks/*.ipynb

Each notebook runs with the `python3` kernel of the interpreter running this
script, with the notebook's own folder as working directory (as JupyterLab and
nbconvert do). The executed copies are written to OUTPUT_DIR, never over the
originals. Not collected by pytest (no `test_` prefix): it is a tool.
"""

import argparse
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient


def problems(notebook):
    """Describe every error or stderr output of an executed notebook."""
    found = []
    for index, cell in enumerate(notebook.cells):
        for output in cell.get("outputs", []):
            if output.output_type == "error":
                found.append(f"cell {index}: {output.ename}: {output.evalue}")
            elif output.output_type == "stream" and output.name == "stderr":
                found.append(f"cell {index}: stderr: {output.text.strip()[:500]}")
    return found


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output_dir", type=Path)
    parser.add_argument("notebooks", type=Path, nargs="+")
    parser.add_argument("--timeout", type=int, default=600, help="seconds per cell")
    args = parser.parse_args(argv)
    args.output_dir.mkdir(parents=True, exist_ok=True)
    failed = []
    for path in args.notebooks:
        notebook = nbformat.read(path, as_version=4)
        client = NotebookClient(
            notebook,
            timeout=args.timeout,
            kernel_name="python3",
            allow_errors=True,  # run every cell, then report every problem
            record_timing=False,
            resources={"metadata": {"path": str(path.resolve().parent)}},
        )
        start = time.perf_counter()
        client.execute()
        seconds = time.perf_counter() - start
        nbformat.write(notebook, args.output_dir / path.name)
        found = problems(notebook)
        print(f"{'FAIL' if found else 'ok  '} {path.name} ({seconds:.1f} s)")
        for problem in found:
            print(f"     {problem}")
        if found:
            failed.append(path.name)
    if failed:
        print(f"{len(failed)} notebook(s) with errors or stderr: {', '.join(failed)}", file=sys.stderr)
        return 1
    print(f"all {len(args.notebooks)} notebook(s) ran without error, warning or stderr")
    return 0


if __name__ == "__main__":
    sys.exit(main())
