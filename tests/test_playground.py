"""Unit tests of helpers.playground: data, gradients, fidelity to the Playground, API.

The fidelity check compares the vectorised engine with ``literal_playground``
below: a plain per-point loop written from the reference description of the
original engine (tensorflow/playground, src/nn.ts and src/playground.ts),
sharing no code with the engine.
"""

import dataclasses
import math
import multiprocessing
import signal
import subprocess
import sys
import time
import warnings

import numpy as np
import pytest

from helpers import activations
from helpers import playground as pg
from helpers.accuracy import central_difference

PLAYGROUND_ACTIVATIONS = ("tanh", "sigmoid", "relu", "linear")

# The Playground's activations and derivatives, written out per number as in nn.ts.
SCALAR_RULES = {
    "tanh": (math.tanh, lambda total, out: 1 - out * out),
    "sigmoid": (lambda x: 1 / (1 + math.exp(-x)), lambda total, out: out * (1 - out)),
    "relu": (lambda x: max(0.0, x), lambda total, out: 0.0 if total <= 0 else 1.0),
    "linear": (lambda x: x, lambda total, out: 1.0),
    "leaky_relu": (lambda x: x if x > 0 else 0.01 * x, lambda total, out: 1.0 if total > 0 else 0.01),
}


def literal_playground(
    points,
    labels,
    n_train,
    weights,
    biases,
    activation,
    epochs,
    learning_rate=0.03,
    batch_size=10,
    drop_remainder=False,
):
    """The Playground's training, point by point, as its source does it.

    ``weights[n][j][i]`` is the link from node i of layer n to node j of layer
    n + 1. Returns (train losses, test losses, weights, biases) with losses
    per epoch, epoch 0 before training. ``drop_remainder=True`` is *not* the
    Playground: it forgets gradients accumulated after the epoch's last update.
    """
    f, der = SCALAR_RULES[activation]
    w = [[[float(v) for v in row] for row in layer] for layer in weights]
    b = [[float(v) for v in layer] for layer in biases]
    n_layers = len(w)
    acc_w = [[[0.0] * len(row) for row in layer] for layer in w]
    acc_b = [[0.0] * len(layer) for layer in b]
    accumulated = 0

    def forward_prop(point):
        outputs, totals = [list(point)], []
        for n in range(n_layers):
            act = math.tanh if n == n_layers - 1 else f  # output node: tanh
            sources = outputs[n]
            total = [b[n][j] + sum(w[n][j][i] * s for i, s in enumerate(sources)) for j in range(len(b[n]))]
            totals.append(total)
            outputs.append([act(t) for t in total])
        return totals, outputs

    def loss(indices):
        return sum(0.5 * (forward_prop(points[p])[1][-1][0] - labels[p]) ** 2 for p in indices) / len(indices)

    train, test = range(n_train), range(n_train, len(labels))
    train_losses, test_losses = [loss(train)], [loss(test)]
    for _ in range(epochs):
        for i in train:
            totals, outputs = forward_prop(points[i])
            output_der = [outputs[-1][0] - labels[i]]  # dE/doutput of E = 0.5 (output - label)^2
            for n in range(n_layers - 1, -1, -1):
                if n == n_layers - 1:
                    input_der = [output_der[0] * (1 - outputs[-1][0] ** 2)]
                else:
                    nodes = range(len(b[n]))
                    input_der = [output_der[j] * der(totals[n][j], outputs[n + 1][j]) for j in nodes]
                for j, d in enumerate(input_der):
                    acc_b[n][j] += d
                    for k, source in enumerate(outputs[n]):
                        acc_w[n][j][k] += d * source
                # dE/d(output) of each source node, through the current (not yet updated) weights
                output_der = [sum(w[n][j][k] * input_der[j] for j in range(len(b[n]))) for k in range(len(outputs[n]))]
            accumulated += 1
            if (i + 1) % batch_size == 0:  # updateWeights
                for n in range(n_layers):
                    for j in range(len(b[n])):
                        b[n][j] -= learning_rate * acc_b[n][j] / accumulated
                        acc_b[n][j] = 0.0
                        for k in range(len(w[n][j])):
                            w[n][j][k] -= learning_rate / accumulated * acc_w[n][j][k]
                            acc_w[n][j][k] = 0.0
                accumulated = 0
        if drop_remainder:
            acc_w = [[[0.0] * len(row) for row in layer] for layer in w]
            acc_b = [[0.0] * len(layer) for layer in b]
            accumulated = 0
        train_losses.append(loss(train))
        test_losses.append(loss(test))
    return np.array(train_losses), np.array(test_losses), w, b


