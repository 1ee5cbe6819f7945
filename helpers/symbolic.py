"""SymPy expressions of the activations and machine-checked derivations.

A :class:`Derivation` is a chain ``lhs = e0 = e1 = ... = en``: each step is an
expression plus the rule that justifies it (``"chain rule"``,
``"quotient rule"``, ...). Every new step is checked by SymPy to equal the one
before it, so a wrong step stops the notebook with a :class:`DerivationError`
that names it. In Jupyter a derivation renders as aligned LaTeX with each rule
beside its line; ``print`` gives a readable plain-text version.

Rules may contain maths between dollar signs (``"chain rule, $u = 1 + e^{-x}$"``):
it is typeset in LaTeX and shown as written in plain text.

This module stands alone: it imports nothing else from ``helpers``.
"""

import contextlib
import functools
import signal
import threading
from dataclasses import dataclass

import sympy as sp
from sympy.core.function import AppliedUndef

x = sp.Symbol("x", real=True)
"""The real variable every expression here is written in."""


def _symbolic(expression_of):
    """Let an expression builder take numbers too: ``softsign(1)`` is ``1/2``,
    computed exactly, not a Python division by zero in an unused branch."""

    @functools.wraps(expression_of)
    def build(x=x, *args, **kwargs):
        try:
            x = sp.sympify(x, strict=True)
        except sp.SympifyError:
            raise TypeError(f"{expression_of.__name__} takes a SymPy expression or a number, got {x!r}") from None
        return expression_of(x, *args, **kwargs)

    return build


@_symbolic
def sigmoid(x=x):
    """The logistic sigmoid ``1 / (1 + e^(-x))``."""
    return 1 / (1 + sp.exp(-x))


@_symbolic
def tanh(x=x):
    """tanh written through exponentials, ``(e^x - e^(-x)) / (e^x + e^(-x))``."""
    return (sp.exp(x) - sp.exp(-x)) / (sp.exp(x) + sp.exp(-x))


@_symbolic
def relu(x=x):
    """ReLU as a piecewise expression: 0 for x <= 0, x otherwise."""
    return sp.Piecewise((0, x <= 0), (x, True))


@_symbolic
def leaky_relu(x=x, alpha=sp.Rational(1, 100)):
    """Leaky ReLU as a piecewise expression: ``alpha x`` for x <= 0, x otherwise."""
    return sp.Piecewise((alpha * x, x <= 0), (x, True))


SAMPLE_POINTS = tuple(sp.Rational(n, 10) for n in (-37, -21, -7, 0, 4, 13, 29, 41))
"""Where a claimed equality is first tested numerically (kinks at 0 included)."""

TIME_LIMIT = 20.0
"""Seconds SymPy may spend trying to prove one equality (where a timer is available)."""


class _OutOfTime(Exception):
    pass


@contextlib.contextmanager
def _time_limit(seconds):
    """Raise :class:`_OutOfTime` inside the block after ``seconds``. Only the main
    thread of a POSIX process has the timer; elsewhere the block runs unlimited."""
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def expire(signum, frame):
        raise _OutOfTime

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _check_exact(expression, what):
    """Refuse floating-point constants: ``1e-20*x`` is not ``0``, yet SymPy's
    float arithmetic may say so, and ``-1.0*x`` may defeat a proof."""
    floats = sorted(expression.atoms(sp.Float), key=abs)
    if floats:
        raise ValueError(
            f"{what} contains the floating-point number {floats[0]}: write exact numbers, "
            "e.g. sp.Rational(1, 100) or '1/100' instead of 0.01"
        )


def _counterexample(a, b):
    """A point of :data:`SAMPLE_POINTS` (for ``x``; other symbols get fixed
    values) where ``a`` and ``b`` (evaluated, see ``doit``) are different
    real numbers, or None."""
    difference = a - b
    if difference.atoms(AppliedUndef):
        return None  # an undefined function has no value to compare
    symbols = sorted(difference.free_symbols - {x}, key=str)
    for k, value in enumerate(SAMPLE_POINTS):
        point = {x: value} | {s: sp.Rational(3 + 2 * k + i, 10) for i, s in enumerate(symbols)}
        va, vb = (sp.N(e.subs(point), 30) for e in (a, b))
        if not all(v.is_Number and v.is_finite for v in (va, vb)):
            continue  # no real value here (a pole, a complex value, an unevaluated part): try the next
        if abs(va - vb) > sp.Float("1e-20") * max(1, abs(va), abs(vb)):
            return point
    return None


