"""The TensorFlow Playground's "circle" experiment in NumPy: one network per seed, all trained at once.

The training is the Playground's (tensorflow/playground, ``src/nn.ts``), repeated over seeds so that
notebooks show distributions; for a seed, every activation sees the same data and initial weights
(``weight_seeds`` draws the weights apart from the data, as the page does when the activation changes).
Fidelity, design and measurements: ``tests/benchmark_playground.md``.
"""

import gc
import inspect
import math
import multiprocessing
import sys
from dataclasses import dataclass, field

import numpy as np

from helpers import activations, checks

RADIUS = 5.0  # of the circle data set; the positive points lie within RADIUS / 2
EVAL_BLOCK = 50  # losses are summed over blocks of this many points (cache-sized; it divides 250)

# nn.ts takes each derivative from what the forward pass holds: the output h or the total input z.
PLAYGROUND_SLOPES = {
    "tanh": lambda z, h: 1 - h * h,
    "sigmoid": lambda z, h: h * (1 - h),
    "relu": lambda z, h: z > 0,  # 0 at z = 0
    "linear": lambda z, h: 1.0,
}


def known_activations():
    """Names :func:`train_networks` accepts: the registry's, and ``"linear"`` (the identity)."""
    return (*activations.REGISTRY, "linear")


def _activation(name):
    """``(function, slope)`` of a hidden activation, a name of :func:`known_activations` or an
    :class:`~helpers.activations.Activation` of one's own (``dataclasses.replace`` of an entry, say);
    ``slope(z, h)`` is its derivative."""
    if isinstance(name, activations.Activation):
        function, derivative = map(_float64_formula, (name.function, name.derivative))
        return function, lambda z, h: derivative(z)
    if checks.choice("activation", name, known_activations()) == "linear":
        return (lambda z: z), PLAYGROUND_SLOPES["linear"]
    entry = activations.REGISTRY[name]
    function, derivative = map(_float64_formula, (entry.function, entry.derivative))
    return function, PLAYGROUND_SLOPES.get(name, lambda z, h: derivative(z))


def _float64_formula(function):
    """The formula inside a modern activation's dtype wrapper (``__wrapped__``): the engine's arrays are
    float64 already, so the result is the same, without the wrapper's cost on every small block."""
    return getattr(function, "__wrapped__", function)


def make_circle_data(rng, n_points=500, noise=0.0):
    """The "circle" data of ``dataset.ts``, unshuffled: points ``(n, 2)``, labels ``(n,)``. Radius ``U(0, 2.5)``
    (first half) or ``U(3.5, 5)``, angle ``U(0, 2 pi)``, ``(r sin, r cos)``; label +1 within 2.5 after a
    shift ``U(-5, 5) * noise`` per coordinate (the point itself stays unshifted), else -1."""
    rng = checks.generator("rng", rng)
    n_points = checks.integer("n_points", n_points, 2)
    if n_points % 2:
        raise ValueError(f"n_points must be even (half inside, half outside), got {n_points}")
    noise = checks.real("noise", noise, 0.0, math.inf, high_open=True)
    u, half = rng.random((n_points, 4)), n_points // 2  # per point, as the original: radius, angle, noise x, y
    radius = np.concatenate([u[:half, 0] * (RADIUS / 2), 0.7 * RADIUS + u[half:, 0] * (0.3 * RADIUS)])
    angle = u[:, 1] * (2 * np.pi)
    points = np.column_stack([radius * np.sin(angle), radius * np.cos(angle)])
    shifted = points + (u[:, 2:] * (2 * RADIUS) - RADIUS) * noise
    return points, np.where(np.hypot(shifted[:, 0], shifted[:, 1]) < RADIUS / 2, 1.0, -1.0)


@dataclass(frozen=True, eq=False)
class Parameters:
    """Weights ``(seeds, n_in, n_out)`` and biases ``(seeds, n_out)`` per layer: ``a @ w + b``."""

    weights: tuple
    biases: tuple

    @property
    def n_seeds(self):
        return self.weights[0].shape[0]

    @property
    def layer_sizes(self):  # (n_inputs, *hidden, n_outputs), e.g. (2, 3, 3, 1)
        return (self.weights[0].shape[1], *(w.shape[2] for w in self.weights))

    def select(self, seeds):  # the networks at seeds (a slice, a mask or indices)
        return Parameters(tuple(w[seeds] for w in self.weights), tuple(b[seeds] for b in self.biases))

    def set_rows(self, seeds, other):  # overwrite the networks at seeds with those of other
        for mine, theirs in zip(self.weights + self.biases, other.weights + other.biases):
            mine[seeds] = theirs