def literal_run(result, index, **kwargs):
    """Run ``literal_playground`` on the data and initial weights of one seed of ``result``."""
    runs = result.runs
    points = np.concatenate([runs.train_points[index], runs.test_points[index]]).tolist()
    labels = np.concatenate([runs.train_labels[index], runs.test_labels[index]]).tolist()
    weights = [w[index].T.tolist() for w in runs.initial.weights]
    biases = [b[index].tolist() for b in runs.initial.biases]
    return literal_playground(
        points,
        labels,
        runs.train_labels.shape[1],
        weights,
        biases,
        result.activation,
        result.epochs,
        learning_rate=result.learning_rate,
        batch_size=result.batch_size,
        **kwargs,
    )


# --------------------------------------------------------------------------- fidelity


@pytest.mark.parametrize("activation", PLAYGROUND_ACTIVATIONS + ("leaky_relu",))
def test_single_update_step_matches_the_literal_per_point_loop(activation):
    # 20 points, 10 of them training: one epoch is exactly one update of batch 10.
    result = pg.train_networks(activation, [4, 9], 1, n_points=20)
    for index in range(2):
        train, test, w, b = literal_run(result, index)
        np.testing.assert_allclose(result.train_loss[index], train, rtol=0, atol=1e-14)
        np.testing.assert_allclose(result.test_loss[index], test, rtol=0, atol=1e-14)
        for n, (weights, biases) in enumerate(zip(result.final.weights, result.final.biases)):
            np.testing.assert_allclose(weights[index], np.array(w[n]).T, rtol=0, atol=1e-14)
            np.testing.assert_allclose(biases[index], b[n], rtol=0, atol=1e-14)


def test_one_update_of_a_network_without_hidden_layers_by_hand():
    # Output tanh(w . x + b); per point dE/dz = (o - y)(1 - o^2); one update with
    # the mean over the 10 training points: w -= 0.03 * mean(dE/dz * x), b likewise.
    result = pg.train_networks("relu", [6], 1, n_points=20, hidden_layers=())
    x, y = result.runs.train_points[0], result.runs.train_labels[0]
    w, b = result.runs.initial.weights[0][0][:, 0], result.runs.initial.biases[0][0][0]
    assert b == 0.1
    o = np.tanh(x @ w + b)
    dz = (o - y) * (1 - o**2)
    w_new, b_new = w - 0.03 * np.mean(dz[:, None] * x, axis=0), b - 0.03 * np.mean(dz)
    np.testing.assert_allclose(result.final.weights[0][0][:, 0], w_new, rtol=1e-15, atol=1e-16)
    np.testing.assert_allclose(result.final.biases[0][0][0], b_new, rtol=1e-15)
    x_test, y_test = result.runs.test_points[0], result.runs.test_labels[0]
    expected = np.mean(0.5 * (np.tanh(x_test @ w_new + b_new) - y_test) ** 2)
    assert result.test_loss[0, 1] == pytest.approx(expected, rel=1e-14)


@pytest.mark.parametrize("activation", PLAYGROUND_ACTIVATIONS)
@pytest.mark.parametrize("batch_size", [10, 7])
def test_several_epochs_match_the_literal_loop_also_with_a_carried_remainder(activation, batch_size):
    # 30 training points; batch 7 leaves 2 points per epoch that the Playground
    # carries into the next epoch's first batch (then averaged over 9).
    result = pg.train_networks(activation, [1, 2], 4, n_points=60, batch_size=batch_size, learning_rate=0.3)
    for index in range(2):
        train, test, w, _ = literal_run(result, index)
        np.testing.assert_allclose(result.train_loss[index], train, rtol=0, atol=1e-13)
        np.testing.assert_allclose(result.test_loss[index], test, rtol=0, atol=1e-13)
        np.testing.assert_allclose(result.final.weights[1][index], np.array(w[1]).T, rtol=0, atol=1e-13)


def test_the_carried_remainder_matters():
    # The check above is sensitive to the carry: dropping the remainder's
    # gradients at the end of each epoch gives measurably different losses.
    result = pg.train_networks("tanh", [3], 4, n_points=60, batch_size=7, learning_rate=0.3)
    carried, _, _, _ = literal_run(result, 0)
    dropped, _, _, _ = literal_run(result, 0, drop_remainder=True)
    np.testing.assert_allclose(result.train_loss[0], carried, rtol=0, atol=1e-13)
    assert np.abs(result.train_loss[0, 2:] - dropped[2:]).min() > 1e-6


