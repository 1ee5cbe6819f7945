"""A plain deep network at initialisation, one forward and one backward pass of a batch: what happens to
activations and gradients from layer to layer (notebooks 07 and 08). Layer ``l`` computes
``z_l = h_{l-1} @ W_l + b_l`` and ``h_l = f(z_l)`` (``h_0``: the inputs, one example per row), with ``f`` an
activation of :data:`helpers.activations.REGISTRY`; the loss is the batch mean of the sum of the last outputs.
:func:`train` trains such layers, with a linear output on a real loss, by gradient descent (notebook 08);
optionally with residual connections, in the pre-activation form of He, Zhang, Ren & Sun (2016).

Initialisations (biases start at 0): ``"glorot"``, ``W ~ U(-a, a)`` with ``a = sqrt(6 / (n_in + n_out))``
(Glorot & Bengio, 2010); ``"he"``, ``W ~ N(0, 2 / n_in)``, derived for ReLU (He et al., 2015);
``"lecun"``, ``W ~ N(0, 1 / n_in)``, which SELU's self-normalisation assumes (Klambauer et al., 2017).
"""

from dataclasses import dataclass

import numpy as np

from helpers import activations, checks

INITIALISATIONS = ("glorot", "he", "lecun")


def initial_weights(rng, layer_sizes, scheme):
    """Weights of shape ``(n_{l-1}, n_l)`` for ``layer_sizes = (n_input, n_1, ..., n_depth)``, drawn layer by layer."""
    rng = checks.generator("rng", rng)
    scheme = checks.choice("initialisation", scheme, INITIALISATIONS)
    sizes = checks.integers("layer_sizes", layer_sizes, 1)
    if len(sizes) < 2:
        raise ValueError(f"layer_sizes needs the input size and at least one layer, got {sizes}")
    weights = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        if scheme == "glorot":
            bound = np.sqrt(6.0 / (n_in + n_out))
            weights.append(rng.uniform(-bound, bound, size=(n_in, n_out)))
        else:
            weights.append(rng.normal(0.0, np.sqrt((2.0 if scheme == "he" else 1.0) / n_in), size=(n_in, n_out)))
    return weights


@dataclass(frozen=True)
class DeepPass:
    """One forward and backward pass. The tuples have one entry per layer, input side first:
    ``z``, ``h = f(z)``, ``f'(z)``, ``dL/dz`` (the deltas), ``dL/dW`` and ``dL/db``."""

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


def _checked(weights, inputs, biases):
    """The network's arrays as float64, after checking that their shapes chain."""
    weights = tuple(checks.real_array("weights", w) for w in weights)
    if not weights or any(w.ndim != 2 for w in weights):
        raise ValueError("weights must be a non-empty sequence of 2-d arrays")
    if any(below.shape[1] != above.shape[0] for below, above in zip(weights[:-1], weights[1:])):
        raise ValueError(f"weight shapes do not chain: {[w.shape for w in weights]}")
    inputs = checks.real_array("inputs", inputs)
    if inputs.ndim != 2 or inputs.shape[1] != weights[0].shape[0]:
        raise ValueError(f"inputs must have shape (batch, {weights[0].shape[0]}), got {inputs.shape}")
    biases = [np.zeros(w.shape[1]) for w in weights] if biases is None else biases
    biases = tuple(checks.real_array("biases", b) for b in biases)
    if len(biases) != len(weights) or any(b.shape != (w.shape[1],) for b, w in zip(biases, weights)):
        raise ValueError("biases must be one vector per layer, of the layer's width")
    return weights, inputs, biases