@dataclass(frozen=True, eq=False)
class Runs:
    """Per seed: points ``(seeds, n, 2)``, labels ``(seeds, n)`` of each set, the initial :class:`Parameters`."""

    seeds: np.ndarray
    train_points: np.ndarray
    train_labels: np.ndarray
    test_points: np.ndarray
    test_labels: np.ndarray
    initial: Parameters
    weight_seeds: np.ndarray = None  # None: the weights came from each seed's own generator


def _initial_parameters(rng, layer_sizes):
    """Weights ``U(-0.5, 0.5)`` in ``buildNetwork``'s order (node by node, link by link), biases 0.1."""
    weights = [(rng.random((n_out, n_in)) - 0.5).T.copy() for n_in, n_out in zip(layer_sizes, layer_sizes[1:])]
    return weights, [np.full(n_out, 0.1) for n_out in layer_sizes[1:]]


def prepare_runs(seeds, *, n_points=500, noise=0.0, train_fraction=0.5, hidden_layers=(3, 3), weight_seeds=None):
    """:class:`Runs` of the seeds: ``default_rng(seed)`` draws the data, the shuffle, the weights, in this order.
    ``weight_seeds`` (one per seed): ``default_rng(weight_seed)`` draws the weights instead, the data stay."""
    seeds = np.array(checks.integers("seeds", seeds, 0, 2**63 - 1), dtype=np.int64)  # what default_rng takes
    if not seeds.size:
        raise ValueError("seeds is empty: give at least one seed")
    if weight_seeds is not None:
        weight_seeds = np.array(checks.integers("weight_seeds", weight_seeds, 0, 2**63 - 1), dtype=np.int64)
        if weight_seeds.shape != seeds.shape:
            raise ValueError(f"weight_seeds must give one seed per seed ({seeds.size}), got {weight_seeds.size}")
    layer_sizes = (2, *checks.integers("hidden_layers", hidden_layers, 1), 1)
    n_points = checks.integer("n_points", n_points, 2)
    train_fraction = checks.real("train_fraction", train_fraction, 0.0, 1.0, low_open=True, high_open=True)
    n_train = math.floor(n_points * train_fraction + 1e-9)  # floor(n * fraction): 0.7 * 90 = 62.999... gives 63
    if not 0 < n_train < n_points:
        raise ValueError(f"train_fraction={train_fraction} leaves an empty train or test set ({n_points} points)")
    draws = []
    for index, seed in enumerate(seeds):
        rng = np.random.default_rng(int(seed))
        points, labels = make_circle_data(rng, n_points, noise)
        order = rng.permutation(n_points)
        rng = rng if weight_seeds is None else np.random.default_rng(int(weight_seeds[index]))  # the page's redraw
        draws.append((points[order], labels[order], *_initial_parameters(rng, layer_sizes)))
    points, labels, weights, biases = zip(*draws)
    points, labels = np.stack(points), np.stack(labels)
    initial = Parameters(tuple(map(np.stack, zip(*weights))), tuple(map(np.stack, zip(*biases))))
    return Runs(seeds, points[:, :n_train], labels[:, :n_train], points[:, n_train:], labels[:, n_train:], initial,
                weight_seeds)  # fmt: skip


def _matmul(a, w):
    """``a @ w`` for every seed: ``(m, seeds, i)`` and ``(seeds, i, j)`` -> ``(m, seeds, j)``."""
    out = np.empty((a.shape[0], w.shape[0], w.shape[2]))
    np.matmul(a.transpose(1, 0, 2), w, out=out.transpose(1, 0, 2))
    return out


def _flat(arrays):
    """One flat copy of ``[w0, w1, b1, w2, b2, ...]`` (an update is then one line), and views of it:
    the weights ``[w0, w1, ...]`` and the biases ``[None, b1, ...]``."""
    flat = np.concatenate([a.ravel() for a in arrays])
    ends = np.cumsum([a.size for a in arrays])
    views = [flat[end - a.size : end].reshape(a.shape) for a, end in zip(arrays, ends)]
    return flat, [views[0], *views[1::2]], [None, *views[2::2]]