def test_derivatives_are_the_playgrounds_and_agree_with_the_helpers():
    z = np.linspace(-8, 8, 161)
    for name in ("tanh", "sigmoid", "relu", "leaky_relu"):
        function, slope = pg._activation(name)
        h = function(z)
        np.testing.assert_array_equal(h, activations.REGISTRY[name].function(z))  # values from the registry
        expected = activations.REGISTRY[name].derivative(z)
        np.testing.assert_allclose(slope(z, h) * np.ones_like(z), expected, rtol=1e-12, atol=1e-15)
    _, relu_slope = pg._activation("relu")
    assert relu_slope(np.array([0.0]), np.array([0.0]))[0] == 0.0  # ReLU'(0) = 0
    identity, linear_slope = pg._activation("linear")
    assert identity(z) is z and linear_slope(z, z) == 1.0


# --------------------------------------------------------------------------- gradients


@pytest.mark.parametrize("activation", pg.known_activations())
def test_gradients_match_central_differences(activation):
    runs = pg.prepare_runs([5, 6], n_points=40, hidden_layers=(3, 2))
    points, labels = runs.train_points, runs.train_labels
    params = runs.initial
    analytic = pg.gradients(params, points, labels, activation)
    for group, name in ((params.weights, "weights"), (params.biases, "biases")):
        for n, array in enumerate(group):
            for index in np.ndindex(array.shape):

                def loss_at(value, n=n, index=index, group=group):
                    saved = group[n][index]
                    group[n][index] = value
                    try:
                        return pg.mean_loss(params, points, labels, activation)[index[0]]
                    finally:
                        group[n][index] = saved

                numeric = central_difference(loss_at, group[n][index])
                exact = getattr(analytic, name)[n][index]
                assert exact == pytest.approx(float(numeric), rel=1e-6, abs=1e-9), (name, n, index)


def test_loss_of_a_network_that_outputs_zero_is_one_half():
    runs = pg.prepare_runs([0, 1, 2])
    zero_output = pg.Parameters(
        runs.initial.weights[:-1] + (np.zeros_like(runs.initial.weights[-1]),),
        runs.initial.biases[:-1] + (np.zeros_like(runs.initial.biases[-1]),),
    )
    outputs = pg.forward(zero_output, runs.test_points, "relu")
    np.testing.assert_array_equal(outputs, 0.0)
    np.testing.assert_array_equal(pg.mean_loss(zero_output, runs.test_points, runs.test_labels, "relu"), 0.5)


def test_reported_losses_are_mean_half_squared_errors():
    result = pg.train_networks("tanh", [8, 13], 3, snapshot_epochs=[2])
    for epoch in (0, 2, 3):
        params = result.parameters(epoch)
        for split in ("train", "test"):
            points, labels = getattr(result.runs, f"{split}_points"), getattr(result.runs, f"{split}_labels")
            outputs = pg.forward(params, points, "tanh")
            expected = np.mean(0.5 * (outputs - labels) ** 2, axis=1)
            np.testing.assert_allclose(getattr(result, f"{split}_loss")[:, epoch], expected, rtol=1e-13)


# --------------------------------------------------------------------------- data


def test_circle_data_distribution():
    points, labels = pg.make_circle_data(np.random.default_rng(0))
    assert points.shape == (500, 2) and labels.shape == (500,)
    assert points.dtype == labels.dtype == np.float64
    radius = np.hypot(points[:, 0], points[:, 1])
    assert np.all(radius[:250] < 2.5) and np.all((radius[250:] >= 3.5) & (radius[250:] <= 5.0))
    np.testing.assert_array_equal(labels[:250], 1.0)
    np.testing.assert_array_equal(labels[250:], -1.0)
    np.testing.assert_array_equal(labels, np.where(radius < 2.5, 1.0, -1.0))
    # Uniform in radius (not in area): as many inner points below r = 1.25 as above.
    inner = radius[:250]
    assert 100 < np.sum(inner < 1.25) < 150
    angles = np.arctan2(points[:, 0], points[:, 1])  # x = r sin(angle), y = r cos(angle)
    assert np.histogram(angles, bins=4, range=(-np.pi, np.pi))[0].min() > 90


def test_circle_data_is_deterministic_per_seed():
    a = pg.make_circle_data(np.random.default_rng(42))
    b = pg.make_circle_data(np.random.default_rng(42))
    c = pg.make_circle_data(np.random.default_rng(43))
    np.testing.assert_array_equal(a[0], b[0])
    assert not np.array_equal(a[0], c[0])


def test_noise_flips_labels_near_the_boundary_but_keeps_the_points():
    clean_points, clean_labels = pg.make_circle_data(np.random.default_rng(7), noise=0.0)
    points, labels = pg.make_circle_data(np.random.default_rng(7), noise=0.5)
    np.testing.assert_array_equal(points, clean_points)  # stored unshifted, as the original
    flipped = labels != clean_labels
    assert 0 < flipped.sum() < 250
    radius = np.hypot(points[:, 0], points[:, 1])
    # A shift of at most 0.5 * 5 per coordinate cannot flip a point far from the circle.
    assert np.all(np.abs(radius[flipped] - 2.5) <= 2.5 * math.sqrt(2))