def _backward(inputs, weights, outputs, slopes):
    """``dL/dz``, ``dL/dW`` and ``dL/db`` per layer, input side first."""
    delta = slopes[-1] / inputs.shape[0]  # dL/dh is 1 / batch for every output of the last layer
    deltas = [delta]
    for w, slope in zip(weights[:0:-1], slopes[-2::-1]):  # from the last layer down to the second
        delta = (delta @ w.T) * slope
        deltas.insert(0, delta)
    weight_gradients = tuple(h.T @ d for h, d in zip((inputs, *outputs[:-1]), deltas))
    return tuple(deltas), weight_gradients, tuple(d.sum(axis=0) for d in deltas)


def forward_backward(weights, inputs, activation, biases=None):
    """Forward pass of ``inputs`` (shape ``(batch, n_input)``) through the layers ``weights`` (and
    ``biases``, zeros by default) with the activation named ``activation`` in every layer, then
    backpropagation of the loss. Returns a :class:`DeepPass`."""
    entry = activations.REGISTRY[checks.choice("activation", activation, activations.REGISTRY)]
    weights, inputs, biases = _checked(weights, inputs, biases)
    zs, hs = [], []
    for w, b in zip(weights, biases):
        zs.append((hs[-1] if hs else inputs) @ w + b)
        hs.append(entry.function(zs[-1]))
    slopes = tuple(entry.derivative(z) for z in zs)
    return DeepPass(activation, inputs, weights, tuple(zs), tuple(hs), slopes, *_backward(inputs, weights, hs, slopes))


def network_at_initialisation(activation, scheme, *, depth=10, width=100, batch=1000, seed=0):
    """The :class:`DeepPass` of a ``depth`` x ``width`` network freshly initialised with ``scheme`` and
    fed a standard-normal batch. ``np.random.default_rng(seed)`` draws the inputs, then the weights:
    one seed gives the same network whatever the activation, so comparisons between them are paired."""
    depth, width, batch = (checks.integer(n, v, 1) for n, v in zip(("depth", "width", "batch"), (depth, width, batch)))
    rng = np.random.default_rng(checks.integer("seed", seed, 0))  # None would draw an unreproducible network
    inputs = rng.standard_normal((batch, width))
    return forward_backward(initial_weights(rng, [width] * (depth + 1), scheme), inputs, activation)


@dataclass(frozen=True)
class Training:
    """Full-batch gradient descent, one network per seed (first axis of every array). ``losses``:
    ``(seeds, steps + 1)``, before each step and after the last; ``gradient_norms``: ``||dL/dW_l||``,
    ``(seeds, steps, depth + 1)``; ``initial``, ``final``: the weights, ``(seeds, n_in, n_out)`` per layer;
    ``delta_norms``: the root-mean-square of ``dL/dz_l`` over points and units, ``(seeds, steps, depth + 1)``;
    ``final_biases``: ``(seeds, 1, n_l)`` per layer (they start at 0); ``activation``, ``residual``: as trained."""

    losses: np.ndarray
    gradient_norms: np.ndarray
    initial: tuple
    final: tuple
    delta_norms: np.ndarray
    final_biases: tuple
    activation: str
    residual: bool

    def weight_changes(self):
        """``||W_l(end) - W_l(start)|| / ||W_l(start)||`` per seed and layer: ``(seeds, depth + 1)``."""
        return np.stack([_norms(b - a) / _norms(a) for a, b in zip(self.initial, self.final)], axis=1)

    def pre_activations(self, points, at="start"):
        """``z_l`` of every layer, ``(seeds, n, n_l)``, input side first (the last is the output ``o``):
        the forward pass that :func:`train` uses, with the weights at the ``"start"`` or the ``"end"``."""
        if checks.choice("at", at, ("start", "end")) == "start":
            weights, biases = self.initial, [np.zeros((len(w), 1, w.shape[-1])) for w in self.initial]
        else:
            weights, biases = self.final, self.final_biases
        points = checks.real_array("points", points)
        return _forward(activations.REGISTRY[self.activation], points, weights, biases, self.residual)[1]


