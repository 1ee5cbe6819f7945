"""The TensorFlow Playground experiment in NumPy, vectorised over seeds.

The Playground (playground.tensorflow.org, source: tensorflow/playground,
``src/dataset.ts``, ``src/nn.ts``, ``src/playground.ts``) trains a tiny
network in the browser. This module re-creates its "circle" experiment
faithfully and trains hundreds of independent networks (one per seed) at once,
so a notebook can show *distributions* of convergence speed instead of one
anecdotal run.

Public API
----------
* :func:`make_circle_data` - the "circle" data set of one run.
* :func:`prepare_runs` - data, split and initial weights for many seeds.
* :func:`train_networks` - train one network per seed; returns a
  :class:`TrainingResult` (loss curves, data, parameters at chosen epochs,
  :meth:`TrainingResult.decision_function` for heat maps).
* :func:`compare_activations` - the same for several activations on the same
  seeds, optionally spread over several processes (CPU cores).
* :func:`forward`, :func:`mean_loss`, :func:`gradients` - the engine's own
  forward and backward passes, exposed for testing and teaching.
* :func:`epochs_to_converge` - first epoch below a loss threshold (-1: never).
* :func:`known_activations` - every activation name :func:`train_networks` accepts.

Fidelity to the original engine
-------------------------------
* Data: 250 points with radius ``r ~ U(0, 2.5)`` (label +1) then 250 with
  ``r ~ U(3.5, 5)`` (label -1), angle ``~ U(0, 2 pi)``, ``x = r sin(angle)``,
  ``y = r cos(angle)``; per point four uniforms are drawn in the original's
  order (r, angle, noise x, noise y), noise or not. With noise ``n`` the label
  is that of the *shifted* position ``(x + U(-5, 5) n, y + U(-5, 5) n)``
  (inside radius 2.5: +1), but the point itself is stored unshifted: exactly
  what ``classifyCircleData`` does, so noise flips labels near the boundary.
* Split: a uniform random permutation (NumPy's ``permutation`` is a
  Fisher-Yates shuffle, like the original's ``shuffle``), then the first
  ``floor(n * train_fraction)`` points train, the rest test. Training order is
  fixed for all epochs.
* Network: weights ``U(-0.5, 0.5)`` drawn layer by layer, node by node, input
  link by input link (the order of ``buildNetwork``); every bias 0.1; hidden
  layers use the chosen activation, the output node ``tanh``.
* Loss: per point ``E = 0.5 (output - label)**2``; reported losses are the
  means over the train and test sets after each epoch; column 0 is before
  training.
* Updates: ``oneStep`` walks the training points in order, accumulating
  gradients, and calls ``updateWeights`` when ``(i + 1) % batchSize == 0``:
  ``param -= lr * (sum of gradients) / (number accumulated)``. When the batch
  size does not divide the training set, the last ``r`` points of an epoch are
  accumulated but *not* applied; they are carried into the first batch of the
  next epoch, which then averages ``batch_size + r`` gradients (the losses
  printed after that epoch do not include them). This engine reproduces that
  exactly; after the last epoch the carried gradients are dropped, as they are
  when the page stops. A batch size larger than the training set is rejected:
  the original would never update at all.
* Derivatives: the four activations the Playground offers use its own rules,
  computed from values the forward pass already holds, exactly as ``nn.ts``
  does: ``tanh' = 1 - t**2`` and ``sigmoid' = s (1 - s)`` from the node's
  output, ``ReLU' = 0 if z <= 0 else 1`` from its total input, ``linear' = 1``.
  This is also several times faster than re-evaluating the helpers' accurate
  derivatives, and agrees with them to rounding, except where the output
  rounds to +-1 or 1 (``|z| > ~19`` for tanh, ``z > ~37`` for sigmoid): there
  it gives 0, like the Playground, instead of a tiny positive slope. Every
  other activation of :mod:`helpers.activations` (Leaky ReLU, and any added
  later whose extra parameters have defaults) is looked up by name and uses
  ``<name>_derivative`` from there. Forward values always come from
  :mod:`helpers.activations`; ``"linear"`` (the identity) is handled here.
* Randomness: NumPy's ``default_rng(seed)`` per run, drawn in the order data,
  shuffle, weights, independent of the activation: for a given seed every
  activation sees the same data and the same initial weights (a paired
  comparison). The original's seeded ARC4 stream is not reproduced, so single
  seeds differ from the web page; the distributions are the same.

Performance
-----------
The networks of all seeds train side by side; Python loops run over epochs
and mini-batches only. The arrays of a block of ``m`` points are stored
``(m, seeds, neurons)``; each layer is one stacked ``np.matmul`` over the
seeds' small weight matrices (viewed ``(seeds, m, neurons)``). The first
layer's bias is folded into its weights (the inputs carry a column of ones);
the other biases are added by broadcasting over contiguous ``(seeds,
neurons)`` rows, which this memory order makes cheap (3 us instead of 14 us
per batch and layer). Buffers are preallocated and written with ``out=``;
parameters and gradients each live in one flat buffer, so an update is two
operations; contiguous transposed copies of the weights make the
backpropagation products 3x faster; data are laid out once, in blocks, before
training; losses are evaluated in blocks of 50 points (cache-sized).

Measured with ``time.process_time`` (best of 3; tanh, 200 seeds, 30 epochs)
on the shared 2-core development machine, in network-epochs per second:

=====================================================================  ========
straightforward: seeds-first ``einsum`` per layer, fresh arrays           4,900
stacked ``matmul``, preallocated buffers, flat parameters                22,700
+ contiguous transposed weights for backpropagation                      23,700
``(points, seeds, neurons)`` order, blocked losses, cached views         26,900
+ ``record_train_loss=False`` (only the test loss after each epoch)       31,800
=====================================================================  ========

Tried and dropped: explicit broadcast multiply-adds with the seeds as the
last axis (23-27 us per 3x3 layer and batch, against 10 us for ``matmul``);
``einsum`` per layer (17 us); threads (the GIL and two shared cores made them
slower); packing two seeds into one block-diagonal product (products 1.5x
faster, but ``inf * 0 = nan`` would let one diverging network corrupt its
neighbour, so seeds would no longer be independent). What remains is the
stacked ``matmul`` itself (about 50 ns per seed and product) and the
activations: ``helpers.activations.sigmoid`` costs about 6 ns per element
against 1.6 ns for tanh, so sigmoid and Leaky ReLU networks train about half
as fast as tanh networks. :func:`compare_activations` can spread the work
over several processes (``workers``); ``make bench`` prints current numbers.
"""

