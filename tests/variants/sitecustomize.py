"""Imported by every Python process started with this folder on PYTHONPATH
(nbval's notebook kernels and their worker processes; see tests/run_variants.py):
it changes the last bit of the arithmetic, so that the suite shows each printed
result survives what another CPU, BLAS kernel or libm would change. NUDGE
lists what changes (comma-separated):

* ``weights``: every initial weight of the Playground engine and of the deep
  network moves up by one ulp;
* ``libm``: tanh and the sigmoid return the next float up (but never above 1,
  which no libm exceeds) on about half of their inputs (those whose last bit
  is 1), as another libm or SIMD kernel would; the Playground engine, the deep
  network and the modern activations built on the sigmoid run with these.
"""

import dataclasses
import os

import numpy as np

from helpers import activations

NUDGES = set(filter(None, os.environ.get("NUDGE", "").split(",")))
if NUDGES - {"weights", "libm"}:
    raise ValueError(f"NUDGE lists weights and/or libm, got {os.environ['NUDGE']!r}")
ACTIVE = bool(NUDGES)


def _one_ulp_up_on_half_the_inputs(function):
    def nudged(x, *args, **kwargs):
        x = activations.as_float_array(x)
        y = function(x, *args, **kwargs)
        odd = (x.view(np.uint64 if x.dtype == np.float64 else np.uint32) & 1) == 1
        return np.asarray(np.where(odd, np.minimum(np.nextafter(y, np.inf), 1), y))  # a libm keeps them <= 1

    return nudged


if "libm" in NUDGES:  # before helpers.playground captures them
    for _name in ("tanh", "sigmoid"):  # the module's names (which SiLU, GELU's tanh form, ... call) and the registry
        _nudged = _one_ulp_up_on_half_the_inputs(getattr(activations, _name))
        setattr(activations, _name, _nudged)
        activations.REGISTRY[_name] = dataclasses.replace(activations.REGISTRY[_name], function=_nudged)

from helpers import deep_network, playground  # noqa: E402

if "weights" in NUDGES:
    _playground_draw, _deep_draw = playground._initial_parameters, deep_network.initial_weights

    def _playground_nudged(rng, layer_sizes):
        weights, biases = _playground_draw(rng, layer_sizes)
        return [np.nextafter(w, np.inf) for w in weights], biases

    def _deep_nudged(rng, layer_sizes, scheme):
        return [np.nextafter(w, np.inf) for w in _deep_draw(rng, layer_sizes, scheme)]

    playground._initial_parameters = _playground_nudged
    deep_network.initial_weights = _deep_nudged
