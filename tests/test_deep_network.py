"""Unit tests of helpers.deep_network: initialisation, forward pass, backpropagation."""

import dataclasses
import warnings

import numpy as np
import pytest

from helpers import activations as act
from helpers import deep_network as dn
from helpers import playground
from helpers.activations import REGISTRY


def test_initialisation_schemes_have_the_papers_variances():
    rng = np.random.default_rng(0)
    n_in, n_out = 400, 300
    glorot, he, lecun = (dn.initial_weights(rng, [n_in, n_out], s)[0] for s in ("glorot", "he", "lecun"))
    bound = np.sqrt(6 / (n_in + n_out))
    assert glorot.shape == (n_in, n_out) and np.abs(glorot).max() <= bound
    assert glorot.var() == pytest.approx(2 / (n_in + n_out), rel=0.02)
    assert he.var() == pytest.approx(2 / n_in, rel=0.02) and lecun.var() == pytest.approx(1 / n_in, rel=0.02)
    assert abs(he.mean()) < 0.01 and abs(glorot.mean()) < 0.01


def test_initialisation_is_seeded_and_shapes_chain():
    a = dn.initial_weights(np.random.default_rng(7), [5, 4, 3, 2], "he")
    b = dn.initial_weights(np.random.default_rng(7), [5, 4, 3, 2], "he")
    assert [w.shape for w in a] == [(5, 4), (4, 3), (3, 2)]
    assert all(np.array_equal(x, y) for x, y in zip(a, b))


@pytest.mark.parametrize(
    "call, error",
    [
        (lambda: dn.initial_weights(np.random.default_rng(0), [3, 3], "xavier"), ValueError),
        (lambda: dn.initial_weights(np.random.default_rng(0), [3, 3], None), TypeError),
        (lambda: dn.initial_weights(0, [3, 3], "he"), TypeError),
        (lambda: dn.initial_weights(np.random.default_rng(0), [3], "he"), ValueError),
        (lambda: dn.initial_weights(np.random.default_rng(0), [3, 0], "he"), ValueError),
        (lambda: dn.initial_weights(np.random.default_rng(0), [3, 2.5], "he"), TypeError),
        (lambda: dn.initial_weights(np.random.default_rng(0), "33", "he"), TypeError),
        (lambda: dn.forward_backward([np.ones((2, 2))], np.ones((3, 2)), "swishy"), ValueError),
        (lambda: dn.forward_backward([np.ones((2, 2))], np.ones((3, 2)), "sigmoid_derivative"), ValueError),
        (lambda: dn.forward_backward([np.ones((2, 2))], np.ones((3, 2)), "SELU_ALPHA"), ValueError),
        (lambda: dn.forward_backward([np.ones((2, 2))], np.ones((3, 2)), "swish"), ValueError),
        (lambda: dn.forward_backward([np.ones((2, 2))], np.ones((3, 2)), act.tanh), TypeError),
        (lambda: dn.forward_backward([np.ones((2, 2))], np.ones((3, 3)), "tanh"), ValueError),
        (lambda: dn.forward_backward([np.ones((2, 2)), np.ones((3, 2))], np.ones((3, 2)), "tanh"), ValueError),
        (lambda: dn.forward_backward([], np.ones((3, 2)), "tanh"), ValueError),
        (lambda: dn.forward_backward([np.ones((2, 2))], np.ones((3, 2)), "tanh", biases=[np.ones(3)]), ValueError),
        (lambda: dn.network_at_initialisation("tanh", "he", depth=0), ValueError),
        (lambda: dn.network_at_initialisation("tanh", "he", width=2.0), TypeError),
        (lambda: dn.network_at_initialisation("tanh", "he", seed=None), TypeError),  # would not be reproducible
        (lambda: dn.network_at_initialisation("tanh", "he", seed=-1), ValueError),
        (lambda: dn.forward_backward([np.ones((2, 2)) + 1j], np.ones((3, 2)), "tanh"), TypeError),
        (lambda: dn.forward_backward([np.ones((2, 2))], np.ones((3, 2)) + 1j, "tanh"), TypeError),
        (lambda: dn.forward_backward([np.ones((2, 2))], np.full((3, 2), "1"), "tanh"), TypeError),
        (lambda: dn.forward_backward([np.ones((2, 2))], np.ones((3, 2)), "tanh", biases=[["1", "2"]]), TypeError),
    ],
)
def test_bad_arguments_raise(call, error):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a ComplexWarning is not an answer
        with pytest.raises(error):
            call()


def test_an_unknown_activation_is_named_with_the_known_ones():
    with pytest.raises(ValueError, match="unknown activation 'swishy'; known: " + ", ".join(REGISTRY)):
        dn.forward_backward([np.ones((2, 2))], np.ones((3, 2)), "swishy")