import dataclasses
import inspect
import math
import multiprocessing
import numbers
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from helpers import activations, checks

__all__ = [
    "RADIUS",
    "Parameters",
    "Runs",
    "TrainingResult",
    "make_circle_data",
    "prepare_runs",
    "train_networks",
    "compare_activations",
    "forward",
    "mean_loss",
    "gradients",
    "epochs_to_converge",
    "known_activations",
]

RADIUS = 5.0
"""Radius of the "circle" data set; positive points lie within ``RADIUS / 2``."""

N_INPUTS = 2
"""The experiment's inputs are the raw coordinates x1 and x2, not normalised."""

INITIAL_BIAS = 0.1
"""Every bias of the Playground starts at exactly 0.1 (``Node.bias``)."""

EVAL_BLOCK = 50
"""Loss evaluation runs over blocks of at most this many points: large enough
to make the stacked products efficient, small enough that a block's arrays
stay in the CPU caches (measured best for 200 seeds; it divides 250)."""


# ----------------------------------------------------------------------------
# Activations: values from helpers.activations, looked up by name
# ----------------------------------------------------------------------------


def known_activations():
    """Names accepted as ``activation``: every ``f`` of :mod:`helpers.activations`
    that has an ``f_derivative`` next to it, plus ``"linear"`` (the identity)."""
    public = getattr(activations, "__all__", dir(activations))
    names = {
        name
        for name in public
        if not name.endswith("_derivative")
        and callable(getattr(activations, name, None))
        and callable(getattr(activations, name + "_derivative", None))
    }
    return tuple(sorted(names | {"linear"}))


def _slope_from_output_tanh(total_input, output, out):
    """nn.ts ``TANH.der``: ``1 - output * output``."""
    np.multiply(output, output, out=out)
    return np.subtract(1.0, out, out=out)


def _slope_from_output_sigmoid(total_input, output, out):
    """nn.ts ``SIGMOID.der``: ``output * (1 - output)``."""
    np.subtract(1.0, output, out=out)
    return np.multiply(out, output, out=out)


def _slope_relu(total_input, output, out):
    """nn.ts ``RELU.der``: ``x <= 0 ? 0 : 1`` of the total input."""
    return np.greater(total_input, 0.0, out=out)


_PLAYGROUND_SLOPES = {
    "tanh": _slope_from_output_tanh,
    "sigmoid": _slope_from_output_sigmoid,
    "relu": _slope_relu,
}


@dataclass(frozen=True)
class _Activation:
    """How the engine evaluates one activation and its slope.

    ``function(z)`` returns the node outputs (a new array, or ``z`` itself for
    the identity); ``slope(z, h, out)`` returns the derivative at ``z`` (it may
    write into ``out``), or ``slope`` is None when the derivative is 1.
    """

    name: str
    function: Callable
    slope: Callable | None


def _identity(z):
    return z


def _activation(name):
    """Look up ``name`` in :mod:`helpers.activations` (``"linear"``: identity)."""
    if not isinstance(name, str):
        raise TypeError(f"activation must be a name (str), got {name!r}")
    if name == "linear":
        return _Activation("linear", _identity, None)
    if name not in known_activations():
        raise ValueError(f"unknown activation {name!r}; known: {', '.join(known_activations())}")
    function = getattr(activations, name)
    slope = _PLAYGROUND_SLOPES.get(name)
    if slope is None:
        derivative = getattr(activations, name + "_derivative")

        def slope(total_input, output, out, derivative=derivative):
            return derivative(total_input)

    return _Activation(name, function, slope)


_OUTPUT = _Activation("tanh", activations.tanh, _slope_from_output_tanh)
"""The output node of a classification network is always tanh."""


# ----------------------------------------------------------------------------
# Data, split and initial weights
# ----------------------------------------------------------------------------


def _check_generator(rng):
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator (np.random.default_rng(seed)), got {rng!r}")