def test_split_sizes_and_shuffle():
    runs = pg.prepare_runs(range(3))
    assert runs.train_points.shape == (3, 250, 2) and runs.test_points.shape == (3, 250, 2)
    assert runs.train_labels.shape == runs.test_labels.shape == (3, 250)
    # All 500 points, shuffled (both classes in both sets, not in generation order).
    points, labels = pg.make_circle_data(np.random.default_rng(0))
    together = np.concatenate([runs.train_points[0], runs.test_points[0]])
    assert sorted(map(tuple, together)) == sorted(map(tuple, points))
    assert 0 < np.sum(runs.train_labels[0] > 0) < 250
    assert pg.prepare_runs([0], train_fraction=0.7).train_points.shape == (1, 350, 2)
    assert pg.prepare_runs([0], train_fraction=0.1).test_points.shape == (1, 450, 2)


@pytest.mark.parametrize("n_points, fraction, n_train", [(90, 0.7, 63), (500, 0.7, 350), (10, 0.3, 3), (50, 0.58, 29)])
def test_split_is_floor_of_the_exact_product(n_points, fraction, n_train):
    """floor(n * percent / 100) as the Playground computes it: 90 * 0.7 is
    62.99999999999999 in floating point, and must still give 63 points."""
    assert math.floor(n_points * fraction) in (n_train, n_train - 1)  # some products round below
    assert pg.prepare_runs([0], n_points=n_points, train_fraction=fraction).train_points.shape[1] == n_train


def test_initial_weights_and_biases():
    initial = pg.prepare_runs(range(50)).initial
    assert initial.layer_sizes == (2, 3, 3, 1)
    weights = np.concatenate([w.ravel() for w in initial.weights])
    assert weights.min() >= -0.5 and weights.max() < 0.5 and abs(weights.mean()) < 0.05
    for b in initial.biases:
        np.testing.assert_array_equal(b, 0.1)


def test_same_seed_same_data_and_initial_weights_for_every_activation():
    results = [pg.train_networks(name, [3, 17], 1) for name in ("tanh", "relu", "linear")]
    first = results[0].runs
    for result in results[1:]:
        for field in ("train_points", "train_labels", "test_points", "test_labels"):
            np.testing.assert_array_equal(getattr(result.runs, field), getattr(first, field))
        for a, b in zip(result.runs.initial.weights, first.initial.weights):
            np.testing.assert_array_equal(a, b)


def test_by_default_one_generator_draws_the_data_the_shuffle_then_the_weights():
    # weight_seeds=None is the engine's original behaviour, draw for draw (notebooks 00, 01 and 07 rely on it).
    runs = pg.prepare_runs([3, 8], hidden_layers=(3, 2))
    assert runs.weight_seeds is None
    for index, seed in enumerate([3, 8]):
        rng = np.random.default_rng(seed)
        points, labels = pg.make_circle_data(rng)
        order = rng.permutation(500)
        weights, biases = pg._initial_parameters(rng, (2, 3, 2, 1))
        np.testing.assert_array_equal(runs.train_points[index], points[order][:250])
        np.testing.assert_array_equal(runs.test_labels[index], labels[order][250:])
        for mine, expected in zip(runs.initial.weights + runs.initial.biases, weights + biases):
            np.testing.assert_array_equal(mine[index], expected)


def test_weight_seeds_keep_the_data_and_draw_the_weights_apart():
    # The Playground's page keeps the data when the activation changes and draws new weights.
    plain, apart = pg.prepare_runs([3, 8]), pg.prepare_runs([3, 8], weight_seeds=[100, 101])
    assert apart.weight_seeds.tolist() == [100, 101]
    for field in ("train_points", "train_labels", "test_points", "test_labels"):
        np.testing.assert_array_equal(getattr(apart, field), getattr(plain, field))
    assert not any(np.array_equal(a, b) for a, b in zip(apart.initial.weights, plain.initial.weights))
    for index, weight_seed in enumerate([100, 101]):
        weights, _ = pg._initial_parameters(np.random.default_rng(weight_seed), (2, 3, 3, 1))
        for mine, expected in zip(apart.initial.weights, weights):
            np.testing.assert_array_equal(mine[index], expected)
    shared = pg.prepare_runs([3, 8], weight_seeds=[5, 5]).initial  # the weights do not depend on the data seed
    for w in shared.weights:
        np.testing.assert_array_equal(w[0], w[1])