class _Networks:
    """One network per seed; ``w[0]`` ``(seeds, 3, n1)`` ends with the first layer's bias (input 1).
    A block of ``m`` points is ``(m, seeds, neurons)``, which matmul sees as a matrix per seed."""

    def __init__(self, parameters, activation):
        first = np.concatenate([parameters.weights[0], parameters.biases[0][:, None]], axis=1)
        arrays = [first, *(a for pair in zip(parameters.weights[1:], parameters.biases[1:]) for a in pair)]
        self.params, self.w, self.b = _flat(arrays)
        self.grads, self.gw, self.gb = _flat([np.zeros_like(a) for a in arrays])
        output = (activations.tanh, PLAYGROUND_SLOPES["tanh"])  # the output node of a classifier is tanh
        self.layers = [_activation(activation)] * (len(self.w) - 1) + [output]  # (function, slope) per layer

    def forward(self, x, keep=True):
        """Total inputs ``z`` and outputs ``h`` of every layer (``keep=False``: of the last, which is faster)."""
        zs, hs = [], [x]
        for (function, _), w, b in zip(self.layers, self.w, self.b):
            z = _matmul(hs[-1], w)
            if b is not None:
                z += b
            if not keep:
                zs, hs = [], []
            zs.append(z)
            hs.append(function(z))
        return zs, hs

    def backward(self, zs, hs, labels):
        """Gradient sums over the block of ``E = (output - label)**2 / 2`` into ``gw`` and ``gb``."""
        delta = hs[-1] - labels[..., None]  # dE/d(output)
        for k in reversed(range(len(self.w))):
            delta *= self.layers[k][1](zs[k], hs[k + 1])  # dE/dz = dE/d(output) * slope
            np.matmul(hs[k].transpose(1, 2, 0), delta.transpose(1, 0, 2), out=self.gw[k])
            if k > 0:
                np.add.reduce(delta, axis=0, out=self.gb[k])
                delta = _matmul(delta, self.w[k].transpose(0, 2, 1).copy())  # dE/d(outputs below)

    def step(self, scale):
        """``params -= scale * grads``; scale: the learning rate over the number of points summed."""
        self.grads *= scale
        self.params -= self.grads

    def train_one_epoch(self, inputs, labels, batch_size, learning_rate, carried):
        """One pass over the points in their fixed order, as ``oneStep``: an update after every ``batch_size``
        points; the gradients of the last ``n % batch_size`` are returned, for the next epoch's first update."""
        n = len(labels)
        remainder = n % batch_size
        for start in range(0, n - remainder, batch_size):
            self.backward(*self.forward(inputs[start : start + batch_size]), labels[start : start + batch_size])
            count = batch_size
            if start == 0 and carried is not None:
                self.grads += carried
                count += remainder
            self.step(learning_rate / count)
        if remainder:
            self.backward(*self.forward(inputs[n - remainder :]), labels[n - remainder :])
            return self.grads.copy()
        return None

    def squared_errors(self, inputs, labels):
        """Per seed, the sum over the points of ``(output - label)**2``, in blocks of EVAL_BLOCK."""
        total = np.zeros(labels.shape[1])
        for start in range(0, len(labels), EVAL_BLOCK):
            outputs = self.forward(inputs[start : start + EVAL_BLOCK], keep=False)[1][-1][..., 0]
            error = outputs - labels[start : start + EVAL_BLOCK]
            total += np.einsum("ms,ms->s", error, error)
        return total

    def parameters(self, gradients=False):
        """A copy of the parameters (or the gradients) as :class:`Parameters`."""
        w, b = (self.gw, self.gb) if gradients else (self.w, self.b)
        return Parameters(tuple(map(np.copy, (w[0][:, :-1], *w[1:]))), tuple(map(np.copy, (w[0][:, -1], *b[1:]))))