def _forward(entry, points, weights, biases, residual):
    """The input of every layer (``hs[0]``: the points) and its pre-activations (``zs[-1]``: the output ``o``)."""
    hs, zs, depth = [points], [], len(weights) - 1
    for layer, (w, b) in enumerate(zip(weights, biases)):
        zs.append(hs[-1] @ w + b + (zs[-1] if residual and 0 < layer < depth else 0))
        if layer < depth:
            hs.append(entry.function(zs[-1]))
    return hs, zs


def _norms(arrays):
    """Frobenius norm of each matrix in a stack ``(seeds, rows, columns)``."""
    return np.sqrt(np.sum(arrays**2, axis=(-2, -1)))


def train(activation, points, labels, seeds, *, depth, width, steps, learning_rate, scheme="glorot", residual=False):
    """Train ``depth`` hidden layers of ``width`` units and a linear output ``o`` on the logistic loss
    ``mean(log(1 + exp(-y o)))`` of ``points`` ``(n, n_input)`` with ``labels`` ``y = +-1``: full-batch
    gradient descent from biases 0 and weights drawn by :func:`initial_weights`, one network per seed.
    ``residual``: every hidden layer after the first adds the pre-activations of the layer below,
    ``z_l = z_{l-1} + f(z_{l-1}) W_l + b_l`` (the plain network has ``z_l = f(z_{l-1}) W_l + b_l``)."""
    entry = activations.REGISTRY[checks.choice("activation", activation, activations.REGISTRY)]
    points, y = checks.real_array("points", points), checks.real_array("labels", labels)[..., None]
    if points.ndim != 2 or y.shape != (len(points), 1) or not np.all(np.abs(y) == 1):
        raise ValueError("points must have shape (n, n_input) and labels shape (n,), every label +1 or -1")
    depth, width, steps = (checks.integer(n, v, 1) for n, v in zip(("depth", "width", "steps"), (depth, width, steps)))
    rate = checks.real("learning_rate", learning_rate, 0.0, low_open=True)
    if not (seeds := checks.integers("seeds", seeds, 0)):
        raise ValueError("seeds is empty: give at least one seed")
    sizes = [points.shape[1]] + [width] * depth + [1]
    drawn = [initial_weights(np.random.default_rng(seed), sizes, scheme) for seed in seeds]
    weights = [np.stack(layer) for layer in zip(*drawn)]
    biases, initial, losses, norms, rms = [np.zeros((len(seeds), 1, n)) for n in sizes[1:]], tuple(weights), [], [], []
    for step in range(steps + 1):
        hs, zs = _forward(entry, points, weights, biases, residual)  # zs[depth] is the output o
        losses.append(np.mean(np.logaddexp(0.0, -y * zs[-1]), axis=(1, 2)))
        if step == steps:
            break
        delta = -y * activations.sigmoid(-y * zs[-1]) / len(points)  # dL/do
        norms.append([None] * (depth + 1))
        rms.append([None] * (depth + 1))
        for layer in range(depth, -1, -1):  # delta = dL/dz of this layer
            weight_gradient, bias_gradient = np.swapaxes(hs[layer], -1, -2) @ delta, delta.sum(axis=1, keepdims=True)
            norms[-1][layer], rms[-1][layer] = _norms(weight_gradient), np.sqrt(np.mean(delta**2, axis=(-2, -1)))
            if layer:  # dL/dz one layer down: through W_l and the slopes, plus the skip connection's delta
                skip = delta if residual and layer < depth else 0
                delta = (delta @ np.swapaxes(weights[layer], -1, -2)) * entry.derivative(zs[layer - 1]) + skip
            weights[layer] = weights[layer] - rate * weight_gradient
            biases[layer] = biases[layer] - rate * bias_gradient
    norms, rms = (np.array(a).transpose(2, 0, 1) for a in (norms, rms))  # (seeds, steps, depth + 1)
    return Training(np.array(losses).T, norms, initial, tuple(weights), rms, tuple(biases), activation, bool(residual))