def test_weight_seeds_pass_through_train_networks_and_compare_activations():
    runs = pg.prepare_runs([3, 8], weight_seeds=[7, 9])
    alone = pg.train_networks("tanh", [3, 8], 3, weight_seeds=[7, 9])
    assert alone.runs.weight_seeds.tolist() == [7, 9]
    for a, b in zip(alone.parameters(0).weights, runs.initial.weights):
        np.testing.assert_array_equal(a, b)
    parallel = pg.compare_activations(["relu", "tanh"], [3, 8], 3, workers=2, weight_seeds=[7, 9])
    np.testing.assert_array_equal(parallel["tanh"].test_loss, alone.test_loss)
    np.testing.assert_array_equal(parallel["relu"].runs.initial.weights[0], runs.initial.weights[0])
    assert not np.array_equal(alone.test_loss, pg.train_networks("tanh", [3, 8], 3).test_loss)


@pytest.mark.parametrize("activation", ["relu", "sigmoid"])
def test_a_seed_alone_equals_the_same_seed_inside_a_batch(activation):
    # Equal up to the last bits: a batch of one seed may sum in another order
    # inside NumPy's matmul (it does in NumPy 1.25), never more than that.
    together = pg.train_networks(activation, [10, 11, 12, 13], 20, batch_size=7, snapshot_epochs=[5])
    for alone, index in [
        (pg.train_networks(activation, [12], 20, batch_size=7, snapshot_epochs=[5]), 2),
        (pg.train_networks(activation, [11, 13], 20, batch_size=7, snapshot_epochs=[5]), 1),
    ]:
        position = alone.seeds.tolist().index(together.seeds[index])
        close = {"rtol": 1e-12, "atol": 1e-15}
        np.testing.assert_allclose(alone.test_loss[position], together.test_loss[index], **close)
        np.testing.assert_allclose(alone.train_loss[position], together.train_loss[index], **close)
        for epoch in (5, 20):
            for a, b in zip(alone.parameters(epoch).weights, together.parameters(epoch).weights):
                np.testing.assert_allclose(a[position], b[index], **close)
    assert pg.train_networks(activation, [12], 1).final.n_seeds == 1


# --------------------------------------------------------------------------- training behaviour


def test_nonlinear_networks_learn_and_a_linear_one_cannot():
    seeds = range(8)
    linear = pg.train_networks("linear", seeds, 150)
    tanh = pg.train_networks("tanh", seeds, 150)
    # A linear network's output is tanh(a x1 + b x2 + c): its decision boundary
    # is a straight line, so it never separates a disc from a ring.
    assert linear.test_loss.min() > 0.45
    assert np.median(tanh.test_loss[:, -1]) < 0.05
    assert np.all(np.isfinite(linear.train_loss))


def test_decision_function_and_snapshots():
    result = pg.train_networks("tanh", [2, 5], 30, snapshot_epochs=[10])
    assert sorted(result.snapshots) == [0, 10, 30]
    grid = np.stack(np.meshgrid(np.linspace(-6, 6, 7), np.linspace(-6, 6, 5)), axis=-1)
    values = result.decision_function(grid, seed_index=1, epoch=10)
    assert values.shape == (5, 7) and np.all(np.abs(values) < 1)
    points = result.runs.test_points[1]
    np.testing.assert_allclose(
        result.decision_function(points, 1), pg.forward(result.final, points, "tanh")[1], rtol=1e-12, atol=1e-15
    )
    np.testing.assert_array_equal(result.decision_function(points, -1), result.decision_function(points, 1))
    with pytest.raises(KeyError, match="snapshot_epochs"):
        result.decision_function(points, 0, epoch=5)
    with pytest.raises(IndexError):
        result.decision_function(points, 2)


def test_epochs_to_converge():
    losses = np.array([[0.5, 0.2, 0.04, 0.06, 0.01], [0.5, 0.4, 0.3, 0.2, 0.1], [0.01, 0.5, 0.5, 0.5, 0.5]])
    np.testing.assert_array_equal(pg.epochs_to_converge(losses, 0.05), [2, -1, 0])
    np.testing.assert_array_equal(pg.epochs_to_converge(losses, 0.1), [2, -1, 0])
    np.testing.assert_array_equal(pg.epochs_to_converge(losses, 0.11), [2, 4, 0])
    with pytest.raises(ValueError):
        pg.epochs_to_converge(losses[0], 0.05)
    with pytest.raises(ValueError):
        pg.epochs_to_converge(losses, 0.0)


