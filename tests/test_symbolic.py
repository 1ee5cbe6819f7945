"""Unit tests of helpers.symbolic: expressions, equality proofs, checked derivations."""

import time

import pytest
import sympy as sp

from helpers import symbolic as sym
from helpers.symbolic import Derivation, DerivationError, x

sigma = sp.Function("sigma")(x)
U = sp.UnevaluatedExpr(1 + sp.exp(-x))


def sigmoid_chain_rule():
    """The sigmoid derivative by the chain rule, as notebook 01 derives it."""
    return Derivation(
        sp.Derivative(sigma, x),
        sp.Derivative(sp.Pow(U, -1), x),
        r"definition, $\sigma = u^{-1}$ with $u = 1 + e^{-x}$",
        definitions={sigma: sym.sigmoid()},
    ).step(
        sp.Mul(-1, sp.Pow(U, -2), sp.Derivative(U, x), evaluate=False),
        r"chain rule, $\frac{d}{du} u^{-1} = -u^{-2}$",
    )


def tanh_quotient_rule():
    """The start of the tanh derivative by the quotient rule."""
    e, f = sp.exp(x), sp.exp(-x)
    return Derivation(
        sp.Derivative(sp.tanh(x), x),
        sp.Derivative(sym.tanh(), x),
        "definition of tanh",
    ).step(((e + f) ** 2 - (e - f) ** 2) / (e + f) ** 2, "quotient rule")


def relu_piecewise():
    return Derivation(
        sp.Derivative(sp.Function("ReLU")(x), x),
        sp.Derivative(sym.relu(), x),
        "definition",
        definitions={sp.Function("ReLU")(x): sym.relu()},
    ).step(sp.Piecewise((0, x <= 0), (1, True)), "derivative of each piece")


def test_expressions_have_the_textbook_values():
    assert sym.sigmoid().subs(x, 0) == sp.Rational(1, 2)
    assert sp.simplify(sym.tanh() - sp.tanh(x).rewrite(sp.exp)) == 0
    assert sym.relu().subs(x, -3) == 0 and sym.relu().subs(x, 3) == 3
    assert sym.leaky_relu().subs(x, -100) == -1
    assert sym.leaky_relu(alpha=sp.Rational(1, 5)).subs(x, -5) == -1


def test_are_equal_proves_true_identities_and_rejects_false_ones():
    s = sym.sigmoid()
    assert sym.are_equal(sp.diff(s, x), s * (1 - s))
    assert sym.are_equal(sp.diff(sp.tanh(x), x), 4 / (sp.exp(x) + sp.exp(-x)) ** 2)
    assert sym.are_equal(sp.Heaviside(x, 0), sp.Piecewise((0, x <= 0), (1, True)))
    assert not sym.are_equal(sp.diff(s, x), s * (1 + s))
    assert not sym.are_equal(sp.Heaviside(x, 1), sp.Piecewise((0, x <= 0), (1, True)))


@pytest.mark.parametrize("build", [sigmoid_chain_rule, tanh_quotient_rule, relu_piecewise])
def test_correct_derivations_are_accepted(build):
    derivation = build()
    assert len(derivation.steps) == 2


def test_wrong_chain_rule_step_is_caught_and_named():
    derivation = sigmoid_chain_rule()
    wrong = sp.Mul(sp.Pow(U, -2), sp.Derivative(U, x), evaluate=False)  # sign lost
    with pytest.raises(DerivationError, match=r"step 3 \(chain rule\) does not follow from step 2"):
        derivation.step(wrong, "chain rule")
    assert len(derivation.steps) == 2  # nothing recorded


def test_wrong_quotient_rule_step_is_caught():
    e, f = sp.exp(x), sp.exp(-x)
    derivation = tanh_quotient_rule()
    with pytest.raises(DerivationError, match="step 3"):
        derivation.step(((e + f) ** 2 + (e - f) ** 2) / (e + f) ** 2, "expand the squares")


def test_wrong_piecewise_step_is_caught():
    derivation = relu_piecewise()
    with pytest.raises(DerivationError, match="step 3"):  # 1 at the kink breaks the convention
        derivation.step(sp.Heaviside(x, 1), "as a Heaviside step")
    derivation.step(sp.Heaviside(x, 0), "as a Heaviside step")


def test_wrong_start_is_caught_against_the_left_hand_side():
    with pytest.raises(DerivationError, match="step 1 .* left-hand side"):
        Derivation(sp.Derivative(sigma, x), sp.Derivative(sp.Pow(U, -2), x), "definition",
                   definitions={sigma: sym.sigmoid()})


def test_a_step_may_use_named_definitions():
    derivation = sigmoid_chain_rule()
    derivation.step(sigma * (1 - sigma), r"$\sigma = 1/(1 + e^{-x})$")
    assert derivation.result == sigma * (1 - sigma)


