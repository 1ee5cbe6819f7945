"""The output filter of `make execute` (tools/notebook_filters.py)."""

import importlib.util
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("notebook_filters", ROOT / "tools" / "notebook_filters.py")
notebook_filters = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(notebook_filters)


def filtered(outputs):
    notebook = new_notebook(cells=[new_markdown_cell("text"), new_code_cell("print()", outputs=outputs)])
    notebook, _ = notebook_filters.StableOutputs().preprocess(notebook, {})
    nbformat.validate(notebook)
    return notebook.cells[1].outputs


def test_adjacent_prints_become_one_stream_per_name():
    outputs = filtered(
        [
            new_output("stream", name="stdout", text="a\n"),
            new_output("stream", name="stdout", text="b\n"),
            new_output("stream", name="stderr", text="c\n"),
            new_output("stream", name="stdout", text="d\n"),
            new_output("stream", name="stdout", text="e\n"),
        ]
    )
    assert [(o.name, o.text) for o in outputs] == [("stdout", "a\nb\n"), ("stderr", "c\n"), ("stdout", "d\ne\n")]


def test_streams_apart_stay_apart():
    figure = new_output("display_data", data={"text/plain": "<Figure>"})
    outputs = filtered(
        [new_output("stream", name="stdout", text="a\n"), figure, new_output("stream", name="stdout", text="b\n")]
    )
    assert [o.output_type for o in outputs] == ["stream", "display_data", "stream"]


def test_live_widget_ids_are_dropped_and_the_description_kept():
    widget = {"model_id": "6f1c", "version_major": 2, "version_minor": 0}
    outputs = filtered(
        [
            new_output(
                "display_data",
                data={
                    "text/plain": "Explorer (interactive in JupyterLab)",
                    notebook_filters.WIDGET_VIEW: widget,
                },
            )
        ]
    )
    assert outputs[0].data == {"text/plain": "Explorer (interactive in JupyterLab)"}