def test_results_have_the_documented_shapes_and_types():
    result = pg.train_networks("sigmoid", np.arange(3), 4, hidden_layers=[4])
    assert result.train_loss.shape == result.test_loss.shape == (3, 5)
    assert result.train_loss.dtype == np.float64
    assert result.hidden_layers == (4,) and result.final.layer_sizes == (2, 4, 1)
    assert result.seeds.tolist() == [0, 1, 2]
    assert np.all(result.test_loss[:, 0] > 0.3)
    none = pg.train_networks("relu", [0], 0)
    assert none.test_loss.shape == (1, 1)
    no_hidden = pg.train_networks("relu", [0], 2, hidden_layers=())
    assert no_hidden.final.layer_sizes == (2, 1)


def test_skipping_the_train_loss_changes_nothing_else():
    full = pg.train_networks("tanh", [4, 5], 6)
    lean = pg.train_networks("tanh", [4, 5], 6, record_train_loss=False)
    assert lean.train_loss is None
    np.testing.assert_array_equal(lean.test_loss, full.test_loss)
    with pytest.raises(ValueError, match="record_train_loss"):
        lean.epochs_to_converge(0.05, loss="train")


def test_compare_activations_in_several_processes_equals_training_one_by_one():
    # Each process trains whole activations on all the seeds: the same arithmetic, bit for bit.
    same = np.testing.assert_array_equal
    seeds, settings = [3, 1, 4, 1, 5], dict(snapshot_epochs=[2], batch_size=7)
    parallel = pg.compare_activations(["relu", "sigmoid", "tanh"], seeds, 4, workers=2, **settings)
    assert list(parallel) == ["relu", "sigmoid", "tanh"]
    for name, result in parallel.items():
        alone = pg.train_networks(name, seeds, 4, **settings)
        assert result.activation == name and result.seeds.tolist() == seeds
        for field in ("train_loss", "test_loss"):
            same(getattr(result, field), getattr(alone, field))
        for field in ("train_points", "train_labels", "test_points", "test_labels"):
            same(getattr(result.runs, field), getattr(alone.runs, field))
        for epoch in (0, 2, 4):
            for a, b in zip(result.parameters(epoch).weights + result.parameters(epoch).biases,
                            alone.parameters(epoch).weights + alone.parameters(epoch).biases):  # fmt: skip
                same(a, b)
    one = pg.compare_activations(["relu"], seeds, 4, workers=3, **settings)["relu"]  # more workers than names
    same(one.test_loss, parallel["relu"].test_loss)


def test_train_many_runs_jobs_with_their_own_settings_in_parallel_as_one_by_one():
    jobs = {
        ("slow", "tanh"): ("tanh", [2, 7], 5, dict(learning_rate=0.01)),
        "fast": ("relu", [2], 3, dict(learning_rate=0.3, weight_seeds=[9])),
        "stopped": ("sigmoid", range(3), 6, dict(stop_below=0.5, record_train_loss=False)),
    }
    parallel = pg.train_many(jobs, workers=2)
    assert list(parallel) == list(jobs)
    for key, (activation, seeds, epochs, settings) in jobs.items():
        alone = pg.train_networks(activation, seeds, epochs, **settings)
        assert parallel[key].learning_rate == alone.learning_rate
        np.testing.assert_array_equal(parallel[key].test_loss, alone.test_loss)
    assert pg.train_many({}, workers=2) == {}


@pytest.mark.parametrize(
    "job, error",
    [(("relu", [0], 2), TypeError), (["relu", [0], 2, {}], TypeError), (("relu", [0], 2, dict(speed=1)), TypeError),
     (("relu", [0], -1, {}), ValueError), (("nope", [0], 2, {}), ValueError)],
)  # fmt: skip
def test_train_many_checks_every_job_before_starting_a_process(job, error):
    started = time.perf_counter()
    with pytest.raises(error):
        pg.train_many({"good": ("tanh", [0], 2, {}), "bad": job}, workers=2)
    assert time.perf_counter() - started < 0.5


@pytest.mark.parametrize(
    "activations, error",
    [("relu", TypeError), ([], ValueError), (["relu", "relu"], ValueError), (["nope"], ValueError)],
)
def test_compare_activations_rejects_bad_lists(activations, error):
    with pytest.raises(error):
        pg.compare_activations(activations, [0], 1)


@pytest.mark.parametrize("activation", pg.known_activations())
def test_every_known_activation_trains_cleanly(activation):
    # Activations added to helpers.activations later are picked up by name;
    # they must train without warnings (pytest runs with -W error) and stay finite.
    result = pg.train_networks(activation, [0, 1], 5, learning_rate=0.1)
    assert np.all(np.isfinite(result.train_loss)) and np.all(np.isfinite(result.test_loss))
    assert result.activation == activation


def test_known_activations_are_the_registry_and_linear():
    assert pg.known_activations() == (*activations.REGISTRY, "linear")