def _engine_inputs(parameters, points, labels=None):
    """Inputs ``(n, seeds, 3)`` for points ``(n, 2)`` or ``(seeds, n, 2)``; labels ``(n, seeds)`` or None."""
    if not isinstance(parameters, Parameters):
        raise TypeError(f"parameters must be a Parameters instance, got {type(parameters).__name__}")
    if parameters.layer_sizes[0] != 2 or parameters.layer_sizes[-1] != 1:
        raise ValueError(f"expected a 2-input, 1-output network, got layer sizes {parameters.layer_sizes}")
    points, n_seeds = checks.real_array("points", points), parameters.n_seeds
    if points.ndim not in (2, 3) or points.shape[-1] != 2 or (points.ndim == 3 and len(points) != n_seeds):
        raise ValueError(f"points must have shape (n, 2) or ({n_seeds}, n, 2) (x1, x2), got {points.shape}")
    if points.shape[-2] == 0:
        raise ValueError("points is empty: give at least one point")
    inputs = np.ones((points.shape[-2], n_seeds, 3))  # the constant 1 multiplies the first layer's bias
    inputs[..., :2] = np.broadcast_to(points, (n_seeds, *points.shape[-2:])).transpose(1, 0, 2)
    if labels is None:
        return inputs, None
    labels = checks.real_array("labels", labels)
    try:
        return inputs, np.broadcast_to(labels, inputs.shape[1::-1]).T.copy()  # contiguous: faster
    except ValueError:
        raise ValueError(f"labels of shape {labels.shape} do not match the points, {inputs.shape[1::-1]}") from None


def forward(parameters, points, activation):
    """Network outputs (in (-1, 1)) per seed, ``(n_seeds, n)``; points ``(n, 2)`` or ``(n_seeds, n, 2)``."""
    inputs = _engine_inputs(parameters, points)[0]
    return _Networks(parameters, activation).forward(inputs, keep=False)[1][-1][..., 0].T.copy()


def mean_loss(parameters, points, labels, activation):
    """Mean of ``0.5 (output - label)**2`` over the points, per seed: ``(n_seeds,)``."""
    labels = _engine_inputs(parameters, points, labels)[1].T
    return np.mean(0.5 * (forward(parameters, points, activation) - labels) ** 2, axis=1)


def gradients(parameters, points, labels, activation):
    """Gradient of :func:`mean_loss` per seed, as :class:`Parameters`: the engine's own backward pass."""
    (inputs, labels), networks = _engine_inputs(parameters, points, labels), _Networks(parameters, activation)
    networks.backward(*networks.forward(inputs), labels)
    networks.grads *= 1.0 / len(inputs)
    return networks.parameters(gradients=True)


@dataclass(frozen=True, eq=False)
class TrainingResult:
    """What :func:`train_networks` returns: settings, losses ``(n_seeds, epochs + 1)`` (column 0 before
    training), the :class:`Runs` and ``snapshots``: epoch -> :class:`Parameters` (0 and ``epochs`` always)."""

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
    def final(self):  # the parameters after the last epoch
        return self.snapshots[self.epochs]

    def parameters(self, epoch=None):
        """Parameters after ``epoch`` (default: the last); it must be recorded."""
        epoch = self.epochs if epoch is None else epoch
        if epoch not in self.snapshots:
            raise KeyError(f"epoch {epoch!r} was not recorded; recorded: {sorted(self.snapshots)} (snapshot_epochs)")
        return self.snapshots[epoch]

    def decision_function(self, points, seed_index=0, epoch=None):
        """Output of network ``seed_index`` after ``epoch`` at ``points`` ``(..., 2)``: > 0 for class +1 (blue)."""
        points, seed_index = checks.real_array("points", points), checks.integer("seed_index", seed_index)
        if points.ndim < 1 or points.shape[-1] != 2:
            raise ValueError(f"points must have a last axis of length 2, got shape {points.shape}")
        if not -len(self.seeds) <= seed_index < len(self.seeds):
            raise IndexError(f"seed_index {seed_index} out of range for {len(self.seeds)} seeds")
        parameters = self.parameters(epoch).select([seed_index])
        return forward(parameters, points.reshape(-1, 2), self.activation)[0].reshape(points.shape[:-1])

    def epochs_to_converge(self, threshold, loss="test"):
        """:func:`epochs_to_converge` of the test (default) or train loss curves."""
        losses = {"test": self.test_loss, "train": self.train_loss}
        if loss not in losses or losses[loss] is None:
            raise ValueError(f"loss must be 'test', or 'train' if recorded (record_train_loss=True), got {loss!r}")
        return epochs_to_converge(losses[loss], threshold)


