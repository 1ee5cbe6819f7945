"""Shared code behind the activation-function notebooks, one purpose per module:

* ``helpers.activations``: the activations and their derivatives, and the REGISTRY everything else reads;
* ``helpers.symbolic``: derivations written as text lines, every step checked by SymPy;
* ``helpers.plotting``: one consistent look for every figure;
* ``helpers.notebook``: the one-call setup at the top of every notebook;
* ``helpers.accuracy``: errors in ulp against mpmath (references from SymPy expressions), finite differences;
* ``helpers.properties``: an activation's range, monotonicity, smoothness and slopes, computed from its code;
* ``helpers.playground``: the TensorFlow Playground experiment, vectorised over seeds;
* ``helpers.deep_network``: a deep network's forward and backward pass at initialisation;
* ``helpers.statistics``: intervals and tests for the experiments over seeds;
* ``helpers.widgets``: interactive explorers for JupyterLab;
* ``helpers.checks``: the argument checks the others share.
"""