# --------------------------------------------------------------------------- bad arguments


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        (dict(activation="swish_typo"), ValueError, "known: .*relu"),
        (dict(activation=np.tanh), TypeError, "activation"),
        (dict(epochs=-1), ValueError, "epochs"),
        (dict(epochs=2.5), TypeError, "epochs"),
        (dict(seeds=[]), ValueError, "empty"),
        (dict(seeds=[1.5]), TypeError, "integer"),
        (dict(seeds=[True]), TypeError, "integer"),
        (dict(seeds=[-1]), ValueError, "seeds must be >= 0"),
        (dict(seeds=[2**63]), ValueError, "seeds must be <= "),
        (dict(seeds=7), TypeError, "sequence"),
        (dict(batch_size=0), ValueError, "batch_size"),
        (dict(batch_size=251), ValueError, "never update"),
        (dict(batch_size=10.0), TypeError, "batch_size"),
        (dict(train_fraction=1.0), ValueError, "train_fraction"),
        (dict(train_fraction=0.001), ValueError, "empty"),
        (dict(train_fraction="half"), TypeError, "train_fraction"),
        (dict(hidden_layers=(3, 0)), ValueError, "hidden_layers"),
        (dict(hidden_layers=3), TypeError, "hidden_layers"),
        (dict(learning_rate=-0.1), ValueError, "learning_rate"),
        (dict(learning_rate=float("nan")), ValueError, "learning_rate"),
        (dict(noise=-0.1), ValueError, "noise"),
        (dict(snapshot_epochs=[3]), ValueError, "snapshot_epochs"),
        (dict(snapshot_epochs=5), TypeError, "snapshot_epochs must be a sequence"),
        (dict(learning_rate=10**400), ValueError, "learning_rate"),
        (dict(n_points=501), ValueError, "even"),
        (dict(weight_seeds=[1, 2]), ValueError, "one seed per seed"),
        (dict(weight_seeds=[-1]), ValueError, "weight_seeds must be >= 0"),
        (dict(weight_seeds=[1.5]), TypeError, "integer"),
        (dict(weight_seeds=3), TypeError, "weight_seeds must be a sequence"),
    ],
)
def test_bad_arguments_raise_clear_errors(kwargs, error, message):
    arguments = dict(activation="tanh", seeds=[0], epochs=2)
    arguments.update(kwargs)
    with pytest.raises(error, match=message):
        activation, seeds, epochs = (arguments.pop(key) for key in ("activation", "seeds", "epochs"))
        pg.train_networks(activation, seeds, epochs, **arguments)


def test_make_circle_data_rejects_a_seed_instead_of_a_generator():
    with pytest.raises(TypeError, match="default_rng"):
        pg.make_circle_data(42)


# --------------------------------------------------------------------------- stop_below


def test_stop_below_retires_converged_seeds_without_changing_the_others():
    seeds = range(12)
    full = pg.train_networks("tanh", seeds, 150, record_train_loss=False)
    fast = pg.train_networks("tanh", seeds, 150, stop_below=0.05)
    for threshold in (0.05, 0.1, 0.3):
        np.testing.assert_array_equal(
            pg.epochs_to_converge(fast.test_loss, threshold), pg.epochs_to_converge(full.test_loss, threshold)
        )
    converged = pg.epochs_to_converge(full.test_loss, 0.05)
    assert (converged > 0).sum() >= 6 and (converged == -1).any()  # both kinds are exercised
    for i, epoch in enumerate(converged):
        stop = epoch if epoch >= 0 else 150
        np.testing.assert_allclose(fast.test_loss[i, : stop + 1], full.test_loss[i, : stop + 1], rtol=1e-12)
        assert np.isnan(fast.test_loss[i, stop + 1 :]).all() and np.isnan(fast.train_loss[i, stop + 1 :]).all()
    # A retired seed keeps the parameters of the epoch it stopped at.
    i = int(np.argmax(converged))
    alone = pg.train_networks("tanh", [i], int(converged[i]))
    for a, b in zip(fast.final.weights + fast.final.biases, alone.final.weights + alone.final.biases):
        np.testing.assert_allclose(a[i], b[0], rtol=1e-12, atol=1e-15)
    np.testing.assert_array_equal(fast.runs.initial.weights[0], full.runs.initial.weights[0])  # not mutated


def test_stop_below_rejects_what_it_cannot_do_exactly():
    with pytest.raises(ValueError, match="divides the training set"):
        pg.train_networks("relu", [0], 5, batch_size=7, stop_below=0.05)
    with pytest.raises(ValueError, match="snapshot_epochs"):
        pg.train_networks("relu", [0], 5, snapshot_epochs=[2], stop_below=0.05)
    with pytest.raises(ValueError):
        pg.train_networks("relu", [0], 5, stop_below=0.0)