def compare(a, b, *, time_limit=TIME_LIMIT):
    """Whether ``a == b``: ``("proved", "")``, ``("differs", where)`` with a
    counterexample, or ``("unproved", why)`` when SymPy found neither a proof
    nor a counterexample (within ``time_limit`` seconds).

    A counterexample is looked for first, at :data:`SAMPLE_POINTS`; then the
    difference is tried as it is, simplified, rewritten in exponentials, and
    as a piecewise expression, since ``simplify`` alone misses some
    hyperbolic and Heaviside identities.
    """
    a, b = sp.sympify(a), sp.sympify(b)
    for expression, what in ((a, "the left side"), (b, "the right side")):
        _check_exact(expression, what)
    a, b = a.doit(), b.doit()
    point = _counterexample(a, b)
    if point is not None:
        return "differs", ", ".join(f"{k} = {v}" for k, v in point.items())
    difference = a - b
    attempts = (
        lambda d: d,
        sp.simplify,
        lambda d: sp.simplify(d.rewrite(sp.exp)),
        lambda d: sp.simplify(sp.piecewise_fold(d.rewrite(sp.Piecewise))),
    )
    try:
        with _time_limit(time_limit):
            if any(attempt(difference) == 0 for attempt in attempts):
                return "proved", ""
    except _OutOfTime:
        return "unproved", f"SymPy gave up after {time_limit:g} s"
    return "unproved", "SymPy's simplifications did not reduce the difference to 0"


def are_equal(a, b):
    """Whether SymPy can prove ``a == b`` (unevaluated parts are evaluated first).

    ``True`` is a proof. ``False`` means no proof was found: either the two
    differ somewhere (:func:`compare` names the point) or SymPy could not
    decide. Floating-point constants raise ``ValueError``: use exact numbers.
    """
    return compare(a, b)[0] == "proved"


def _latex(expression):
    """LaTeX with terms in the order written (not SymPy's canonical order),
    so an unevaluated textbook step reads as the textbook writes it."""
    return sp.latex(expression, order="none")


def _text(expression):
    """Plain text with terms in the order written (see ``_latex``)."""
    return sp.sstr(expression, order="none")


class DerivationError(AssertionError):
    """A step of a derivation does not follow from the step before it."""


@dataclass(frozen=True)
class Step:
    """One line of a derivation: an expression and the rule that gives it."""

    expression: sp.Expr
    rule: str


def _latex_rule(rule):
    """Typeset a rule: plain words in ``\\text{}``, ``$...$`` parts as maths."""
    parts = rule.split("$")
    if len(parts) % 2 == 0:
        raise ValueError(f"unbalanced '$' in rule {rule!r}")
    special = str.maketrans({c: "\\" + c for c in "&%#_{}"})
    return " ".join(
        part if is_math else rf"\text{{{part.translate(special)}}}"
        for is_math, part in ((i % 2 == 1, p) for i, p in enumerate(parts))
        if part
    )


class Derivation:
    """A derivation whose every step SymPy has checked.

    >>> y = sp.Function("y")(x)
    >>> d = Derivation(y, 2 * (x + 1), "definition", definitions={y: 2 * (x + 1)})
    >>> d.step(2 * x + 2, "distributive law").result
    2*x + 2

    ``lhs`` is what is being derived (shown before the first ``=``), ``start``
    the first expression and ``rule`` what justifies it. ``definitions`` maps
    names used in the steps (such as ``sigma(x)``) to their expressions; they
    are substituted before each check, so a line may be written in terms of
    them. The start is checked against ``lhs`` too, so every ``=`` is proved.
    """

    def __init__(self, lhs, start, rule, definitions=None):
        self.lhs = sp.sympify(lhs)
        _check_exact(self.lhs, "the left-hand side")
        if definitions is None:
            definitions = {}
        if not isinstance(definitions, dict):
            raise TypeError(f"definitions must be a dict such as {{sigma(x): 1/(1 + exp(-x))}}, got {definitions!r}")
        self.definitions = {sp.sympify(k): sp.sympify(v) for k, v in definitions.items()}
        variables = {x}.union(*(value.free_symbols for value in self.definitions.values()))
        for name, value in self.definitions.items():
            if name in variables:
                raise ValueError(
                    f"definitions name stand-ins such as sigma(x) or s, not a variable: "
                    f"{name} -> {value} would change what is derived"
                )
            _check_exact(value, f"the definition of {name}")
        self.steps = []
        self._check_and_append(sp.sympify(start), rule, self.lhs)

    def step(self, expression, rule):
        """Append ``expression`` justified by ``rule``, checking it first.

        Raises :class:`DerivationError` naming the step (counted from 1, the
        starting expression) if SymPy cannot show that it equals the previous
        step; the derivation is left unchanged. Returns the derivation, so steps can be chained.
        """
        self._check_and_append(sp.sympify(expression), rule, self.steps[-1].expression)
        return self

    def _check_and_append(self, expression, rule, previous):
        if not isinstance(rule, str):
            raise TypeError(f"a rule must be text such as 'chain rule', got {rule!r}")
        _latex_rule(rule)  # reject a malformed rule before anything is recorded
        number = len(self.steps) + 1
        _check_exact(expression, f"step {number}")
        verdict, detail = compare(previous.subs(self.definitions), expression.subs(self.definitions))
        if verdict != "proved":
            before = f"step {number - 1}" if self.steps else "the left-hand side"
            relation = f"differs from {_text(previous)} at {detail}" if verdict == "differs" else (
                f"could not be proved equal to {_text(previous)} ({detail}; no counterexample found)"
            )
            raise DerivationError(
                f"step {number} ({rule.replace('$', '')}) does not follow from {before}: {_text(expression)} {relation}"
            )
        self.steps.append(Step(expression, rule))

    @property
    def result(self):
        """The last expression reached."""
        return self.steps[-1].expression

    def _repr_latex_(self):
        lines = [
            rf"{_latex(self.lhs) if i == 0 else ''} &= {_latex(s.expression)}"
            rf" && {_latex_rule(s.rule)}"
            for i, s in enumerate(self.steps)
        ]
        return "$$\\begin{aligned}\n" + " \\\\\n".join(lines) + "\n\\end{aligned}$$"

    def __str__(self):
        lhs = _text(self.lhs)
        rows = [
            (lhs if i == 0 else " " * len(lhs), _text(s.expression), s.rule.replace("$", ""))
            for i, s in enumerate(self.steps)
        ]
        width = max(len(expression) for _, expression, _ in rows)
        return "\n".join(
            f"{left} = {expression:<{width}}   [{rule}]" for left, expression, rule in rows
        )

    def _repr_pretty_(self, printer, cycle):
        printer.text(str(self))

    def __repr__(self):
        return f"<Derivation of {_text(self.lhs)}: {len(self.steps)} checked steps>"


