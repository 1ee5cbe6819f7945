"""A plain deep network at initialisation: forward pass, backpropagation, and
what happens to activations and gradients from layer to layer.

Notebook 07 measures vanishing gradients with it (Glorot & Bengio, 2010;
He et al., 2015); notebook 06 uses it to show SELU's self-normalisation.
Nothing here trains: one forward and one backward pass of a batch, with the
weights as an initialisation scheme draws them, is what the experiments need.

The network is ``depth`` fully connected layers, each followed by the same
activation (a name of :mod:`helpers.activations`, whose ``<name>_derivative``
backpropagation uses). Layer ``l`` computes ``z_l = h_{l-1} @ W_l + b_l`` and
``h_l = f(z_l)``, with ``h_0`` the input batch (one example per row). The
loss is the sum of the last layer's outputs, averaged over the batch,
``L = mean_over_examples(sum_over_units(h_depth))``: its gradient reaches
every weight through the same chain of products that any loss would use.

Initialisation schemes (weights; biases start at 0):

* ``"glorot"``: Glorot & Bengio (2010), "normalized initialization",
  ``W ~ U(-a, a)`` with ``a = sqrt(6 / (n_in + n_out))``, so that
  ``Var(W) = 2 / (n_in + n_out)``;
* ``"he"``: He et al. (2015), ``W ~ N(0, 2 / n_in)``, derived for ReLU;
* ``"lecun"``: LeCun et al. (1998), ``W ~ N(0, 1 / n_in)``, which SELU's
  self-normalisation assumes (Klambauer et al., 2017).
"""

from dataclasses import dataclass

import numpy as np

from helpers import activations, checks

__all__ = ["INITIALISATIONS", "initial_weights", "DeepPass", "forward_backward", "network_at_initialisation"]

INITIALISATIONS = ("glorot", "he", "lecun")
"""The weight initialisation schemes :func:`initial_weights` knows."""


def _check_sizes(layer_sizes):
    sizes = checks.integers("layer_sizes", layer_sizes, 1)
    if len(sizes) < 2:
        raise ValueError(f"layer_sizes needs the input size and at least one layer, got {sizes}")
    return sizes


def initial_weights(rng, layer_sizes, scheme):
    """Weight matrices for ``layer_sizes = (n_input, n_1, ..., n_depth)``.

    Returns a list of ``depth`` arrays, the l-th of shape ``(n_{l-1}, n_l)``,
    drawn from ``rng`` (a ``numpy.random.Generator``) layer by layer with the
    given ``scheme`` (see :data:`INITIALISATIONS` and the module docstring).
    """
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator (np.random.default_rng(seed)), got {rng!r}")
    if scheme not in INITIALISATIONS:
        raise ValueError(f"unknown initialisation {scheme!r}; known: {', '.join(INITIALISATIONS)}")
    sizes = _check_sizes(layer_sizes)
    weights = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        if scheme == "glorot":
            bound = np.sqrt(6.0 / (n_in + n_out))
            weights.append(rng.uniform(-bound, bound, size=(n_in, n_out)))
        else:
            variance = (2.0 if scheme == "he" else 1.0) / n_in
            weights.append(rng.normal(0.0, np.sqrt(variance), size=(n_in, n_out)))
    return weights


def _activation_pair(name):
    """``(f, f')`` of :mod:`helpers.activations` for an activation name."""
    if not isinstance(name, str):
        raise TypeError(f"activation must be a name (str), e.g. 'tanh', got {name!r}")
    function = getattr(activations, name, None) if name in activations.__all__ else None
    derivative = getattr(activations, name + "_derivative", None)
    if not callable(function) or not callable(derivative) or name.endswith("_derivative"):
        known = [n for n in activations.__all__ if callable(getattr(activations, n + "_derivative", None))]
        raise ValueError(f"unknown activation {name!r}; known: {', '.join(known)}")
    return function, derivative