@pytest.fixture(scope="module")
def two_seeds():
    return pg.train_networks("relu", [0, 1], 2)


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda r: pg.forward(r.final, np.zeros((3, 2)) + 1j, "relu"), TypeError, "points must hold real numbers"),
        (lambda r: pg.forward(r.final, np.full((3, 2), "1"), "relu"), TypeError, "points must hold real numbers"),
        (lambda r: pg.mean_loss(r.final, np.zeros((3, 2)), np.zeros(3) + 1j, "relu"), TypeError, "labels"),
        (lambda r: pg.mean_loss(r.final, np.zeros((3, 2)), np.zeros(4), "relu"), ValueError, "labels"),
        (lambda r: pg.gradients(r.final, np.zeros((0, 2)), np.zeros(0), "relu"), ValueError, "points is empty"),
        (lambda r: r.decision_function(np.zeros((3, 2)), seed_index=1.5), TypeError, "seed_index"),
        (lambda r: r.decision_function(np.zeros((3, 2)), seed_index=2), IndexError, "seed_index"),
    ],
)
def test_engine_functions_refuse_bad_input_by_name(two_seeds, call, error, message):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a ComplexWarning is not an answer
        with pytest.raises(error, match=message):
            call(two_seeds)


@pytest.mark.parametrize(
    "settings, error",
    [
        (dict(batch_size=0), ValueError),
        (dict(batchsize=10), TypeError),
        (dict(snapshot_epochs=[5000]), ValueError),
        (dict(stop_below=0.05, snapshot_epochs=[3]), ValueError),
        (dict(learning_rate="fast"), TypeError),
    ],
)
def test_compare_activations_checks_every_setting_before_starting_a_process(settings, error):
    started = time.perf_counter()
    with pytest.raises(error):
        pg.compare_activations(["relu", "tanh"], range(4), 10, workers=2, **settings)
    assert time.perf_counter() - started < 0.5  # a spawned worker takes about a second to start


INTERRUPTED = """
import signal
from helpers import playground
# As a Jupyter kernel does, and needed where the test itself runs with SIGINT ignored (a background job):
signal.signal(signal.SIGINT, signal.default_int_handler)
print("training", flush=True)
try:
    playground.compare_activations(["sigmoid", "tanh", "relu", "leaky_relu"], range(200), 2000, workers=2)
except KeyboardInterrupt:
    print("interrupted", flush=True)
"""


def test_compare_activations_stops_promptly_when_interrupted():
    """JupyterLab's stop button sends SIGINT to the kernel: the workers must
    stop too, at once, not after the queued work (about a minute here)."""
    with subprocess.Popen([sys.executable, "-c", INTERRUPTED], stdout=subprocess.PIPE, text=True) as process:
        assert process.stdout.readline() == "training\n"
        time.sleep(3)  # the workers are up and training
        process.send_signal(signal.SIGINT)
        interrupted = time.perf_counter()
        output = process.stdout.read()
        process.wait(timeout=60)
    assert output == "interrupted\n"
    assert time.perf_counter() - interrupted < 5


def test_an_activation_of_ones_own_trains_like_the_registry_entry_it_copies():
    shifted = dataclasses.replace(activations.REGISTRY["softplus"], name="softplus_minus_ln2",
                                  function=lambda x: activations.softplus(x) - np.log(2))  # fmt: skip
    same = dataclasses.replace(activations.REGISTRY["softplus"], name="copy")
    np.testing.assert_array_equal(
        pg.train_networks(same, [1, 2], 4).test_loss, pg.train_networks("softplus", [1, 2], 4).test_loss
    )
    moved = pg.train_networks(shifted, [1, 2], 4)
    assert moved.activation is shifted and not np.array_equal(
        moved.test_loss, pg.train_networks(same, [1, 2], 4).test_loss
    )
    assert pg.train_many({"own": (shifted, [1], 2, {})})["own"].activation is shifted
    with pytest.raises(TypeError, match="workers=1"):
        pg.train_many({"own": (shifted, [1], 2, {}), "relu": ("relu", [1], 2, {})}, workers=2)


def test_train_many_leaves_no_helper_process_running():
    """A fork server or resource tracker left running would hold up a Jupyter kernel's shutdown."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        pytest.skip("no fork server on this platform (Windows): the pool spawns its workers")
    from multiprocessing import forkserver, resource_tracker

    pg.train_many({"relu": ("relu", [0], 1, {}), "tanh": ("tanh", [0], 1, {})}, workers=2)
    assert forkserver._forkserver._forkserver_pid is None
    assert resource_tracker._resource_tracker._pid is None