# ---------------------------------------------------------------------------
# The modern activations (notebook 06). Piecewise ones list their x <= ...
# branches first, so that sp.diff at a kink gives the left-hand slope, the
# convention of helpers.activations.
# ---------------------------------------------------------------------------

SELU_ALPHA = sp.Rational("1.6732632423543772848170429916717")
"""SELU's alpha (Klambauer et al., 2017), the published decimal as an exact rational."""
SELU_SCALE = sp.Rational("1.0507009873554804934193349852946")
"""SELU's scale lambda (Klambauer et al., 2017), the published decimal as an exact rational."""
GELU_TANH_COEFFICIENT = sp.Rational("0.044715")
"""The cubic coefficient of GELU's tanh approximation (Hendrycks & Gimpel, 2016)."""


@_symbolic
def elu(x=x, alpha=sp.Integer(1)):
    """ELU: ``alpha (e^x - 1)`` for x <= 0, x otherwise."""
    return sp.Piecewise((alpha * (sp.exp(x) - 1), x <= 0), (x, True))


@_symbolic
def selu(x=x, alpha=SELU_ALPHA, scale=SELU_SCALE):
    """SELU: ``scale * alpha (e^x - 1)`` for x <= 0, ``scale * x`` otherwise."""
    return sp.Piecewise((scale * alpha * (sp.exp(x) - 1), x <= 0), (scale * x, True))


@_symbolic
def gelu(x=x):
    """GELU, exact: ``x Phi(x) = x (1 + erf(x / sqrt 2)) / 2``."""
    return x * (1 + sp.erf(x / sp.sqrt(2))) / 2


@_symbolic
def gelu_tanh(x=x):
    """GELU's tanh approximation, ``x/2 (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))``."""
    return x / 2 * (1 + sp.tanh(sp.sqrt(2 / sp.pi) * (x + GELU_TANH_COEFFICIENT * x**3)))


@_symbolic
def silu(x=x):
    """SiLU (Swish with beta = 1): ``x sigma(x) = x / (1 + e^(-x))``."""
    return x / (1 + sp.exp(-x))


@_symbolic
def softplus(x=x):
    """Softplus, ``log(1 + e^x)``."""
    return sp.log(1 + sp.exp(x))


@_symbolic
def mish(x=x):
    """Mish, ``x tanh(softplus(x))``."""
    return x * sp.tanh(softplus(x))


@_symbolic
def softsign(x=x):
    """Softsign ``x / (1 + |x|)``, as a piecewise expression: ``x / (1 - x)``
    for x <= 0, ``x / (1 + x)`` otherwise."""
    return sp.Piecewise((x / (1 - x), x <= 0), (x / (1 + x), True))


@_symbolic
def hard_sigmoid(x=x):
    """Hard sigmoid ``relu6(x + 3) / 6``: 0 for x <= -3, ``x/6 + 1/2`` for x <= 3, 1 otherwise."""
    return sp.Piecewise((0, x <= -3), (x / 6 + sp.Rational(1, 2), x <= 3), (1, True))


@_symbolic
def hard_swish(x=x):
    """Hard swish ``x relu6(x + 3) / 6``: 0 for x <= -3, ``x (x + 3) / 6`` for x <= 3, x otherwise."""
    return sp.Piecewise((0, x <= -3), (x * (x + 3) / 6, x <= 3), (x, True))