def loss(weights, biases, inputs, activation):
    """The loss the module backpropagates: mean over the batch of the sum of the outputs."""
    h = inputs
    for w, b in zip(weights, biases):
        h = REGISTRY[activation].function(h @ w + b)
    return h.sum() / inputs.shape[0]


@pytest.mark.parametrize("activation", list(REGISTRY))
def test_every_registered_activation_is_used_with_its_derivative(activation):
    p = dn.network_at_initialisation(activation, "lecun", depth=3, width=5, batch=7, seed=4)
    entry = REGISTRY[activation]
    for z, h, slope in zip(p.pre_activations, p.activations, p.slopes):
        np.testing.assert_array_equal(h, entry.function(z))
        np.testing.assert_array_equal(slope, entry.derivative(z))


@pytest.mark.parametrize("activation", list(REGISTRY))
def test_gradients_agree_with_central_finite_differences(activation):
    rng = np.random.default_rng(3)
    sizes = [4, 5, 3, 2]
    weights = dn.initial_weights(rng, sizes, "he")
    biases = [rng.normal(0, 0.3, n) for n in sizes[1:]]
    inputs = rng.standard_normal((6, 4))
    result = dn.forward_backward(weights, inputs, activation, biases)
    h = 1e-6
    for layer, (w, b) in enumerate(zip(weights, biases)):
        for parameter, gradient in ((w, result.weight_gradients[layer]), (b, result.bias_gradients[layer])):
            numeric = np.zeros_like(parameter)
            for index in np.ndindex(parameter.shape):
                saved = parameter[index]
                parameter[index] = saved + h
                up = loss(weights, biases, inputs, activation)
                parameter[index] = saved - h
                down = loss(weights, biases, inputs, activation)
                parameter[index] = saved
                numeric[index] = (up - down) / (2 * h)
            np.testing.assert_allclose(gradient, numeric, rtol=1e-6, atol=1e-8)


def test_forward_pass_records_every_layer():
    p = dn.network_at_initialisation("tanh", "glorot", depth=4, width=8, batch=16, seed=1)
    assert p.depth == 4 and len(p.pre_activations) == len(p.activations) == len(p.slopes) == 4
    assert all(z.shape == (16, 8) for z in p.pre_activations)
    np.testing.assert_array_equal(p.activations[2], np.tanh(p.pre_activations[2]))
    np.testing.assert_array_equal(p.slopes[0], act.tanh_derivative(p.pre_activations[0]))
    np.testing.assert_allclose(p.pre_activations[1], p.activations[0] @ p.weights[1])
    assert p.gradient_norms().shape == (4,) and p.delta_norms().shape == (4,)


def test_the_activation_is_read_from_the_registry_at_each_call(monkeypatch):
    """tests/variants/sitecustomize.py nudges tanh by replacing its REGISTRY entry after import."""
    doubled = dataclasses.replace(REGISTRY["tanh"], function=lambda x: 2 * np.tanh(x))
    monkeypatch.setitem(REGISTRY, "tanh", doubled)
    p = dn.network_at_initialisation("tanh", "he", depth=2, width=3, batch=4, seed=5)
    np.testing.assert_array_equal(p.activations[0], 2 * np.tanh(p.pre_activations[0]))


def test_network_at_initialisation_draws_through_initial_weights(monkeypatch):
    """tests/variants/sitecustomize.py nudges the weights by replacing dn.initial_weights."""
    drawn = dn.initial_weights
    monkeypatch.setattr(dn, "initial_weights", lambda *args: [2 * w for w in drawn(*args)])
    doubled = dn.network_at_initialisation("tanh", "he", depth=2, width=3, batch=4, seed=5)
    monkeypatch.undo()
    plain = dn.network_at_initialisation("tanh", "he", depth=2, width=3, batch=4, seed=5)
    assert all(np.array_equal(d, 2 * p) for d, p in zip(doubled.weights, plain.weights))


def test_paired_inputs_and_weights_across_activations():
    a = dn.network_at_initialisation("relu", "he", depth=3, width=6, batch=5, seed=11)
    b = dn.network_at_initialisation("sigmoid", "he", depth=3, width=6, batch=5, seed=11)
    assert np.array_equal(a.inputs, b.inputs) and all(np.array_equal(x, y) for x, y in zip(a.weights, b.weights))


