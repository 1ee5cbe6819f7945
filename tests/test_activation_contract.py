"""The contract every public activation of helpers.activations keeps.

What the module docstring promises of *every* function, classic and modern,
tested in one place: array-likes and scalars in, NumPy arrays out; a float
dtype is kept (NumPy scalars too), integers and booleans become float64; NaN
propagates; non-numeric input raises TypeError. Values, limits, kinks and
accuracy are tested per function in test_activations.py (classic) and
test_modern_activations.py (modern).
"""

import functools

import numpy as np
import pytest

from helpers import activations as act


def gelu_tanh_variant(function):
    variant = functools.partial(function, approximate="tanh")
    variant.__name__ = function.__name__.replace("gelu", "gelu_tanh")
    return variant


PUBLIC = [getattr(act, name) for name in act.__all__ if callable(getattr(act, name))]
EVERY = PUBLIC + [gelu_tanh_variant(act.gelu), gelu_tanh_variant(act.gelu_derivative)]


def name_of(function):
    return function.__name__


def test_every_public_activation_comes_with_its_derivative():
    names = {name for name in act.__all__ if callable(getattr(act, name))}
    functions = {name for name in names if not name.endswith("_derivative")}
    assert {f"{name}_derivative" for name in functions} == names - functions
    assert {"sigmoid", "tanh", "relu", "leaky_relu", "gelu", "silu", "swish", "mish"} <= functions


@pytest.mark.parametrize("function", EVERY, ids=name_of)
def test_nan_propagates(function):
    y = function(np.array([np.nan, 1.0, -1.0, np.nan]))
    assert np.isnan(y[0]) and np.isnan(y[3]) and np.isfinite(y[1:3]).all()


@pytest.mark.parametrize("function", EVERY, ids=name_of)
@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_float_dtype_is_kept(function, dtype):
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        y = function(np.array([-np.inf, -3, -1, 0, 1, 3, np.finfo(dtype).max], dtype=dtype))
    assert y.dtype == dtype
    assert function(dtype(-0.5)).dtype == dtype  # a NumPy scalar too (NumPy 1.x promotes easily)


@pytest.mark.parametrize("function", EVERY, ids=name_of)
def test_array_likes_and_scalars(function):
    from_list = function([-1, 0, 2])
    assert isinstance(from_list, np.ndarray) and from_list.dtype == np.float64
    np.testing.assert_array_equal(from_list, function(np.array([-1.0, 0.0, 2.0])))
    scalar = function(0.5)
    assert isinstance(scalar, np.ndarray) and scalar.shape == ()
    assert function(np.int32(3)).dtype == np.float64 and function(True).dtype == np.float64
    assert function(np.zeros((2, 3))).shape == (2, 3)
    assert function(np.linspace(-50, 50, 24).reshape(2, 3, 4)).shape == (2, 3, 4)


@pytest.mark.parametrize("function", EVERY, ids=name_of)
@pytest.mark.parametrize("bad", ["1.0", ["a", "b"], None, 1 + 2j, np.array([1j]), {"x": 1}, object()])
def test_non_numeric_input_raises_type_error(function, bad):
    with pytest.raises(TypeError):
        function(bad)