def make_circle_data(rng, n_points=500, noise=0.0):
    """The Playground's "circle" data set, before shuffling.

    Returns ``(points, labels)``: ``points`` float64 of shape ``(n_points, 2)``
    (columns x1, x2), ``labels`` float64 of shape ``(n_points,)`` with values
    +1 (inside radius 2.5) and -1. The first half are drawn with radius
    ``U(0, 2.5)``, the second half with radius ``U(3.5, 5)``; the radius is
    uniform (points are denser near the centre), the angle uniform on
    ``[0, 2 pi)``, ``x1 = r sin(angle)``, ``x2 = r cos(angle)``.

    ``noise`` (0 to 0.5 in the web page's slider, which shows 0 to 50) labels
    each point by its position shifted by ``U(-5, 5) * noise`` in each
    coordinate, while the stored point is not shifted (as in the original).
    ``n_points`` must be even (the original makes ``n/2`` of each class).
    """
    _check_generator(rng)
    n_points = checks.integer("n_points", n_points, 2)
    if n_points % 2:
        raise ValueError(f"n_points must be even (half inside, half outside), got {n_points}")
    noise = checks.real("noise", noise, 0.0, math.inf, high_open=True)
    half = n_points // 2
    # Per point, in the original's order: radius, angle, noise in x, noise in y.
    u = rng.random((n_points, 4))
    radius = np.empty(n_points)
    radius[:half] = u[:half, 0] * (RADIUS / 2)
    radius[half:] = 0.7 * RADIUS + u[half:, 0] * (0.3 * RADIUS)
    angle = u[:, 1] * (2 * np.pi)
    points = np.column_stack([radius * np.sin(angle), radius * np.cos(angle)])
    shift = (u[:, 2:] * (2 * RADIUS) - RADIUS) * noise
    shifted = points + shift
    inside = np.hypot(shifted[:, 0], shifted[:, 1]) < RADIUS / 2
    labels = np.where(inside, 1.0, -1.0)
    return points, labels


@dataclass(frozen=True, eq=False)
class Parameters:
    """Weights and biases of one network per seed (seeds on the first axis).

    ``weights[l]`` has shape ``(n_seeds, n_in, n_out)`` and ``biases[l]``
    ``(n_seeds, n_out)``, so layer ``l`` computes ``a @ weights[l] + biases[l]``.
    """

    weights: tuple
    biases: tuple

    @property
    def n_seeds(self):
        return self.weights[0].shape[0]

    @property
    def layer_sizes(self):
        """``(n_inputs, *hidden, n_outputs)``, e.g. ``(2, 3, 3, 1)``."""
        return (self.weights[0].shape[1],) + tuple(w.shape[2] for w in self.weights)

    def select(self, seed_index):
        """The parameters of the network(s) at ``seed_index`` (an int or a slice),
        keeping the seed axis."""
        if isinstance(seed_index, numbers.Integral):
            index = range(self.n_seeds)[seed_index]  # IndexError if out of range
            seed_index = slice(index, index + 1)
        weights = tuple(w[seed_index] for w in self.weights)
        return Parameters(weights, tuple(b[seed_index] for b in self.biases))


def _initial_parameters(rng, layer_sizes):
    """Weights ``U(-0.5, 0.5)`` in ``buildNetwork``'s order, biases 0.1."""
    weights, biases = [], []
    for n_in, n_out in zip(layer_sizes[:-1], layer_sizes[1:]):
        # For each node of the layer, the links from every node of the previous one.
        weights.append((rng.random((n_out, n_in)) - 0.5).T.copy())
        biases.append(np.full(n_out, INITIAL_BIAS))
    return weights, biases


@dataclass(frozen=True, eq=False)
class Runs:
    """Everything drawn at random for a set of runs (one per seed), stacked.

    ``train_points`` ``(n_seeds, n_train, 2)``, ``train_labels``
    ``(n_seeds, n_train)`` (in training order), ``test_points``,
    ``test_labels`` likewise, ``initial`` the initial :class:`Parameters`.
    """

    seeds: np.ndarray
    train_points: np.ndarray
    train_labels: np.ndarray
    test_points: np.ndarray
    test_labels: np.ndarray
    initial: Parameters


def _check_seeds(seeds):
    values = checks.integers("seeds", seeds, 0, 2**63 - 1)  # what default_rng and an int64 array take
    if not values:
        raise ValueError("seeds is empty: give at least one seed")
    return np.array(values, dtype=np.int64)


def _check_hidden_layers(hidden_layers):
    if isinstance(hidden_layers, (str, bytes)) or not hasattr(hidden_layers, "__iter__"):
        raise TypeError(f"hidden_layers must be a sequence of widths, e.g. (3, 3), got {hidden_layers!r}")
    return tuple(checks.integer("every hidden layer width", width, 1) for width in hidden_layers)


def _split_index(n_points, train_fraction):
    train_fraction = checks.real("train_fraction", train_fraction, 0.0, 1.0, low_open=True, high_open=True)
    # floor(n * fraction), as the original's Math.floor(n * percent / 100);
    # the tiny margin keeps 0.7 * 500 = 349.99999... from losing a point.
    n_train = math.floor(n_points * train_fraction + 1e-9)
    if not 0 < n_train < n_points:
        raise ValueError(f"train_fraction={train_fraction} leaves an empty train or test set ({n_points} points)")
    return n_train


def prepare_runs(seeds, *, n_points=500, noise=0.0, train_fraction=0.5, hidden_layers=(3, 3)):
    """Data, split and initial weights of one run per seed, stacked over seeds.

    For each seed, ``np.random.default_rng(seed)`` draws, in this order, the
    circle data (:func:`make_circle_data`), the shuffle and the initial
    weights, so the result for a seed does not depend on the other seeds, on
    the activation or on the learning settings.
    """
    seeds = _check_seeds(seeds)
    hidden_layers = _check_hidden_layers(hidden_layers)
    n_train = _split_index(checks.integer("n_points", n_points, 2), train_fraction)
    layer_sizes = (N_INPUTS, *hidden_layers, 1)
    points, labels, weights, biases = [], [], [], []
    for seed in seeds:  # drawing only: each seed has its own generator
        rng = np.random.default_rng(int(seed))
        p, y = make_circle_data(rng, n_points, noise)
        order = rng.permutation(n_points)
        w, b = _initial_parameters(rng, layer_sizes)
        points.append(p[order])
        labels.append(y[order])
        weights.append(w)
        biases.append(b)
    points, labels = np.stack(points), np.stack(labels)
    initial = Parameters(
        tuple(np.stack([w[l] for w in weights]) for l in range(len(layer_sizes) - 1)),
        tuple(np.stack([b[l] for b in biases]) for l in range(len(layer_sizes) - 1)),
    )
    train, test = slice(None, n_train), slice(n_train, None)
    return Runs(seeds, points[:, train], labels[:, train], points[:, test], labels[:, test], initial)


