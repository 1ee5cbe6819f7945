"""nbconvert preprocessor for `make execute`: keep only reproducible outputs.

``make execute`` runs ``jupyter nbconvert --execute --inplace`` with
:class:`StableOutputs` appended after execution (``PYTHONPATH`` points at
the repository root, see the Makefile).
"""

from nbconvert.preprocessors import Preprocessor

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


class StableOutputs(Preprocessor):
    """Remove from executed outputs what changes from one run to the next.

    * Printed text: the kernel flushes ``stdout`` in chunks whose boundaries
      depend on timing, so one cell's prints may be stored as one stream
      output or several. Adjacent stream outputs of the same name are merged
      into one (what a reader sees is unchanged).
    * Live widgets: a widget's output refers to a model by a random id that
      only exists while the kernel runs. The committed notebook keeps only
      the widget's deterministic ``text/plain`` description; running the cell
      in JupyterLab brings the widget back.
    """

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type != "code":
            return cell, resources
        merged = []
        for output in cell.outputs:
            output.get("data", {}).pop(WIDGET_VIEW, None)
            previous = merged[-1] if merged else None
            if (
                output.output_type == "stream"
                and previous is not None
                and previous.output_type == "stream"
                and previous.name == output.name
            ):
                previous.text += output.text
            else:
                merged.append(output)
        cell.outputs = merged
        return cell, resources