def test_latex_rendering_is_aligned_with_rules():
    latex = sigmoid_chain_rule()._repr_latex_()
    assert latex.startswith("$$\\begin{aligned}") and latex.endswith("\\end{aligned}$$")
    lines = latex.split("\\\\\n")
    assert len(lines) == 2
    assert all("&=" in line and "&&" in line for line in lines)
    assert r"\text{chain rule, } \frac{d}{du} u^{-1} = -u^{-2}" in lines[1]
    assert r"\frac{d}{d x} \sigma{\left(x \right)}" in lines[0]


def test_latex_escapes_special_characters_in_rule_text():
    derivation = Derivation(sp.Symbol("y"), x, "100% of_the {rule} & #1", definitions={sp.Symbol("y"): x})
    assert r"\text{100\% of\_the \{rule\} \& \#1}" in derivation._repr_latex_()


def test_unbalanced_dollar_in_rule_is_rejected():
    with pytest.raises(ValueError, match="unbalanced"):
        Derivation(sp.Symbol("y"), x, "cost $5", definitions={sp.Symbol("y"): x})


def test_plain_text_is_readable_and_aligned():
    text = str(sigmoid_chain_rule())
    first, second = text.splitlines()
    assert first.startswith("Derivative(sigma(x), x) = Derivative(")
    assert second.lstrip().startswith("= -")
    assert first.index(" = ") == second.index(" = ")
    assert first.index("[") == second.index("[")
    assert second.endswith(r"[chain rule, \frac{d}{du} u^{-1} = -u^{-2}]")
    assert "checked steps" in repr(sigmoid_chain_rule())


def nested_sigmoid(depth):
    expression = x
    for _ in range(depth):
        expression = sym.sigmoid(expression)
    return expression


def test_a_false_step_is_refuted_quickly_with_a_counterexample():
    started = time.perf_counter()
    assert not sym.are_equal(sp.diff(nested_sigmoid(5), x), x)  # ran for more than 9 minutes before
    verdict, where = sym.compare(sp.diff(nested_sigmoid(5), x), x)
    assert verdict == "differs" and where.startswith("x = ")
    assert time.perf_counter() - started < 5
    assert not sym.are_equal(sp.Heaviside(x, 1), sp.Piecewise((0, x <= 0), (1, True)))
    assert sym.compare(sp.Heaviside(x, 1), sp.Piecewise((0, x <= 0), (1, True))) == ("differs", "x = 0")


@pytest.mark.parametrize("a, b", [(sp.erf(x), 1 - sp.erfc(x)),
                                  (sp.sqrt(sp.exp(2 * x) + 2 * sp.exp(x) + 1), sp.exp(x) + 1)])
def test_a_true_identity_sympy_cannot_prove_is_not_called_false(a, b):
    verdict, _ = sym.compare(a, b)
    assert verdict in ("proved", "unproved")
    derivation = Derivation(sp.Symbol("y"), a, "start", definitions={sp.Symbol("y"): a})
    try:
        derivation.step(b, "identity")
    except DerivationError as error:
        assert "could not be proved equal" in str(error) and "is not equal" not in str(error)


def test_a_step_sympy_cannot_decide_in_time_ends_with_a_clear_message():
    hard = sp.sqrt(sp.exp(2 * x) + 2 * sp.exp(x) + 1)
    verdict, why = sym.compare(hard, sp.exp(x) + 1, time_limit=1e-4)
    assert verdict == "unproved" and "gave up after" in why


@pytest.mark.parametrize("build", [
    lambda: sym.are_equal(x + sp.Float(1e-20) * x, x),
    lambda: Derivation(sp.Function("f")(x), 1 / (1 + sp.exp(-1.0 * x)), "definition",
                       definitions={sp.Function("f")(x): sym.sigmoid()}),
    lambda: sigmoid_chain_rule().step(sigma * (1.0 - sigma), "float"),
])
def test_floating_point_constants_are_refused(build):
    with pytest.raises(ValueError, match="floating-point"):
        build()


def test_definitions_cannot_replace_the_variable():
    with pytest.raises(ValueError, match="not a variable"):
        Derivation(x**2, 4, "definition", definitions={x: 2})


@pytest.mark.parametrize("arguments, message", [
    ((x, x, 5), "rule must be text"),
    ((x, x, "rule", [1, 2]), "definitions must be a dict"),
])
def test_bad_arguments_raise_type_errors(arguments, message):
    with pytest.raises(TypeError, match=message):
        Derivation(*arguments)


def test_expression_builders_take_numbers_exactly():
    assert sym.softsign(1) == sp.Rational(1, 2)
    assert sym.relu(-2) == 0 and sym.sigmoid(0) == sp.Rational(1, 2)
    with pytest.raises(TypeError, match="softsign takes"):
        sym.softsign("one")