def test_sigmoid_gradients_vanish_and_he_relu_gradients_do_not():
    """The effect notebook 08 measures, on a smaller network (seeded)."""
    sigmoid = dn.network_at_initialisation("sigmoid", "glorot", depth=10, width=50, batch=200, seed=0).delta_norms()
    relu = dn.network_at_initialisation("relu", "he", depth=10, width=50, batch=200, seed=0).delta_norms()
    assert sigmoid[0] / sigmoid[-1] < 1e-4
    assert 0.2 < relu[0] / relu[-1] < 10
    # Each sigmoid layer multiplies by slopes of at most 1/4: the slopes of
    # ten layers along any path multiply to at most 4**-10.
    p = dn.network_at_initialisation("sigmoid", "glorot", depth=10, width=50, batch=200, seed=0)
    path = np.prod([s[:, 0] for s in p.slopes], axis=0)
    assert path.max() <= 0.25**10


# dn.train: full-batch gradient descent on the logistic loss (notebook 08, sections 5 and 6).


def logistic_loss(weights, biases, points, labels, activation, residual, offsets=None):
    """The loss dn.train descends, written independently on the pre-activations: z_1 = x W_1 + b_1, then
    z_l = f(z_{l-1}) W_l + b_l (+ z_{l-1} between hidden layers if residual), the output o = z_{depth+1}.
    ``offsets``, one array per layer, are added to each z_l: the loss's gradient with respect to them is dL/dz_l."""
    f = REGISTRY[activation].function
    offsets = [0.0] * len(weights) if offsets is None else offsets
    z = points @ weights[0] + biases[0] + offsets[0]
    for w, b, e in zip(weights[1:-1], biases[1:-1], offsets[1:-1]):
        z = f(z) @ w + b + (z if residual else 0) + e
    o = (f(z) @ weights[-1] + biases[-1] + offsets[-1])[:, 0]
    return np.mean(np.log1p(np.exp(-labels * o)))


def small_problem():
    rng = np.random.default_rng(8)
    points = rng.standard_normal((6, 2))
    return points, np.array([1.0, -1.0, 1.0, 1.0, -1.0, -1.0])


def numerical_gradient(function, arrays, h=1e-6):
    """Central differences of function() with respect to every entry of every array (changed in place)."""
    gradients = []
    for array in arrays:
        gradient = np.zeros_like(array)
        for index in np.ndindex(array.shape):
            saved = array[index]
            array[index] = saved + h
            up = function()
            array[index] = saved - h
            down = function()
            array[index] = saved
            gradient[index] = (up - down) / (2 * h)
        gradients.append(gradient)
    return gradients


@pytest.mark.parametrize(
    "activation, residual",  # not ReLU: when a whole layer is off for an example, its next z sits on the kink
    [("sigmoid", False), ("sigmoid", True), ("tanh", True), ("gelu", False)],
)
def test_a_training_step_follows_the_finite_difference_gradient(activation, residual):
    points, labels = small_problem()
    rate = 0.1
    run = dn.train(activation, points, labels, [4, 9], depth=3, width=4, steps=1, learning_rate=rate, residual=residual)
    for seed in range(2):
        weights = [w[seed].copy() for w in run.initial]
        biases = [np.zeros(w.shape[1]) for w in weights]

        def loss(weights=weights, biases=biases):
            return logistic_loss(weights, biases, points, labels, activation, residual)

        assert run.losses[seed, 0] == pytest.approx(loss(), rel=1e-12)
        weight_gradients = numerical_gradient(loss, weights)
        bias_gradients = numerical_gradient(loss, biases)
        for w0, w1, gradient in zip(run.initial, run.final, weight_gradients):
            np.testing.assert_allclose((w0[seed] - w1[seed]) / rate, gradient, rtol=1e-5, atol=1e-9)
        np.testing.assert_allclose(
            run.gradient_norms[seed, 0], [np.linalg.norm(g) for g in weight_gradients], rtol=1e-5, atol=1e-9
        )
        offsets = [np.zeros((len(points), w.shape[1])) for w in weights]

        def offset_loss(weights=weights, biases=biases, offsets=offsets):
            return logistic_loss(weights, biases, points, labels, activation, residual, offsets)

        deltas = numerical_gradient(offset_loss, offsets)
        np.testing.assert_allclose(run.delta_norms[seed, 0], [np.sqrt(np.mean(d**2)) for d in deltas], rtol=1e-5)
        # The loss after the step needs the biases' step too: this checks dL/db.
        after = [w[seed] for w in run.final], [-rate * g for g in bias_gradients]
        assert run.losses[seed, 1] == pytest.approx(
            logistic_loss(*after, points, labels, activation, residual), rel=1e-8
        )