# ----------------------------------------------------------------------------
# The engine
# ----------------------------------------------------------------------------


def _stacked(a):
    """View an ``(m, seeds, k)`` block as ``(seeds, m, k)``: one matrix per seed."""
    return a.transpose(1, 0, 2)


def _augmented(points):
    """``(n_seeds, n, 2)`` points -> ``(n, n_seeds, 3)`` engine inputs with a column
    of ones, which multiplies the first layer's bias (folded into its weights)."""
    points = np.asarray(points, dtype=np.float64)
    n_seeds, n, _ = points.shape
    block = np.ones((n, n_seeds, N_INPUTS + 1))
    block[..., :N_INPUTS] = points.transpose(1, 0, 2)
    return block


class _Workspace:
    """Preallocated arrays for blocks of up to ``m`` points, stored ``(m, seeds, k)``.

    :meth:`block` returns the views for a block of exactly ``m`` points (made
    once per size and cached: the hot loop then slices nothing).
    """

    def __init__(self, m, n_seeds, layer_sizes):
        sizes = layer_sizes[1:]
        self.m = m
        self.z = [np.empty((m, n_seeds, k)) for k in sizes]  # total inputs
        self.delta = [np.empty((m, n_seeds, k)) for k in sizes]  # dE/dz
        self.slope = [np.empty((m, n_seeds, k)) for k in sizes]  # activation'(z)
        self.error = np.empty((m, n_seeds))
        self._blocks = {}

    def block(self, m):
        if m not in self._blocks:
            self._blocks[m] = _Block(self, m)
        return self._blocks[m]


class _Block:
    """Views of a :class:`_Workspace` for ``m`` points; ``*_s`` are the stacked
    ``(seeds, m, k)`` views that ``np.matmul`` takes."""

    def __init__(self, ws, m):
        self.z = [z[:m] for z in ws.z]
        self.z_s = [_stacked(z) for z in self.z]
        self.delta = [d[:m] for d in ws.delta]
        self.delta_s = [_stacked(d) for d in self.delta]
        self.slope = [d[:m] for d in ws.slope]
        self.error = ws.error[:m]
        self.h = [None] * len(self.z)  # outputs: arrays returned by the activations


class _Inputs:
    """A block of engine inputs ``(m, seeds, 3)`` and its labels ``(m, seeds)``,
    with the stacked views the products need, made once before training."""

    def __init__(self, inputs, labels):
        self.m = inputs.shape[0]
        self.stacked = _stacked(inputs)  # (seeds, m, 3)
        self.stacked_t = inputs.transpose(1, 2, 0)  # (seeds, 3, m)
        self.labels = labels


def _blocks(inputs, labels, size):
    """Split ``(n, seeds, 3)`` inputs and ``(n, seeds)`` labels into blocks of ``size``."""
    return [_Inputs(inputs[i : i + size], labels[i : i + size]) for i in range(0, inputs.shape[0], size)]


