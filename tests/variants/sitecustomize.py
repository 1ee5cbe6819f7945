"""Imported by every Python process started with this folder on PYTHONPATH
(nbval's notebook kernels and their worker processes, see `make
test-variants`): it changes the last bit of the arithmetic, so that the suite
shows each printed result survives what another CPU, BLAS kernel or libm
would change. NUDGE says how:

* ``weights``: every initial weight of the Playground engine and of the deep
  network moves up by one ulp;
* ``libm``: tanh and the sigmoid return the neighbouring float on about half
  of their inputs (chosen by the input's last bit), as another libm or SIMD
  kernel would; the Playground engine trains with these.
"""

import os

import numpy as np

from helpers import activations

NUDGE = os.environ.get("NUDGE", "weights")


def _half_the_time_one_ulp_up(function):
    def nudged(x, *args, **kwargs):
        x = activations.as_float_array(x)
        y = function(x, *args, **kwargs)
        odd = x.view(np.uint64 if x.dtype == np.float64 else np.uint32) & 1 == 1
        return np.asarray(np.where(odd, np.nextafter(y, np.inf), y))

    return nudged


if NUDGE == "libm":  # before helpers.playground imports them
    activations.tanh = _half_the_time_one_ulp_up(activations.tanh)
    activations.sigmoid = _half_the_time_one_ulp_up(activations.sigmoid)

from helpers import deep_network, playground  # noqa: E402

if NUDGE == "weights":
    _playground_draw, _deep_draw = playground._initial_parameters, deep_network.initial_weights

    def _playground_nudged(rng, layer_sizes):
        weights, biases = _playground_draw(rng, layer_sizes)
        return [np.nextafter(w, np.inf) for w in weights], biases

    def _deep_nudged(rng, layer_sizes, scheme):
        return [np.nextafter(w, np.inf) for w in _deep_draw(rng, layer_sizes, scheme)]

    playground._initial_parameters = _playground_nudged
    deep_network.initial_weights = _deep_nudged
elif NUDGE not in ("libm", "none"):
    raise ValueError(f"NUDGE must be weights, libm or none, got {NUDGE!r}")
