"""Machine-checked derivations written as a textbook writes them: lines of text such as ``"-(1 + exp(-x))^-2"``,
each with its rule, read without evaluation (so they print as written) and checked against the line before."""

import ast
import contextlib
import functools
import re
import signal
import threading
from collections import namedtuple

import sympy as sp
from sympy.printing.latex import LatexPrinter

x = sp.Symbol("x", real=True)  # the real variable of every derivation
SAMPLE_POINTS = tuple(sp.Rational(n, 10) for n in (-37, -21, -7, 0, 4, 13, 29, 41))  # for counterexamples, kinks too
FUNCTIONS = {name: getattr(sp, name) for name in "exp log sqrt tanh erf Abs Heaviside Piecewise Min Max pi".split()}
_DERIVATIVE = re.compile(r"\bd(?:\^(\d+))?/d([A-Za-z]\w*)(?:\^\1)?\[")  # d/dx[ or d^2/dx^2[, read as _d1_x[
Step = namedtuple("Step", "text expression rule")  # one line: as written, as SymPy reads it, and its rule


class DerivationError(AssertionError):
    """A step of a derivation does not follow from the step before it."""


@contextlib.contextmanager
def _time_limit(seconds):
    """Raise ``TimeoutError`` in the block after ``seconds`` (where there is a timer: POSIX, main thread)."""
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum, frame):
        raise TimeoutError

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _counterexample(a, b):
    """A point of :data:`SAMPLE_POINTS` (other symbols fixed) where ``a`` and ``b`` are different reals, or None."""
    symbols = sorted((a - b).free_symbols - {x}, key=str)
    for k, value in enumerate(SAMPLE_POINTS):
        point = {x: value} | {s: sp.Rational(3 + 2 * k + i, 10) for i, s in enumerate(symbols)}
        va, vb = (sp.N(e.subs(point), 30) for e in (a, b))
        if not all(v.is_Number and v.is_finite for v in (va, vb)):
            continue  # a pole, a complex value, an undefined function: try the next point
        if abs(va - vb) > sp.Float("1e-20") * max(1, abs(va), abs(vb)):
            return point
    return None


def compare(a, b, *, time_limit=20.0):
    """Whether ``a == b``: ``("proved", "")``, ``("differs", where)`` or ``("unproved", why)``. Floats are refused
    (SymPy may call ``1e-20*x`` zero); forms in exp, erf, Piecewise prove tanh, erfc and Heaviside identities."""
    a, b = sp.sympify(a).doit(), sp.sympify(b).doit()
    if floats := sorted(a.atoms(sp.Float) | b.atoms(sp.Float), key=abs):
        raise ValueError(f"{floats[0]} is a floating-point number: write exact numbers such as 1/100")
    if (point := _counterexample(a, b)) is not None:
        return "differs", ", ".join(f"{k} = {v}" for k, v in point.items())
    difference = a - b
    try:
        with _time_limit(time_limit):
            # exp first: simplify gives up slowly on tanh mixed with exp, and proves the exp form at once
            rewritten = (difference.rewrite(f) for f in (sp.exp, sp.erf))
            forms = (*rewritten, difference, sp.piecewise_fold(difference.rewrite(sp.Piecewise)))
            if difference == 0 or any(sp.simplify(form) == 0 for form in forms):
                return "proved", ""
    except TimeoutError:
        return "unproved", f"SymPy gave up after {time_limit:g} s, with no counterexample"
    return "unproved", "SymPy's simplifications did not reduce the difference to 0, nor found a counterexample"


def are_equal(a, b):
    """Whether SymPy can prove ``a == b`` (False: a counterexample, or no proof; see :func:`compare`)."""
    return compare(a, b)[0] == "proved"