class _Engine:
    """One network per seed, trained side by side.

    Parameters live in one flat buffer; per layer ``l`` a contiguous
    ``(seeds, n_in, n_out)`` block of weights and a ``(seeds, n_out)`` block
    of biases, except the first layer, whose bias is the last row of an
    ``(seeds, n_in + 1, n_out)`` block (its inputs carry a column of ones).
    ``grads`` has the same layout and receives gradient *sums* over a block.
    """

    def __init__(self, parameters, activation):
        self.sizes = parameters.layer_sizes
        self.n_seeds = n_seeds = parameters.n_seeds
        self.n_layers = len(self.sizes) - 1
        self.acts = [activation] * (self.n_layers - 1) + [_OUTPUT]
        shapes = [((n_seeds, self.sizes[0] + 1, self.sizes[1]), None)]  # (weight block, bias block)
        for n_in, n_out in zip(self.sizes[1:-1], self.sizes[2:]):
            shapes.append(((n_seeds, n_in, n_out), (n_seeds, n_out)))
        total = sum(math.prod(w) + (math.prod(b) if b else 0) for w, b in shapes)
        self.params = np.empty(total)
        self.grads = np.zeros(total)
        self.w, self.b, self.gw, self.gb = [], [], [], []
        offset = 0
        for w_shape, b_shape in shapes:
            for arrays, grads, shape in ((self.w, self.gw, w_shape), (self.b, self.gb, b_shape)):
                if shape is None:
                    arrays.append(None)
                    grads.append(None)
                    continue
                size = math.prod(shape)
                arrays.append(self.params[offset : offset + size].reshape(shape))
                grads.append(self.grads[offset : offset + size].reshape(shape))
                offset += size
        # Contiguous transposed copies of the weights for backpropagation
        # (a product with a transposed view is ~3x slower in np.matmul).
        self.wt = [None] + [np.empty((n_seeds, k, j)) for j, k in zip(self.sizes[1:-1], self.sizes[2:])]
        self.set_parameters(parameters)

    def set_parameters(self, parameters):
        self.w[0][:, :-1] = parameters.weights[0]
        self.w[0][:, -1] = parameters.biases[0]
        for l in range(1, self.n_layers):
            self.w[l][...] = parameters.weights[l]
            self.b[l][...] = parameters.biases[l]
        self.refresh()

    def refresh(self):
        """Update the transposed weight copies after the parameters changed."""
        for l in range(1, self.n_layers):
            np.copyto(self.wt[l], self.w[l].transpose(0, 2, 1))

    def parameters(self):
        """A copy of the current parameters as :class:`Parameters`."""
        weights = [self.w[0][:, :-1].copy()] + [self.w[l].copy() for l in range(1, self.n_layers)]
        biases = [self.w[0][:, -1].copy()] + [self.b[l].copy() for l in range(1, self.n_layers)]
        return Parameters(tuple(weights), tuple(biases))

    def forward(self, blk, x):
        """Forward pass of the block ``x`` (:class:`_Inputs`) through the views
        ``blk`` (:class:`_Block`); returns the outputs ``(m, seeds, 1)``."""
        np.matmul(x.stacked, self.w[0], out=blk.z_s[0])  # bias folded in
        h = blk.h[0] = self.acts[0].function(blk.z[0])
        for l in range(1, self.n_layers):
            np.matmul(_stacked(h), self.w[l], out=blk.z_s[l])
            np.add(blk.z[l], self.b[l], out=blk.z[l])
            h = blk.h[l] = self.acts[l].function(blk.z[l])
        return h

    def backward(self, blk, x):
        """Backpropagate the block just passed forward: gradient *sums* of
        ``E = 0.5 (output - label)**2`` over the block go to ``self.grads``."""
        top = self.n_layers - 1
        delta = blk.delta[top]
        np.subtract(blk.h[top][..., 0], x.labels, out=delta[..., 0])  # dE/doutput
        for l in range(top, -1, -1):
            slope = self.acts[l].slope
            if slope is not None:  # dE/dz = dE/doutput * activation'(z)
                np.multiply(delta, slope(blk.z[l], blk.h[l], blk.slope[l]), out=delta)
            if l == 0:
                np.matmul(x.stacked_t, blk.delta_s[0], out=self.gw[0])
                return
            np.matmul(blk.h[l - 1].transpose(1, 2, 0), blk.delta_s[l], out=self.gw[l])
            np.add.reduce(delta, axis=0, out=self.gb[l])
            np.matmul(blk.delta_s[l], self.wt[l], out=blk.delta_s[l - 1])  # dE/d(outputs below)
            delta = blk.delta[l - 1]

    def step(self, scale):
        """``params -= scale * grads`` (scale = learning rate / points accumulated)."""
        np.multiply(self.grads, scale, out=self.grads)
        np.subtract(self.params, self.grads, out=self.params)
        self.refresh()

    def sum_squared_errors(self, ws, blocks, out):
        """``out[s] = sum over points of (output - label)**2`` for every seed,
        over ``blocks`` (:class:`_Inputs` of at most ``ws.m`` points)."""
        out[...] = 0.0
        for x in blocks:
            blk = ws.block(x.m)
            output = self.forward(blk, x)[..., 0]
            np.subtract(output, x.labels, out=blk.error)
            out += np.einsum("ms,ms->s", blk.error, blk.error)
        return out


# ----------------------------------------------------------------------------
# Forward pass, loss and gradients as plain functions (for tests and teaching)
# ----------------------------------------------------------------------------


def _check_parameters(parameters):
    if not isinstance(parameters, Parameters):
        raise TypeError(f"parameters must be a Parameters instance, got {type(parameters).__name__}")
    if parameters.layer_sizes[0] != N_INPUTS or parameters.layer_sizes[-1] != 1:
        raise ValueError(f"expected a 2-input, 1-output network, got layer sizes {parameters.layer_sizes}")
    return parameters


def _points_per_seed(points, n_seeds):
    points = checks.real_array("points", points)
    if points.shape[-1:] != (N_INPUTS,):
        raise ValueError(f"points must have a last axis of length 2 (x1, x2), got shape {points.shape}")
    if points.ndim == 2:
        points = np.broadcast_to(points, (n_seeds, *points.shape))
    if points.ndim != 3 or points.shape[0] != n_seeds:
        raise ValueError(f"points must have shape (n, 2) or ({n_seeds}, n, 2), got {points.shape}")
    if points.shape[1] == 0:
        raise ValueError("points is empty: give at least one point")
    return points


def _labels_per_seed(labels, shape):
    labels = checks.real_array("labels", labels)
    try:
        return np.broadcast_to(labels, shape)
    except ValueError:
        raise ValueError(f"labels of shape {labels.shape} do not match the points, {shape} (seeds, points)") from None


def forward(parameters, points, activation):
    """Network outputs (in (-1, 1)) for every seed: shape ``(n_seeds, n)``.

    ``points`` is ``(n, 2)`` (the same points for every seed) or
    ``(n_seeds, n, 2)``.
    """
    parameters = _check_parameters(parameters)
    engine = _Engine(parameters, _activation(activation))
    inputs = _augmented(_points_per_seed(points, engine.n_seeds))
    x = _Inputs(inputs, None)
    outputs = engine.forward(_Workspace(x.m, engine.n_seeds, engine.sizes).block(x.m), x)
    return outputs[..., 0].T.copy()


