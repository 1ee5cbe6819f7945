"""nbconvert preprocessor for `make execute`: keep only reproducible outputs.

``make execute`` runs ``jupyter nbconvert --execute --inplace`` with
:class:`StableOutputs` appended after execution (``PYTHONPATH`` points at
the repository root, see the Makefile).
"""

from nbconvert.preprocessors import CoalesceStreamsPreprocessor

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


class StableOutputs(CoalesceStreamsPreprocessor):
    """Remove from executed outputs what changes from one run to the next.

    * Printed text: the kernel flushes ``stdout`` in chunks whose boundaries
      depend on timing, so one cell's prints may be stored as one stream
      output or several. nbconvert's :class:`CoalesceStreamsPreprocessor`
      merges adjacent streams of the same name (what a reader sees is unchanged).
    * Live widgets: a widget's output refers to a model by a random id that
      only exists while the kernel runs. The committed notebook keeps only
      the widget's deterministic ``text/plain`` description; running the cell
      in JupyterLab brings the widget back.
    """

    def preprocess_cell(self, cell, resources, index):
        for output in cell.get("outputs", []):
            output.get("data", {}).pop(WIDGET_VIEW, None)
        return super().preprocess_cell(cell, resources, index)