def test_training_is_deterministic_and_each_seed_trains_alone():
    points, labels = small_problem()
    settings = dict(depth=2, width=3, steps=5, learning_rate=0.5)
    both = dn.train("tanh", points, labels, [3, 5], **settings)
    again = dn.train("tanh", points, labels, [3, 5], **settings)
    alone = dn.train("tanh", points, labels, [5], **settings)
    assert np.array_equal(both.losses, again.losses) and np.array_equal(both.gradient_norms, again.gradient_norms)
    np.testing.assert_allclose(both.losses[1], alone.losses[0], rtol=1e-13)
    np.testing.assert_allclose(both.weight_changes()[1], alone.weight_changes()[0], rtol=1e-10)
    assert both.losses.shape == (2, 6) and both.gradient_norms.shape == both.delta_norms.shape == (2, 5, 3)
    assert both.weight_changes().shape == (2, 3) and np.all(both.weight_changes() > 0)
    first = dn.initial_weights(np.random.default_rng(3), [2, 3, 3, 1], "glorot")
    assert all(np.array_equal(a[0], b) for a, b in zip(both.initial, first))


def test_the_recorded_forward_pass_gives_the_recorded_losses():
    """Training.pre_activations is train's own forward pass: at the start and at the end it gives the
    first and the last loss, and its hidden layers are those of the network written out by hand."""
    points, labels = small_problem()
    for residual in (False, True):
        run = dn.train("tanh", points, labels, [2, 7], depth=3, width=4, steps=3, learning_rate=0.3, residual=residual)
        assert run.activation == "tanh" and run.residual is residual and len(run.final_biases) == 4
        for at, step in (("start", 0), ("end", -1)):
            output = run.pre_activations(points, at=at)[-1][..., 0]
            np.testing.assert_allclose(
                np.mean(np.logaddexp(0.0, -labels * output), axis=1), run.losses[:, step], rtol=1e-13
            )
        z = points @ run.initial[0][1]
        for w in run.initial[1:-1]:
            z = np.tanh(z) @ w[1] + (z if residual else 0)
        np.testing.assert_allclose(run.pre_activations(points)[-2][1], z, rtol=1e-13)
    with pytest.raises(ValueError):
        run.pre_activations(points, at="middle")


def test_training_draws_through_initial_weights(monkeypatch):
    """tests/variants/sitecustomize.py nudges the weights by replacing dn.initial_weights."""
    points, labels = small_problem()
    drawn = dn.initial_weights
    monkeypatch.setattr(dn, "initial_weights", lambda *args: [2 * w for w in drawn(*args)])
    doubled = dn.train("relu", points, labels, [1], depth=2, width=3, steps=1, learning_rate=0.1)
    assert np.array_equal(doubled.initial[0][0], 2 * drawn(np.random.default_rng(1), [2, 3, 3, 1], "glorot")[0])


def test_a_deep_sigmoid_network_stalls_and_residual_connections_let_it_learn():
    """The effect notebook 08 measures, with fewer seeds and steps."""
    points, labels = playground.make_circle_data(np.random.default_rng(0), 100)
    settings = dict(depth=10, width=16, steps=150, learning_rate=1.0)
    plain = dn.train("sigmoid", points, labels, [0, 1], **settings)
    residual = dn.train("sigmoid", points, labels, [0, 1], residual=True, **settings)
    assert np.all(np.abs(plain.losses[:, -1] - np.log(2)) < 1e-3)  # a constant prediction of 1/2
    assert np.all(plain.weight_changes()[:, 0] < 1e-4) and np.all(plain.weight_changes()[:, -1] > 1e-2)
    assert np.all(residual.losses[:, -1] < 0.3) and np.all(residual.weight_changes()[:, 0] > 0.1)


@pytest.mark.parametrize(
    "change, error",
    [
        (dict(labels=np.array([1.0, 0.0, 1.0, 1.0, 0.0, 0.0])), ValueError),  # 0/1 labels: the loss wants +-1
        (dict(labels=np.ones(5)), ValueError),
        (dict(labels=np.full(6, np.nan)), ValueError),
        (dict(points=np.ones(6)), ValueError),
        (dict(points=np.ones((6, 2)) + 1j), TypeError),
        (dict(seeds=[]), ValueError),
        (dict(seeds=[-1]), ValueError),
        (dict(seeds=None), TypeError),
        (dict(steps=0), ValueError),
        (dict(depth=2.5), TypeError),
        (dict(learning_rate=0.0), ValueError),
        (dict(learning_rate=np.nan), ValueError),
        (dict(activation="swishy"), ValueError),
        (dict(scheme="xavier"), ValueError),
    ],
)
def test_training_rejects_bad_arguments(change, error):
    points, labels = small_problem()
    arguments = dict(activation="tanh", points=points, labels=labels, seeds=[0], depth=2, width=3, steps=2)
    arguments |= dict(learning_rate=0.1) | change
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(error):
            dn.train(**arguments)