def mean_loss(parameters, points, labels, activation):
    """Mean of ``0.5 (output - label)**2`` over the points, per seed: ``(n_seeds,)``."""
    outputs = forward(parameters, points, activation)
    labels = _labels_per_seed(labels, outputs.shape)
    return np.mean(0.5 * (outputs - labels) ** 2, axis=1)


def gradients(parameters, points, labels, activation):
    """Gradient of :func:`mean_loss` with respect to every parameter, per seed.

    This is the engine's own backward pass (the code that trains), returned
    as :class:`Parameters` of the same shapes: the mean over the points of the
    per-point gradients, which is what one Playground update applies.
    """
    parameters = _check_parameters(parameters)
    engine = _Engine(parameters, _activation(activation))
    points = _points_per_seed(points, engine.n_seeds)
    labels = _labels_per_seed(labels, points.shape[:2]).T
    x = _Inputs(_augmented(points), labels)
    blk = _Workspace(x.m, engine.n_seeds, engine.sizes).block(x.m)
    engine.forward(blk, x)
    engine.backward(blk, x)
    np.multiply(engine.grads, 1.0 / x.m, out=engine.grads)
    weights = [engine.gw[0][:, :-1].copy()] + [engine.gw[l].copy() for l in range(1, engine.n_layers)]
    biases = [engine.gw[0][:, -1].copy()] + [engine.gb[l].copy() for l in range(1, engine.n_layers)]
    return Parameters(tuple(weights), tuple(biases))


# ----------------------------------------------------------------------------
# Training
# ----------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class TrainingResult:
    """What :func:`train_networks` returns.

    ``train_loss`` and ``test_loss`` have shape ``(n_seeds, epochs + 1)``;
    column 0 is the loss of the initial network (``train_loss`` is None if
    it was not recorded). ``runs`` holds the data and initial weights;
    ``snapshots`` maps each recorded epoch (always 0 and ``epochs``, others
    on request) to the :class:`Parameters` after it (read it, do not modify).
    """

    activation: str
    seeds: np.ndarray
    epochs: int
    learning_rate: float
    batch_size: int
    hidden_layers: tuple
    noise: float
    train_fraction: float
    train_loss: np.ndarray
    test_loss: np.ndarray
    runs: Runs = field(repr=False)
    snapshots: dict = field(repr=False)

    @property
    def final(self):
        """The parameters after the last epoch."""
        return self.snapshots[self.epochs]

    def parameters(self, epoch=None):
        """Parameters after ``epoch`` (default: the last); it must be recorded."""
        epoch = self.epochs if epoch is None else epoch
        if epoch not in self.snapshots:
            recorded = sorted(self.snapshots)
            raise KeyError(f"epoch {epoch!r} was not recorded; recorded: {recorded} (see snapshot_epochs)")
        return self.snapshots[epoch]

    def decision_function(self, points, seed_index=0, epoch=None):
        """Output of the network of ``seeds[seed_index]`` after ``epoch`` at
        ``points`` (shape ``(..., 2)``): values in (-1, 1), shape ``points.shape[:-1]``.
        Positive means class +1 (blue in the Playground), negative -1 (orange)."""
        points = checks.real_array("points", points)
        if points.ndim < 1 or points.shape[-1] != N_INPUTS:
            raise ValueError(f"points must have a last axis of length 2, got shape {points.shape}")
        seed_index = checks.integer("seed_index", seed_index)
        if not -len(self.seeds) <= seed_index < len(self.seeds):
            raise IndexError(f"seed_index {seed_index} out of range for {len(self.seeds)} seeds")
        parameters = self.parameters(epoch).select(seed_index)
        flat = points.reshape(-1, N_INPUTS)
        return forward(parameters, flat, self.activation)[0].reshape(points.shape[:-1])

    def epochs_to_converge(self, threshold, loss="test"):
        """:func:`epochs_to_converge` of the test (default) or train loss curves."""
        if loss not in ("test", "train"):
            raise ValueError(f"loss must be 'test' or 'train', got {loss!r}")
        if loss == "train" and self.train_loss is None:
            raise ValueError("the train loss was not recorded (record_train_loss=False)")
        return epochs_to_converge(self.test_loss if loss == "test" else self.train_loss, threshold)


def _check_settings(
    epochs, learning_rate, batch_size, hidden_layers, noise, train_fraction, n_points, snapshot_epochs, stop_below
):
    """The settings of :func:`train_networks`, checked before anything is drawn or trained."""
    epochs = checks.integer("epochs", epochs, 0)
    learning_rate = checks.real("learning_rate", learning_rate, 0.0, math.inf, low_open=True, high_open=True)
    batch_size = checks.integer("batch_size", batch_size, 1)
    _check_hidden_layers(hidden_layers)
    snapshot_epochs = set(checks.integers("snapshot_epochs", snapshot_epochs, 0, epochs))
    noise = checks.real("noise", noise, 0.0, math.inf, high_open=True)
    if stop_below is not None:
        stop_below = checks.real("stop_below", stop_below, 0.0, math.inf, low_open=True, high_open=True)
    n_train = _split_index(checks.integer("n_points", n_points, 2), train_fraction)
    if batch_size > n_train:
        raise ValueError(
            f"batch_size={batch_size} exceeds the {n_train} training points: the Playground would never update"
        )
    if stop_below is not None and (n_train % batch_size or snapshot_epochs):
        raise ValueError(
            "stop_below needs a batch_size that divides the training set and no snapshot_epochs "
            f"(batch_size={batch_size}, {n_train} training points, snapshot_epochs={sorted(snapshot_epochs)})"
        )
    return epochs, learning_rate, batch_size, snapshot_epochs, noise, stop_below


