"""Unit tests of helpers.symbolic: equality proofs, derivation lines read as written, checked steps."""

import time

import pytest
import sympy as sp

from helpers.activations import REGISTRY
from helpers.symbolic import Derivation, DerivationError, are_equal, compare, x

SIGMOID = {"sigma": REGISTRY["sigmoid"].expression}


def sigmoid_chain_rule():
    """The sigmoid derivative by the chain rule, as notebook 02 derives it."""
    return Derivation(
        "d/dx[sigma(x)]",
        [
            ("d/dx[(1 + exp(-x))^-1]", r"definition, $\sigma = u^{-1}$ with $u = 1 + e^{-x}$"),
            ("-(1 + exp(-x))^-2 * d/dx[1 + exp(-x)]", r"chain rule, $\frac{d}{du} u^{-1} = -u^{-2}$"),
        ],
        definitions=SIGMOID,
    )


def tanh_quotient_rule():
    return Derivation(
        "d/dx[tanh(x)]",
        [
            ("d/dx[(exp(x) - exp(-x))/(exp(x) + exp(-x))]", "definition of tanh"),
            ("((exp(x) + exp(-x))^2 - (exp(x) - exp(-x))^2)/(exp(x) + exp(-x))^2", "quotient rule"),
        ],
    )


def relu_piecewise():
    return Derivation(
        "d/dx[ReLU(x)]",
        [
            ("d/dx[Piecewise((0, x <= 0), (x, True))]", "definition"),
            ("Piecewise((0, x <= 0), (1, True))", "derivative of each piece"),
        ],
        definitions={"ReLU": REGISTRY["relu"].expression},
    )


def latex_of(text, **options):
    """The LaTeX of one line, as a derivation prints it."""
    return Derivation(text, [], **options)._printer.doprint(Derivation(text, [], **options).lhs)


def test_are_equal_proves_true_identities_and_rejects_false_ones():
    s = REGISTRY["sigmoid"].expression(x)
    assert are_equal(sp.diff(s, x), s * (1 - s))
    assert are_equal(sp.diff(sp.tanh(x), x), 4 / (sp.exp(x) + sp.exp(-x)) ** 2)
    assert are_equal(sp.Heaviside(x, 0), sp.Piecewise((0, x <= 0), (1, True)))
    assert are_equal(sp.Piecewise((1 / (1 - x) ** 2, x <= 0), (1 / (1 + x) ** 2, True)), 1 / (1 + sp.Abs(x)) ** 2)
    assert are_equal(sp.diff(REGISTRY["gelu"].expression(x), x), sp.diff(x * (1 + sp.erf(x / sp.sqrt(2))) / 2, x))
    assert not are_equal(sp.diff(s, x), s * (1 + s))
    assert not are_equal(sp.Heaviside(x, 1), sp.Piecewise((0, x <= 0), (1, True)))


@pytest.mark.parametrize(
    "text, latex",
    [
        ("1 - sigma(x)", r"1 - \sigma{\left(x \right)}"),  # not -sigma(x) + 1
        ("exp(-x)/(1 + exp(-x))^2", r"\frac{e^{- x}}{\left(1 + e^{- x}\right)^{2}}"),
        ("1/(1 + exp(-x)) * (exp(-x)/(1 + exp(-x)))", r"\frac{1}{1 + e^{- x}} \frac{e^{- x}}{1 + e^{- x}}"),
        ("-(1 + exp(-x))^-2 * (-exp(-x))", r"- \left(1 + e^{- x}\right)^{-2} \left(- e^{- x}\right)"),
        ("d/dx[x * sigma(x)]", r"\frac{d}{d x} \left[x \sigma{\left(x \right)}\right]"),
        ("d^2/dx^2[sigma(x)]", r"\frac{d^{2}}{d x^{2}} \sigma{\left(x \right)}"),
        ("(exp(2*x) + 2 + exp(-2*x)) - (1 + x)", r"\left(e^{2 x} + 2 + e^{- 2 x}\right) - \left(1 + x\right)"),
        ("2 * 2 * sigma(2*x)", r"2 \cdot 2 \sigma{\left(2 x \right)}"),
        ("d/dx[log(1 + exp(x))]", r"\frac{d}{d x} \ln{\left(1 + e^{x} \right)}"),
        ("x * (1/2) * exp(-x^2/2)", r"x \frac{1}{2} e^{- \frac{x^{2}}{2}}"),
    ],
)
def test_a_line_prints_as_written(text, latex):
    assert latex_of(text, definitions=SIGMOID) == latex


