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

from dataclasses import dataclass

import sympy as sp

x = sp.Symbol("x", real=True)
"""The real variable every expression here is written in."""


def sigmoid(x=x):
    """The logistic sigmoid ``1 / (1 + e^(-x))``."""
    return 1 / (1 + sp.exp(-x))


def tanh(x=x):
    """tanh written through exponentials, ``(e^x - e^(-x)) / (e^x + e^(-x))``."""
    return (sp.exp(x) - sp.exp(-x)) / (sp.exp(x) + sp.exp(-x))


def relu(x=x):
    """ReLU as a piecewise expression: 0 for x <= 0, x otherwise."""
    return sp.Piecewise((0, x <= 0), (x, True))


def leaky_relu(x=x, alpha=sp.Rational(1, 100)):
    """Leaky ReLU as a piecewise expression: ``alpha x`` for x <= 0, x otherwise."""
    return sp.Piecewise((alpha * x, x <= 0), (x, True))


def are_equal(a, b):
    """Whether SymPy can show ``a == b`` (unevaluated parts are evaluated first).

    Tries the difference as it is, then simplified, then rewritten in
    exponentials and as a piecewise expression, since SymPy's ``simplify``
    alone misses some hyperbolic and Heaviside identities. ``True`` is a
    proof; ``False`` means no proof was found, which is how a wrong step shows.
    """
    difference = sp.sympify(a).doit() - sp.sympify(b).doit()
    attempts = (
        lambda d: d,
        sp.simplify,
        lambda d: sp.simplify(d.rewrite(sp.exp)),
        lambda d: sp.simplify(sp.piecewise_fold(d.rewrite(sp.Piecewise))),
    )
    return any(attempt(difference) == 0 for attempt in attempts)


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
        self.definitions = dict(definitions or {})
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
        _latex_rule(rule)  # reject a malformed rule before anything is recorded
        if not are_equal(previous.subs(self.definitions), expression.subs(self.definitions)):
            number = len(self.steps) + 1
            before = f"step {number - 1}" if self.steps else "the left-hand side"
            raise DerivationError(
                f"step {number} ({rule.replace('$', '')}) does not follow from {before}: "
                f"{_text(expression)} is not equal to {_text(previous)}"
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


def elu(x=x, alpha=sp.Integer(1)):
    """ELU: ``alpha (e^x - 1)`` for x <= 0, x otherwise."""
    return sp.Piecewise((alpha * (sp.exp(x) - 1), x <= 0), (x, True))


def selu(x=x, alpha=SELU_ALPHA, scale=SELU_SCALE):
    """SELU: ``scale * alpha (e^x - 1)`` for x <= 0, ``scale * x`` otherwise."""
    return sp.Piecewise((scale * alpha * (sp.exp(x) - 1), x <= 0), (scale * x, True))


def gelu(x=x):
    """GELU, exact: ``x Phi(x) = x (1 + erf(x / sqrt 2)) / 2``."""
    return x * (1 + sp.erf(x / sp.sqrt(2))) / 2


def gelu_tanh(x=x):
    """GELU's tanh approximation, ``x/2 (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))``."""
    return x / 2 * (1 + sp.tanh(sp.sqrt(2 / sp.pi) * (x + GELU_TANH_COEFFICIENT * x**3)))


def silu(x=x):
    """SiLU (Swish with beta = 1): ``x sigma(x) = x / (1 + e^(-x))``."""
    return x / (1 + sp.exp(-x))


def softplus(x=x):
    """Softplus, ``log(1 + e^x)``."""
    return sp.log(1 + sp.exp(x))


def mish(x=x):
    """Mish, ``x tanh(softplus(x))``."""
    return x * sp.tanh(softplus(x))


def softsign(x=x):
    """Softsign ``x / (1 + |x|)``, as a piecewise expression: ``x / (1 - x)``
    for x <= 0, ``x / (1 + x)`` otherwise."""
    return sp.Piecewise((x / (1 - x), x <= 0), (x / (1 + x), True))


def hard_sigmoid(x=x):
    """Hard sigmoid ``relu6(x + 3) / 6``: 0 for x <= -3, ``x/6 + 1/2`` for x <= 3, 1 otherwise."""
    return sp.Piecewise((0, x <= -3), (x / 6 + sp.Rational(1, 2), x <= 3), (1, True))


def hard_swish(x=x):
    """Hard swish ``x relu6(x + 3) / 6``: 0 for x <= -3, ``x (x + 3) / 6`` for x <= 3, x otherwise."""
    return sp.Piecewise((0, x <= -3), (x * (x + 3) / 6, x <= 3), (x, True))