def train_networks(
    activation,
    seeds,
    epochs,
    *,
    learning_rate=0.03,
    batch_size=10,
    hidden_layers=(3, 3),
    noise=0.0,
    train_fraction=0.5,
    n_points=500,
    snapshot_epochs=(),
    record_train_loss=True,
    stop_below=None,
):
    """Train one Playground network per seed on the circle data, side by side.

    ``activation`` names the hidden layers' activation (see
    :func:`known_activations`); the output node is tanh. Each seed is an
    independent run: its data, split and initial weights come from
    ``np.random.default_rng(seed)`` (see :func:`prepare_runs`), identical for
    every activation. Training is the Playground's: mini-batch SGD with the
    batch-mean gradient, ``batch_size`` points per update in a fixed order
    (a remainder is carried into the next epoch's first batch, as in the
    original), no momentum, no regularisation.

    ``snapshot_epochs`` lists extra epochs whose parameters to keep (for
    decision-boundary plots); 0 and ``epochs`` are always kept.
    ``record_train_loss=False`` skips the train-set loss after each epoch
    (``train_loss`` is then None): it does not change the training, and saves
    about a fifth of the time when only test losses are needed.

    ``stop_below`` (a loss) retires each seed after the first epoch whose
    test loss is below it, and trains the remaining seeds only: when the
    question is only *when* each run converges, most of the work is saved.
    A retired seed's later losses are NaN, and its final parameters are those
    of the epoch it stopped at; so :func:`epochs_to_converge` stays exact for
    thresholds >= ``stop_below`` only. It needs a batch size that divides the
    training set (no gradients carried between epochs) and no
    ``snapshot_epochs``. Retiring seeds changes nothing for the others: each
    trains as it would in the full batch (up to rounding in the last bits).
    Returns a :class:`TrainingResult`.
    """
    act = _activation(activation)
    epochs, learning_rate, batch_size, snapshot_epochs, noise, stop_below = _check_settings(
        epochs, learning_rate, batch_size, hidden_layers, noise, train_fraction, n_points, snapshot_epochs, stop_below
    )
    runs = prepare_runs(
        seeds, n_points=n_points, noise=noise, train_fraction=train_fraction, hidden_layers=hidden_layers
    )
    n_seeds, n_train = runs.train_labels.shape
    remainder = n_train % batch_size

    # Data laid out once: (points, seeds, 3) inputs with a column of ones.
    n_test = runs.test_labels.shape[1]
    train_inputs, train_labels = _augmented(runs.train_points), runs.train_labels.T.copy()
    test_inputs, test_labels = _augmented(runs.test_points), runs.test_labels.T.copy()
    eval_size = min(EVAL_BLOCK, max(n_train, n_test))

    def setup(parameters, active):
        """Engine, blocks and workspaces for the seeds ``active`` (all, or those still training)."""
        every = len(active) == n_seeds
        tr_in, tr_lab = (train_inputs, train_labels) if every else (train_inputs[:, active], train_labels[:, active])
        te_in, te_lab = (test_inputs, test_labels) if every else (test_inputs[:, active], test_labels[:, active])
        engine = _Engine(parameters, act)
        batches = _blocks(tr_in, tr_lab, batch_size)
        last = batches.pop() if remainder else None  # accumulated, applied in the next epoch
        batch_ws = _Workspace(batch_size, len(active), engine.sizes)
        eval_ws = _Workspace(eval_size, len(active), engine.sizes)
        return engine, batches, last, batch_ws, eval_ws, _blocks(tr_in, tr_lab, eval_size), _blocks(te_in, te_lab, eval_size)

    active = np.arange(n_seeds)
    engine, batches, last, batch_ws, eval_ws, eval_train, eval_test = setup(runs.initial, active)
    carried = np.zeros_like(engine.grads)
    train_sse = np.full((epochs + 1, n_seeds), np.nan)
    test_sse = np.full((epochs + 1, n_seeds), np.nan)
    snapshots = {0: runs.initial}
    final = Parameters(  # a copy; its rows are replaced as seeds retire, and at the end
        tuple(w.copy() for w in runs.initial.weights), tuple(b.copy() for b in runs.initial.biases)
    )
    row = np.empty(n_seeds)

    def record(epoch):
        out = row[: len(active)]
        if record_train_loss:
            train_sse[epoch, active] = engine.sum_squared_errors(eval_ws, eval_train, out)
        test_sse[epoch, active] = engine.sum_squared_errors(eval_ws, eval_test, out)

    def retire(where):
        """Keep the current parameters of the active seeds selected by ``where``."""
        current = engine.parameters()
        for full, now in zip(final.weights + final.biases, current.weights + current.biases):
            full[active[where]] = now[where]

    record(0)
    for epoch in range(1, epochs + 1):
        if stop_below is not None:
            done = test_sse[epoch - 1, active] * (0.5 / n_test) < stop_below
            if done.all():
                break
            if done.any():
                retire(done)
                kept = engine.parameters().select(np.flatnonzero(~done))
                active = active[~done]
                engine, batches, last, batch_ws, eval_ws, eval_train, eval_test = setup(kept, active)
        full_block = batch_ws.block(batch_size)
        for k, x in enumerate(batches):
            engine.forward(full_block, x)
            engine.backward(full_block, x)
            count = batch_size
            if k == 0 and last is not None and epoch > 1:  # gradients carried from the last epoch
                engine.grads += carried
                count += remainder
            engine.step(learning_rate / count)
        if last is not None:  # accumulated but not applied: the update waits for i + 1 = batch_size
            partial = batch_ws.block(remainder)
            engine.forward(partial, last)
            engine.backward(partial, last)
            carried[...] = engine.grads
        record(epoch)
        if epoch in snapshot_epochs:
            snapshots[epoch] = engine.parameters()
    retire(np.ones(len(active), dtype=bool))
    snapshots[epochs] = final

    return TrainingResult(
        activation=act.name,
        seeds=runs.seeds,
        epochs=epochs,
        learning_rate=learning_rate,
        batch_size=batch_size,
        hidden_layers=tuple(runs.initial.layer_sizes[1:-1]),
        noise=noise,
        train_fraction=float(train_fraction),
        train_loss=(train_sse.T * (0.5 / n_train)) if record_train_loss else None,
        test_loss=(test_sse.T * (0.5 / n_test)),
        runs=runs,
        snapshots=snapshots,
    )


