"""Argument checks shared by the helpers: each returns the value as the caller computes with it, or raises
``TypeError`` (wrong kind; a boolean is never a number) or ``ValueError`` (out of range), naming the argument."""

import math
import numbers

import numpy as np


def _require(name, value, kind, wanted):
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, kind):
        raise TypeError(f"{name} must be {wanted}, got {value!r}")
    return value


def generator(name, value):
    """``value``, a ``numpy.random.Generator``: the helpers draw only from one the caller seeded."""
    return _require(name, value, np.random.Generator, "a numpy.random.Generator (np.random.default_rng(seed))")


def integer(name, value, minimum=None, maximum=None):
    """``value`` as an ``int`` in ``[minimum, maximum]``."""
    value = int(_require(name, value, numbers.Integral, "an integer"))
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be <= {maximum}, got {value}")
    return value


def real(name, value, low=-math.inf, high=math.inf, *, low_open=False, high_open=False):
    """``value`` as a finite ``float`` from ``low`` to ``high`` (closed unless ``low_open``/``high_open``)."""
    try:
        number = float(_require(name, value, numbers.Real, "a real number"))
    except OverflowError:  # an int or Fraction beyond the float range
        number = math.inf
    inside = (low < number if low_open else low <= number) and (number < high if high_open else number <= high)
    if not (math.isfinite(number) and inside):
        interval = f"{'(' if low_open else '['}{low:g}, {high:g}{')' if high_open else ']'}"
        wanted = "a finite real number" if interval == "[-inf, inf]" else f"a finite number in {interval}"
        raise ValueError(f"{name} must be {wanted}, got {value!r:.40}")
    return number


def real_array(name, value):
    """``value`` as a float64 array; complex, text, objects and dates raise ``TypeError`` (NumPy would cast them)."""
    array = np.asarray(value)
    if array.dtype.kind not in "biuf":
        raise TypeError(f"{name} must hold real numbers, got an array of dtype {array.dtype}")
    return array.astype(np.float64, copy=False)


def integers(name, values, minimum=None, maximum=None):
    """A sequence (not a string) of integers, as a list of ``int`` (it may be empty)."""
    if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
        raise TypeError(f"{name} must be a sequence of integers, got {values!r}")
    return [integer(f"every entry of {name}", v, minimum, maximum) for v in values]


def choice(name, value, options):
    """``value`` if it is one of the names ``options``; the errors list them."""
    _require(name, value, str, f"a name (str), one of {', '.join(options)}")
    if value not in options:
        raise ValueError(f"unknown {name} {value!r}; known: {', '.join(options)}")
    return value