def _check_settings(activation, seeds, epochs, learning_rate, batch_size, hidden_layers, noise, train_fraction,
                    n_points, snapshot_epochs, record_train_loss, stop_below, weight_seeds):  # fmt: skip
    """The arguments of :func:`train_networks`, checked before training, and the :class:`Runs`."""
    _activation(activation)
    runs = prepare_runs(seeds, n_points=n_points, noise=noise, train_fraction=train_fraction,
                        hidden_layers=hidden_layers, weight_seeds=weight_seeds)  # fmt: skip
    n_train = runs.train_labels.shape[1]
    epochs = checks.integer("epochs", epochs, 0)
    learning_rate = checks.real("learning_rate", learning_rate, 0.0, math.inf, low_open=True, high_open=True)
    batch_size = checks.integer("batch_size", batch_size, 1)
    snapshot_epochs = set(checks.integers("snapshot_epochs", snapshot_epochs, 0, epochs))
    if stop_below is not None:
        stop_below = checks.real("stop_below", stop_below, 0.0, math.inf, low_open=True, high_open=True)
    if batch_size > n_train:
        raise ValueError(f"batch_size={batch_size} exceeds the {n_train} training points: it would never update")
    if stop_below is not None and (n_train % batch_size or snapshot_epochs):
        raise ValueError(f"stop_below needs a batch_size that divides the training set ({n_train} points, got "
                         f"batch_size={batch_size}) and no snapshot_epochs (got {sorted(snapshot_epochs)})")  # fmt: skip
    return runs, epochs, learning_rate, batch_size, snapshot_epochs, stop_below


def train_networks(activation, seeds, epochs, *, learning_rate=0.03, batch_size=10, hidden_layers=(3, 3), noise=0.0,
                   train_fraction=0.5, n_points=500, snapshot_epochs=(), record_train_loss=True, stop_below=None,
                   weight_seeds=None):  # fmt: skip
    """Train one Playground network per seed on the circle data, side by side: a :class:`TrainingResult`.

    Hidden layers ``activation`` (a name of :func:`known_activations`, or an ``Activation``), output tanh, data and initial weights of
    :func:`prepare_runs` (``weight_seeds``: the weights drawn apart from the data, one weight seed per seed),
    mini-batch SGD as :meth:`_Networks.train_one_epoch`. ``snapshot_epochs``: epochs to
    keep besides 0 and ``epochs``. ``record_train_loss=False`` saves time (``train_loss`` is None).
    ``stop_below`` retires each seed after its first epoch with a test loss below it (later losses NaN,
    final parameters of that epoch), so :func:`epochs_to_converge` stays exact for thresholds >= it;
    it needs a batch size that divides the training set and no ``snapshot_epochs``.
    """
    runs, epochs, learning_rate, batch_size, snapshot_epochs, stop_below = _check_settings(**locals())
    train = _engine_inputs(runs.initial, runs.train_points, runs.train_labels)  # (n, seeds, 3) and (n, seeds)
    test = _engine_inputs(runs.initial, runs.test_points, runs.test_labels)
    networks, active, carried = _Networks(runs.initial, activation), np.arange(len(runs.seeds)), None
    sse = {name: np.full((epochs + 1, len(runs.seeds)), np.nan) for name in ("train", "test")}
    snapshots, final = {0: networks.parameters()}, networks.parameters()
    for epoch in range(epochs + 1):
        if epoch:
            carried = networks.train_one_epoch(*train, batch_size, learning_rate, carried)
        for name, data in (("train", train), ("test", test))[0 if record_train_loss else 1 :]:
            sse[name][epoch, active] = networks.squared_errors(*data)
        if epoch in snapshot_epochs:
            snapshots[epoch] = networks.parameters()
        if stop_below is not None:  # retire the seeds that converged, train the others only
            done = sse["test"][epoch, active] * (0.5 / len(test[1])) < stop_below
            if done.all():
                break
            if done.any():
                final.set_rows(active, current := networks.parameters())
                active, networks = active[~done], _Networks(current.select(~done), activation)
                train, test = [(inputs[:, ~done], labels[:, ~done]) for inputs, labels in (train, test)]
    final.set_rows(active, networks.parameters())
    snapshots[epochs] = final
    train_loss, test_loss = (sse[name].T * (0.5 / len(data[1])) for name, data in (("train", train), ("test", test)))
    return TrainingResult(activation, runs.seeds, epochs, learning_rate, batch_size, runs.initial.layer_sizes[1:-1],
                          float(noise), float(train_fraction), train_loss if record_train_loss else None, test_loss,
                          runs, snapshots)  # fmt: skip