def _train_task(task):
    """Worker of :func:`compare_activations` (module level, so processes can import it)."""
    name, seeds, epochs, settings = task
    return train_networks(name, seeds, epochs, **settings)


def _concatenate(parts):
    """One :class:`TrainingResult` from results of consecutive chunks of seeds."""
    if len(parts) == 1:
        return parts[0]

    def cat(arrays):
        return np.concatenate(arrays, axis=0)

    def cat_parameters(parameters):
        return Parameters(
            tuple(cat(w) for w in zip(*(p.weights for p in parameters))),
            tuple(cat(b) for b in zip(*(p.biases for p in parameters))),
        )

    runs = [part.runs for part in parts]
    first = parts[0]
    return dataclasses.replace(
        first,
        seeds=cat([part.seeds for part in parts]),
        train_loss=None if first.train_loss is None else cat([part.train_loss for part in parts]),
        test_loss=cat([part.test_loss for part in parts]),
        runs=Runs(
            cat([r.seeds for r in runs]),
            cat([r.train_points for r in runs]),
            cat([r.train_labels for r in runs]),
            cat([r.test_points for r in runs]),
            cat([r.test_labels for r in runs]),
            cat_parameters([r.initial for r in runs]),
        ),
        snapshots={epoch: cat_parameters([p.snapshots[epoch] for p in parts]) for epoch in first.snapshots},
    )


def compare_activations(activations, seeds, epochs, *, workers=1, **settings):
    """:func:`train_networks` for several activations on the same seeds.

    Returns ``{name: TrainingResult}`` in the order given. For each seed every
    activation sees the same data and initial weights (paired runs).
    ``settings`` are the keyword arguments of :func:`train_networks`.

    ``workers > 1`` trains the activations (or, if there are fewer
    activations than workers, chunks of the seeds) in that many separate
    processes, so several CPU cores share the work (start-up costs about a
    second). Seeds are independent and the engine's arithmetic for a seed does
    not depend on its companions, so the results are identical, bit for bit,
    to ``workers=1``.
    """
    if isinstance(activations, str) or not hasattr(activations, "__iter__"):
        raise TypeError(f"activations must be a sequence of names, got {activations!r}")
    names = [_activation(name).name for name in activations]
    if not names or len(set(names)) != len(names):
        raise ValueError(f"activations must be distinct names, at least one, got {names}")
    seeds = _check_seeds(seeds)
    workers = checks.integer("workers", workers, 1)
    # Every setting is checked here, before a process starts (unknown names raise TypeError).
    bound = inspect.signature(train_networks).bind(names[0], seeds, epochs, **settings)
    bound.apply_defaults()
    _check_settings(*(bound.arguments[name] for name in inspect.signature(_check_settings).parameters))
    if workers == 1:
        return {name: train_networks(name, seeds, epochs, **settings) for name in names}
    # Whole activations per task when there are enough of them: an engine with
    # more seeds amortises its fixed costs better (200 seeds cost ~20% less per
    # network than 100). Otherwise split the seeds so that every worker has work.
    n_chunks = min(-(-workers // len(names)), len(seeds))
    chunks = [chunk.tolist() for chunk in np.array_split(seeds, n_chunks)]
    tasks = [(name, chunk, epochs, settings) for name in names for chunk in chunks]
    # Leaving the block terminates the workers at once: an interrupt (JupyterLab's
    # stop button) or an error does not wait for the queued work.
    with multiprocessing.get_context("spawn").Pool(workers) as pool:
        pending = pool.map_async(_train_task, tasks, chunksize=1)
        while not pending.ready():  # short waits: the main thread sees a KeyboardInterrupt within 0.1 s
            pending.wait(0.1)
        parts = pending.get()
    n = len(chunks)
    return {name: _concatenate(parts[i * n : (i + 1) * n]) for i, name in enumerate(names)}


def epochs_to_converge(losses, threshold):
    """First epoch at which each loss curve falls below ``threshold``.

    ``losses`` has shape ``(n_runs, epochs + 1)`` (column 0: before training).
    Returns an int64 array of shape ``(n_runs,)``: the first column index with
    ``loss < threshold``, or **-1 for a run that never gets there** within the
    recorded epochs (not converged: keep it, do not drop it).
    """
    losses = np.asarray(losses, dtype=np.float64)
    if losses.ndim != 2 or losses.shape[1] == 0:
        raise ValueError(f"losses must have shape (n_runs, epochs + 1), got {losses.shape}")
    threshold = checks.real("threshold", threshold, 0.0, math.inf, low_open=True, high_open=True)
    below = losses < threshold
    first = np.argmax(below, axis=1)
    return np.where(below.any(axis=1), first, -1).astype(np.int64)