def _operation(op, a, b, grouped):
    """``a op b`` unevaluated: ``u^-2`` stays a power, a fraction one block, ``(a + b) + c`` keeps its parentheses."""
    terms = a.args if (a.is_Add or a.is_Mul) and not grouped else [a]
    if isinstance(op, ast.Pow):
        return sp.Pow(sp.UnevaluatedExpr(a) if b.is_negative else a, b, evaluate=False)
    if isinstance(op, ast.Div):
        inverse = sp.Pow(b, -1, evaluate=False)
        return sp.UnevaluatedExpr(inverse if a == 1 else sp.Mul(*(terms if a.is_Mul else [a]), inverse, evaluate=False))
    if isinstance(op, (ast.Add, ast.Sub)):
        b = b if isinstance(op, ast.Add) else -b if b.is_Number else sp.Mul(-1, b, evaluate=False)
        return sp.Add(*(terms if a.is_Add else [a]), b, evaluate=False)
    if isinstance(op, ast.Mult):
        negated = b.is_Mul and b.args[0].is_negative  # x * (-e^x) keeps its parentheses
        return sp.Mul(*(terms if a.is_Mul else [a]), *(b.args if b.is_Mul and not negated else [b]), evaluate=False)
    raise ValueError(f"the operator {type(op).__name__} is not part of a step")


def _read(node, names):
    """The SymPy expression of a parsed line, built without evaluation so that it prints as written."""
    read = lambda n: _read(n, names)  # noqa: E731
    match node:
        case ast.Constant(int(value) | float(value)):  # True too; floats are refused by compare
            return sp.sympify(value)
        case ast.Name(name):
            if name not in names:
                raise ValueError(f"unknown name {name!r}: use x, {', '.join(sorted(set(names) - {'x'}))}")
            return names[name]
        case ast.UnaryOp(ast.USub(), operand):
            value = read(operand)
            return -value if value.is_Number else sp.Mul(-1, value, evaluate=False)
        case ast.Subscript(ast.Name(name), body) if name.startswith("_d"):
            order, variable = name[2:].split("_", 1)
            return sp.Derivative(read(body), (read(ast.Name(variable)), int(order)), evaluate=False)
        case ast.BinOp(left, op, right):
            return _operation(op, read(left), read(right), grouped=left.col_offset > node.col_offset)
        case ast.Call(ast.Name(name), args, []) if callable(function := read(ast.Name(name))):
            keywords = {"evaluate": False} if isinstance(function, type) or function is sp.sqrt else {}
            return function(*map(read, args), **keywords)
        case ast.Tuple(elements):
            return tuple(map(read, elements))
        case ast.Compare(left, [ast.Lt() | ast.LtE() | ast.Gt() | ast.GtE() as op], [right]):
            return {ast.Lt: sp.Lt, ast.LtE: sp.Le, ast.Gt: sp.Gt, ast.GtE: sp.Ge}[type(op)](read(left), read(right))
    raise ValueError(f"cannot read {ast.unparse(node)!r} as a step")


class _Printer(LatexPrinter):
    """LaTeX in the order written, with d/dx (∂/∂x for a function of several variables) and [] around a sum."""

    def __init__(self, partial):
        super().__init__({"order": "none", "ln_notation": True})
        self.d = r"\partial" if partial else "d"

    def _print_Derivative(self, expr):
        ((variable, order),) = expr.variable_count
        power, body = f"^{{{order}}}" if order != 1 else "", self._print(expr.expr)
        if isinstance(expr.expr, (sp.Add, sp.Mul, sp.Piecewise)):
            body = rf"\left[{body}\right]"
        return rf"\frac{{{self.d}{power}}}{{{self.d} {self._print(variable)}{power}}} {body}"

    def _print_Heaviside(self, expr):
        return rf"H\left({self._print(expr.args[0])}\right)"  # the textbook's H, not SymPy's theta


def _latex_rule(rule):
    """Typeset a rule: plain words in ``\\text{}``, ``$...$`` parts as maths."""
    if not isinstance(rule, str):
        raise TypeError(f"a rule must be text such as 'chain rule', got {rule!r}")
    parts = rule.split("$")
    if len(parts) % 2 == 0:
        raise ValueError(f"unbalanced '$' in rule {rule!r}")
    special = str.maketrans({c: "\\" + c for c in "&%#_{}"})
    return " ".join(p if i % 2 else rf"\text{{{p.translate(special)}}}" for i, p in enumerate(parts) if p)


def _namespace(definitions, symbols):
    """What a line may name: x, :data:`FUNCTIONS`, the ``symbols`` and the defined functions."""
    if not isinstance(definitions, dict) or not all(map(callable, definitions.values())):
        raise TypeError(f"definitions must map names to functions, such as sigmoid.expression, got {definitions!r}")
    if not all(isinstance(s, sp.Symbol) for s in symbols):
        raise TypeError(f"symbols must be SymPy symbols such as sp.Symbol('alpha'), got {symbols!r}")
    new = [s.name for s in symbols] + list(definitions)
    for i, name in enumerate(new):
        if not (isinstance(name, str) and name.isidentifier()) or name in {"x", "d", *FUNCTIONS, *new[:i]}:
            raise ValueError(f"{name!r} cannot be defined: it is not a new name (x, d and FUNCTIONS are taken)")
    return {"x": x} | FUNCTIONS | {s.name: s for s in symbols} | {name: sp.Function(name) for name in definitions}