def train_many(jobs, *, workers=1):
    """``{key: train_networks(activation, seeds, epochs, **settings)}`` for ``jobs``, a dict ``{key: (activation,
    seeds, epochs, settings)}``, every job checked first. ``workers > 1`` trains that many jobs at a time in
    separate processes, started in the order given (put the longest first), with the same results."""
    workers, jobs = checks.integer("workers", workers, 1), dict(jobs)
    for key, job in jobs.items():
        if not (isinstance(job, tuple) and len(job) == 4 and isinstance(job[3], dict)):
            raise TypeError(f"job {key!r} must be a tuple (activation, seeds, epochs, settings dict), got {job!r:.80}")
        bound = inspect.signature(train_networks).bind(*job[:3], **job[3])  # unknown settings: TypeError
        bound.apply_defaults()
        _check_settings(**bound.arguments)  # every argument is checked before a process starts
    if workers > 1 and any(isinstance(job[0], activations.Activation) for job in jobs.values()):
        raise TypeError("an Activation of one's own trains with workers=1 only (its functions stay in this process)")
    if workers == 1 or len(jobs) < 2:
        return {key: train_networks(*job[:3], **job[3]) for key, job in jobs.items()}
    forkserver = "forkserver" in multiprocessing.get_all_start_methods()  # not on Windows: spawn instead
    context = multiprocessing.get_context("forkserver" if forkserver else "spawn")
    if forkserver:  # the server imports the engine once; each worker forks from it (else each imports it, ~1 s)
        context.set_forkserver_preload(["helpers.playground"])
    # Leaving the block terminates the workers: an interrupt (Jupyter's stop button) does not wait for them.
    with context.Pool(min(workers, len(jobs))) as pool:
        pending = {key: pool.apply_async(train_networks, job[:3], job[3]) for key, job in jobs.items()}
        for job in pending.values():
            while not job.ready():  # short waits: a KeyboardInterrupt reaches the main thread within 0.1 s
                job.wait(0.1)
        results = {key: job.get() for key, job in pending.items()}
    del pool, pending, job  # its semaphores go now (a reference cycle), so nothing is left to the helpers below
    gc.collect()
    _stop_helper_processes()
    return results


def _stop_helper_processes():
    """Stop the fork server and the resource tracker the pool started (the next pool starts them again): left
    running, they hold up a Jupyter kernel's shutdown by about 2 s. Private but long-standing CPython API."""
    for module, name in (
        ("multiprocessing.forkserver", "_forkserver"),
        ("multiprocessing.resource_tracker", "_resource_tracker"),
    ):
        helper = getattr(sys.modules.get(module), name, None)
        if hasattr(helper, "_stop"):
            helper._stop()


def compare_activations(activations, seeds, epochs, *, workers=1, **settings):
    """``{name: train_networks(name, seeds, epochs, **settings)}``, by :func:`train_many` with ``workers``."""
    if isinstance(activations, str) or not hasattr(activations, "__iter__"):
        raise TypeError(f"activations must be a sequence of names, got {activations!r}")
    names = list(activations)
    if not names or len(set(names)) != len(names):
        raise ValueError(f"activations must be distinct names, at least one, got {names}")
    return train_many({name: (name, seeds, epochs, settings) for name in names}, workers=workers)


def epochs_to_converge(losses, threshold):
    """First epoch of each loss curve ``(n_runs, epochs + 1)`` below ``threshold``; -1: never (keep it)."""
    losses = np.asarray(losses, dtype=np.float64)
    if losses.ndim != 2 or losses.shape[1] == 0:
        raise ValueError(f"losses must have shape (n_runs, epochs + 1), got {losses.shape}")
    threshold = checks.real("threshold", threshold, 0.0, math.inf, low_open=True, high_open=True)
    below = losses < threshold
    return np.where(below.any(axis=1), np.argmax(below, axis=1), -1).astype(np.int64)