def test_a_derivative_reads_d_for_one_variable_and_partial_for_two():
    alpha = sp.Symbol("alpha", positive=True)
    prelu = lambda t, a: REGISTRY["leaky_relu"].expression(t, alpha=a)  # noqa: E731
    partial = Derivation(
        "d/dalpha[PReLU(x, alpha)]",
        [
            ("d/dalpha[Piecewise((alpha*x, x <= 0), (x, True))]", "definition"),
            ("Piecewise((x, x <= 0), (0, True))", "derivative of each piece"),
        ],
        definitions={"PReLU": prelu},
        symbols=[alpha],
    )._repr_latex_()
    assert r"\frac{\partial}{\partial \alpha} \operatorname{PReLU}" in partial and r"\frac{d}" not in partial
    leaky = Derivation(
        "d/dx[LeakyReLU(x)]",
        [("d/dx[Piecewise((alpha*x, x <= 0), (x, True))]", "definition")],
        definitions={"LeakyReLU": lambda t: prelu(t, alpha)},
        symbols=[alpha],
    )._repr_latex_()
    assert r"\partial" not in leaky and leaky.count(r"\frac{d}{d x}") == 2


@pytest.mark.parametrize("build", [sigmoid_chain_rule, tanh_quotient_rule, relu_piecewise])
def test_correct_derivations_are_accepted(build):
    derivation = build()
    assert len(derivation.steps) == 2
    assert are_equal(derivation.explicit(derivation.lhs), derivation.explicit(derivation.result))


@pytest.mark.parametrize(
    "build, wrong, rule",
    [
        (sigmoid_chain_rule, "(1 + exp(-x))^-2 * d/dx[1 + exp(-x)]", "sign lost"),
        (tanh_quotient_rule, "((exp(x) + exp(-x))^2 + (exp(x) - exp(-x))^2)/(exp(x) + exp(-x))^2", "expand"),
        (relu_piecewise, "Heaviside(x, 1)", "1 at the kink breaks the convention"),
    ],
)
def test_a_wrong_step_is_caught_named_and_not_recorded(build, wrong, rule):
    derivation = build()
    with pytest.raises(
        DerivationError, match=rf"step 3 does not follow from step 2:\n    .*   \[{rule}\]\n    differs from it at x ="
    ):
        derivation.step(wrong, rule)
    assert len(derivation.steps) == 2


def test_the_right_convention_at_the_kink_is_accepted():
    assert relu_piecewise().step("Heaviside(x, 0)", "Heaviside step, H(0) = 0").result == sp.Heaviside(x, 0)


def test_a_wrong_start_is_caught_against_the_left_hand_side():
    with pytest.raises(DerivationError, match="step 1 .* left-hand side"):
        Derivation("d/dx[sigma(x)]", [("d/dx[(1 + exp(-x))^-2]", "definition")], definitions=SIGMOID)


def test_a_line_may_use_the_definitions_and_the_result_is_evaluated():
    derivation = sigmoid_chain_rule().step("sigma(x) * (1 - sigma(x))", r"$\sigma = 1/(1 + e^{-x})$")
    sigma = sp.Function("sigma")(x)
    assert derivation.result == sigma * (1 - sigma)
    assert are_equal(derivation.explicit(derivation.result), sp.diff(REGISTRY["sigmoid"].expression(x), x))


def test_latex_is_aligned_with_each_rule_beside_its_line():
    latex = sigmoid_chain_rule()._repr_latex_()
    assert latex.startswith("$$\\begin{aligned}") and latex.endswith("\\end{aligned}$$")
    lines = latex.split("\\\\\n")
    assert len(lines) == 2 and all("&=" in line and "&&" in line for line in lines)
    assert r"\text{chain rule, } \frac{d}{du} u^{-1} = -u^{-2}" in lines[1]
    assert r"\frac{d}{d x} \sigma{\left(x \right)} &= \frac{d}{d x} \left(1 + e^{- x}\right)^{-1}" in lines[0]


def test_latex_escapes_special_characters_in_rule_text():
    derivation = Derivation("y(x)", [("x", "100% of_the {rule} & #1")], definitions={"y": lambda t: t})
    assert r"\text{100\% of\_the \{rule\} \& \#1}" in derivation._repr_latex_()


def test_plain_text_shows_the_lines_as_written_and_aligned():
    first, second = str(sigmoid_chain_rule()).splitlines()
    assert first.startswith("d/dx[sigma(x)] = d/dx[(1 + exp(-x))^-1] ")
    assert second.lstrip().startswith("= -(1 + exp(-x))^-2 * d/dx[1 + exp(-x)]")
    assert first.index(" = ") == second.index(" = ") and first.index("   [") == second.index("   [")
    assert second.endswith(r"[chain rule, \frac{d}{du} u^{-1} = -u^{-2}]")
    assert repr(sigmoid_chain_rule()) == "<Derivation of d/dx[sigma(x)]: 2 checked steps>"


def nested_sigmoid(depth):
    expression = x
    for _ in range(depth):
        expression = REGISTRY["sigmoid"].expression(expression)
    return expression


