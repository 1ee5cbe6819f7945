"""Shared code behind the activation-function notebooks.

Modules, each with one purpose:

* ``helpers.activations``: NumPy activations and derivatives, numerically robust;
* ``helpers.symbolic``: SymPy expressions and machine-checked derivations;
* ``helpers.plotting``: one consistent look for every figure;
* ``helpers.accuracy``: ulp errors against mpmath, finite differences;
* ``helpers.playground``: the TensorFlow Playground experiment, vectorised over seeds;
* ``helpers.deep_network``: a deep plain network's forward and backward pass (vanishing gradients);
* ``helpers.widgets``: interactive explorers for JupyterLab, built on plain tested functions;
* ``helpers.checks``: the argument checks the others share (clear TypeError and ValueError).

The package is installed in editable mode by ``requirements.txt`` (``-e .``),
so notebooks and tests import it the same way from any directory.
"""
