"""Shared code behind the activation-function notebooks, one purpose per module:

* ``helpers.activations``: the activations and their derivatives, and the REGISTRY everything else reads;
* ``helpers.symbolic``: SymPy expressions and machine-checked step-by-step derivations;
* ``helpers.plotting``: one consistent look for every figure;
* ``helpers.notebook``: the one-call setup at the top of every notebook;
* ``helpers.accuracy``: errors in ulp against mpmath, finite differences;
* ``helpers.playground``: the TensorFlow Playground experiment, vectorised over seeds;
* ``helpers.deep_network``: a deep network's forward and backward pass at initialisation;
* ``helpers.widgets``: interactive explorers for JupyterLab;
* ``helpers.checks``: the argument checks the others share.

``requirements.txt`` installs the package in editable mode (``-e .``), so notebooks and tests import
it the same way from any directory.
"""