def test_a_false_step_is_refuted_quickly_with_a_counterexample():
    started = time.perf_counter()
    assert not are_equal(sp.diff(nested_sigmoid(5), x), x)  # ran for more than 9 minutes before
    verdict, where = compare(sp.diff(nested_sigmoid(5), x), x)
    assert verdict == "differs" and where.startswith("x = ")
    assert time.perf_counter() - started < 5
    assert compare(sp.Heaviside(x, 1), sp.Piecewise((0, x <= 0), (1, True))) == ("differs", "x = 0")


@pytest.mark.parametrize(
    "a, b", [(sp.erf(x), 1 - sp.erfc(x)), (sp.sqrt(sp.exp(2 * x) + 2 * sp.exp(x) + 1), sp.exp(x) + 1)]
)
def test_a_true_identity_sympy_cannot_prove_is_not_called_false(a, b):
    assert compare(a, b)[0] in ("proved", "unproved")


def test_an_unproved_step_says_so_and_does_not_call_it_false():
    derivation = Derivation(
        "y(x)",
        [("sqrt(exp(2*x) + 2*exp(x) + 1)", "start")],
        definitions={"y": lambda t: sp.sqrt(sp.exp(2 * t) + 2 * sp.exp(t) + 1)},
    )
    try:
        derivation.step("exp(x) + 1", "identity")
    except DerivationError as error:
        assert "could not be proved equal to it" in str(error) and "differs" not in str(error)


def test_a_step_sympy_cannot_decide_in_time_ends_with_a_clear_message():
    hard = sp.sqrt(sp.exp(2 * x) + 2 * sp.exp(x) + 1)
    verdict, why = compare(hard, sp.exp(x) + 1, time_limit=1e-4)
    assert verdict == "unproved" and "gave up after" in why


@pytest.mark.parametrize(
    "build",
    [
        lambda: are_equal(x + sp.Float(1e-20) * x, x),
        lambda: sigmoid_chain_rule().step("sigma(x) * (1 - 0.5*sigma(x))", "float"),
        lambda: Derivation(
            "f(x)", [("1/(1 + exp(-x))", "definition")], definitions={"f": lambda t: 1 / (1 + sp.exp(-1.0 * t))}
        ),
    ],
)
def test_floating_point_numbers_are_refused(build):
    with pytest.raises(ValueError, match="floating-point"):
        build()


@pytest.mark.parametrize(
    "definitions, symbols",
    [
        ({"x": lambda t: 2}, ()),
        ({"exp": lambda t: t}, ()),
        ({"d": lambda t: t}, ()),
        ({}, [sp.Symbol("x")]),
        ({"alpha": lambda t: t}, [sp.Symbol("alpha")]),
    ],
)
def test_definitions_and_symbols_cannot_replace_a_name_in_use(definitions, symbols):
    with pytest.raises(ValueError, match="cannot be defined"):
        Derivation("x", [], definitions=definitions, symbols=symbols)


@pytest.mark.parametrize(
    "text, message",
    [
        ("2x + 1", r"step 1 cannot be read, '2x \+ 1': not an expression"),
        ("sigam(x)", r"step 1 cannot be read, 'sigam\(x\)': unknown name 'sigam'"),
        ("x // 2", "the operator FloorDiv is not part of a step"),
        ("[x, 1]", r"cannot read '\[x, 1\]'"),
    ],
)
def test_a_line_that_cannot_be_read_raises_a_clear_value_error(text, message):
    with pytest.raises(ValueError, match=message):
        Derivation("d/dx[sigma(x)]", [(text, "rule")], definitions=SIGMOID)


@pytest.mark.parametrize(
    "arguments, options, message",
    [
        (("x", [("x", 5)]), {}, "rule must be text"),
        (("x", [(x, "rule")]), {}, "step 1 must be text"),
        ((x, []), {}, "left-hand side must be text"),
        (("x", ["x"]), {}, r"each step must be a pair \(text, rule\)"),
        (("x", []), {"definitions": [1, 2]}, "definitions must map names to functions"),
        (("x", []), {"definitions": {"f": 2}}, "definitions must map names to functions"),
        (("x", []), {"symbols": ["alpha"]}, "symbols must be SymPy symbols"),
    ],
)
def test_bad_arguments_raise_type_errors(arguments, options, message):
    with pytest.raises(TypeError, match=message):
        Derivation(*arguments, **options)


def test_an_unbalanced_dollar_in_a_rule_is_rejected_before_anything_is_recorded():
    derivation = sigmoid_chain_rule()
    with pytest.raises(ValueError, match="unbalanced"):
        derivation.step("-(1 + exp(-x))^-2 * (-exp(-x))", "cost $5")
    assert len(derivation.steps) == 2