class Derivation:
    """``lhs = line 1 = line 2 = ...``, each ``=`` proved by SymPy; ``steps`` are pairs (line, rule). A line is
    Python with ``^`` for powers and ``d/dx[...]``, ``d^2/dx^2[...]`` for derivatives, in ``x``, :data:`FUNCTIONS`,
    ``symbols`` and ``definitions`` (name -> function of its arguments, e.g. ``{"sigma": sigmoid.expression}``)."""

    def __init__(self, lhs, steps, *, definitions=None, symbols=()):
        definitions, symbols = definitions or {}, tuple(symbols)
        self._names = _namespace(definitions, symbols)
        self.definitions = {self._names[name]: f for name, f in definitions.items()}
        self.lhs_text, self.lhs = lhs, self._parse(lhs, "the left-hand side")
        self._printer = _Printer(partial=len(self.lhs.free_symbols) > 1)
        self.steps = []
        for pair in steps:
            if not (isinstance(pair, tuple) and len(pair) == 2):
                raise TypeError(f"each step must be a pair (text, rule), got {pair!r}")
            self.step(*pair)

    def _parse(self, text, what):
        if not isinstance(text, str):
            raise TypeError(f"{what} must be text such as 'd/dx[sigma(x)]', got {text!r}")
        code = _DERIVATIVE.sub(lambda m: f"_d{m[1] or 1}_{m[2]}[", text).replace("^", "**")
        try:
            return _read(ast.parse(code, mode="eval").body, self._names)
        except (SyntaxError, ValueError) as error:
            why = error if isinstance(error, ValueError) else "not an expression (write 2*x, not 2x; x^2 or x**2)"
            raise ValueError(f"{what} cannot be read, {text!r}: {why}") from None

    def explicit(self, expression):
        """``expression`` with every defined function replaced by its definition."""
        return functools.reduce(lambda e, definition: e.replace(*definition), self.definitions.items(), expression)

    def step(self, text, rule):
        """Append the line ``text`` justified by ``rule``, or raise :class:`DerivationError` if it does not follow."""
        number, previous = len(self.steps) + 1, self.steps[-1].expression if self.steps else self.lhs
        _latex_rule(rule)  # a malformed rule fails before anything is recorded
        expression = self._parse(text, f"step {number}")
        verdict, detail = compare(self.explicit(previous), self.explicit(expression))
        if verdict != "proved":
            before = f"step {number - 1}" if self.steps else "the left-hand side"
            relation = "differs from it at " if verdict == "differs" else "could not be proved equal to it:\n    "
            raise DerivationError(  # on three lines (four if unproved), each as short as the step and rule allow
                f"step {number} does not follow from {before}:\n    {text}   [{rule.replace('$', '')}]\n"
                f"    {relation}{detail}"
            )
        self.steps.append(Step(text, expression, rule))
        return self

    @property
    def result(self):
        """The last line as an ordinary (evaluated) SymPy expression."""
        return self.steps[-1].expression.doit()

    def _repr_latex_(self):
        latex, left = self._printer.doprint, [self._printer.doprint(self.lhs)] + [""] * len(self.steps)
        lines = [rf"{lhs} &= {latex(s.expression)} && {_latex_rule(s.rule)}" for lhs, s in zip(left, self.steps)]
        return "$$\\begin{aligned}\n" + " \\\\\n".join(lines) + "\n\\end{aligned}$$"

    def __str__(self):
        width = max((len(s.text) for s in self.steps), default=0)
        left = [self.lhs_text] + [" " * len(self.lhs_text)] * len(self.steps)
        return "\n".join(f"{lhs} = {s.text:<{width}}   [{s.rule.replace('$', '')}]" for lhs, s in zip(left, self.steps))

    def __repr__(self):
        return f"<Derivation of {self.lhs_text}: {len(self.steps)} checked step{'s' * (len(self.steps) != 1)}>"