@dataclass(frozen=True)
class DeepPass:
    """One forward and backward pass through a deep network.

    Lists have one entry per layer, input side first (index 0 is layer 1):

    * ``pre_activations[l]``: ``z`` of layer ``l + 1``, shape ``(batch, n)``;
    * ``activations[l]``: its outputs ``h = f(z)``;
    * ``slopes[l]``: ``f'(z)``;
    * ``deltas[l]``: ``dL/dz``, the gradient arriving at layer ``l + 1``;
    * ``weight_gradients[l]``: ``dL/dW`` of layer ``l + 1``;
    * ``bias_gradients[l]``: ``dL/db``.
    """

    activation: str
    inputs: np.ndarray
    weights: tuple
    pre_activations: tuple
    activations: tuple
    slopes: tuple
    deltas: tuple
    weight_gradients: tuple
    bias_gradients: tuple

    @property
    def depth(self):
        return len(self.weights)

    def gradient_norms(self):
        """Frobenius norm of ``dL/dW`` per layer, input side first: ``(depth,)``."""
        return np.array([np.linalg.norm(g) for g in self.weight_gradients])

    def delta_norms(self):
        """Root-mean-square of ``dL/dz`` per layer (over examples and units)."""
        return np.array([np.sqrt(np.mean(d**2)) for d in self.deltas])


def forward_backward(weights, inputs, activation, biases=None):
    """Forward pass of ``inputs`` (shape ``(batch, n_input)``) through the
    layers ``weights`` (and ``biases``, zeros by default), then
    backpropagation of ``L = mean over the batch of the sum of the outputs``.

    Returns a :class:`DeepPass`. ``activation`` is a name of
    :mod:`helpers.activations` (``"sigmoid"``, ``"tanh"``, ``"relu"``,
    ``"gelu"``, ...); every layer uses it, the last one included.
    """
    function, derivative = _activation_pair(activation)
    weights = tuple(checks.real_array("weights", w) for w in weights)
    if not weights or any(w.ndim != 2 for w in weights):
        raise ValueError("weights must be a non-empty sequence of 2-d arrays")
    for below, above in zip(weights[:-1], weights[1:]):
        if below.shape[1] != above.shape[0]:
            raise ValueError(f"weight shapes do not chain: {below.shape} then {above.shape}")
    inputs = checks.real_array("inputs", inputs)
    if inputs.ndim != 2 or inputs.shape[1] != weights[0].shape[0]:
        raise ValueError(f"inputs must have shape (batch, {weights[0].shape[0]}), got {inputs.shape}")
    if biases is None:
        biases = [np.zeros(w.shape[1]) for w in weights]
    biases = [checks.real_array("biases", b) for b in biases]
    if len(biases) != len(weights) or any(b.shape != (w.shape[1],) for b, w in zip(biases, weights)):
        raise ValueError("biases must be one vector per layer, of the layer's width")

    zs, hs, slopes = [], [], []
    h = inputs
    for w, b in zip(weights, biases):
        z = h @ w + b
        h = function(z)
        zs.append(z)
        hs.append(h)
        slopes.append(derivative(z))

    batch = inputs.shape[0]
    delta = slopes[-1] / batch  # dL/dh of the last layer is 1 / batch for every output
    deltas = [None] * len(weights)
    weight_gradients = [None] * len(weights)
    bias_gradients = [None] * len(weights)
    for l in range(len(weights) - 1, -1, -1):
        deltas[l] = delta
        below = hs[l - 1] if l > 0 else inputs
        weight_gradients[l] = below.T @ delta
        bias_gradients[l] = delta.sum(axis=0)
        if l > 0:
            delta = (delta @ weights[l].T) * slopes[l - 1]
    return DeepPass(
        activation,
        inputs,
        weights,
        tuple(zs),
        tuple(hs),
        tuple(slopes),
        tuple(deltas),
        tuple(weight_gradients),
        tuple(bias_gradients),
    )


def network_at_initialisation(activation, scheme, *, depth=10, width=100, batch=1000, seed=0):
    """A ``depth`` x ``width`` network freshly initialised with ``scheme``,
    fed a standard-normal batch: its :class:`DeepPass`.

    ``np.random.default_rng(seed)`` draws the inputs, then the weights, so a
    given seed gives the same inputs and (for the same scheme) the same
    weights whatever the activation: comparisons between activations are paired.
    """
    depth, width, batch = (checks.integer(name, value, 1) for name, value in
                           (("depth", depth), ("width", width), ("batch", batch)))
    seed = checks.integer("seed", seed, 0)  # None would draw a fresh, unreproducible network
    rng = np.random.default_rng(seed)
    inputs = rng.standard_normal((batch, width))
    weights = initial_weights(rng, [width] * (depth + 1), scheme)
    return forward_backward(weights, inputs, activation)
