"""Argument checks shared by the helpers: clear errors that name the argument.

Each check returns the value in the form the caller computes with (a Python
``int`` or ``float``, a float64 array), or raises ``TypeError`` (wrong kind of
value) or ``ValueError`` (right kind, out of range).
"""

import math
import numbers

import numpy as np

__all__ = ["integer", "real", "real_array", "integers"]


def integer(name, value, minimum=None, maximum=None):
    """``value`` as an ``int`` in ``[minimum, maximum]``; booleans are refused."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {value!r}")
    value = int(value)
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be <= {maximum}, got {value}")
    return value


def real(name, value, low=-math.inf, high=math.inf, *, low_open=False, high_open=False):
    """``value`` as a finite ``float`` in the interval from ``low`` to ``high``
    (closed unless ``low_open``/``high_open``); booleans are refused."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {value!r}")
    if low == -math.inf and high == math.inf:
        wanted = "a finite real number"
    else:
        wanted = f"a finite number in {'(' if low_open else '['}{low:g}, {high:g}{')' if high_open else ']'}"
    shown = repr(value) if len(repr(value)) <= 40 else repr(value)[:37] + "..."
    try:
        number = float(value)
    except OverflowError:  # an int or Fraction beyond the float range
        raise ValueError(f"{name} must be {wanted}, got {shown}") from None
    too_low = number <= low if low_open else number < low
    too_high = number >= high if high_open else number > high
    if not math.isfinite(number) or too_low or too_high:
        raise ValueError(f"{name} must be {wanted}, got {shown}")
    return number


def real_array(name, value):
    """``value`` (array-like of real numbers) as a float64 array.

    Complex numbers, strings, objects and dates raise ``TypeError``: NumPy
    would drop an imaginary part with only a warning, and parse numeric strings.
    """
    array = np.asarray(value)
    if array.dtype.kind not in "biuf":
        raise TypeError(f"{name} must hold real numbers, got an array of dtype {array.dtype}")
    return array.astype(np.float64, copy=False)


def integers(name, values, minimum=None, maximum=None):
    """A sequence (not a string) of integers, as a list of ``int`` (it may be empty)."""
    if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
        raise TypeError(f"{name} must be a sequence of integers, got {values!r}")
    values = values.tolist() if isinstance(values, np.ndarray) else list(values)
    return [integer(f"every entry of {name}", v, minimum, maximum) for v in values]
