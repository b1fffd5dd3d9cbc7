"""Which mistake: each slip of backpropagation by hand is planted, and the words that name it are checked.

The planted answers are worked out here by hand, with ``math`` and the chain rule written
out, never by the grader: the test checks that the grader finds the slip from the number alone.
"""

import math

import pytest

from michigrad.formatting import shown_number
from michigrad.homework import AnswerKey, Role, grade, parse_problems, parse_submission, solve_problem

# The neuron of the README: h = x*w + b, p = tanh(h), L = (t - p)**2.
NEURON = "h = x*w + b; p = tanh(h); L = (t - p)**2"
X, W, B, T = 0.5, -1.0, 1.0, 1.0
H = X * W + B
P = math.tanh(H)
DL_DP = -2 * (T - P)
DL_DH = DL_DP * (1 - P**2)
DL_DW = DL_DH * X


def key(expression: str, at: str, gradients: list[str], more: str = "") -> AnswerKey:
    names = ", ".join(f'"{name}"' for name in gradients)
    text = f'[[problem]]\nid = "1"\nexpression = "{expression}"\nat = {{ {at} }}\ngradients = [{names}]\n{more}'
    (problem,) = parse_problems(text, "key.toml", Role.KEY)
    return AnswerKey("key.toml", (solve_problem(problem),))


def neuron_key() -> AnswerKey:
    return key(NEURON, f"x = {X}, w = {W}, b = {B}, t = {T}", ["w", "h", "p"])


def comment_on(answer_key: AnswerKey, name: str, given: float) -> str:
    """What the grader says about ``given`` as the gradient with respect to ``name``."""
    text = f'[[problem]]\nid = "1"\ngradients = {{ {name} = {given!r} }}\n'
    report = grade(answer_key, parse_submission(text, "alice.toml", "alice"), "alice.toml")
    (answer,) = [answer for answer in report.problems[0].answers if answer.quantity.endswith(f"/∂{name}")]
    assert answer.result == "wrong"
    assert report.notes == ((f"problem 1: {answer.comment}",) if answer.comment else ())  # the notes say it too
    return answer.comment


def test_a_local_factor_left_out():
    # ∂L/∂w = ∂L/∂h * x: the student stopped at ∂L/∂h.
    assert comment_on(neuron_key(), "w", DL_DH) == "∂L/∂w is ∂L/∂h without the factor x = 0.5000"


def test_a_factor_left_out_in_words_where_it_has_no_name():
    # ∂L/∂h = ∂L/∂p * (1 - p²): without tanh's factor it is ∂L/∂p.
    comment = comment_on(neuron_key(), "h", DL_DP)
    assert comment == f"∂L/∂h is ∂L/∂p without the factor {shown_number(1 - P**2)} of p = tanh(h)"


def test_a_path_left_out_where_a_value_is_used_twice():
    # L = t1 + t2 with t1 = 2a and t2 = a³: ∂L/∂a = 2 + 3a², and the path through t1 gives the 2.
    a = 2.0
    comment = comment_on(key("t1 = 2*a; t2 = a**3; L = t1 + t2", f"a = {a}", ["a"]), "a", 3 * a**2)
    assert comment == "∂L/∂a counts only the path through t2; the one through t1 adds 2.0000"


def test_the_same_value_used_twice_in_one_step():
    # L = tanh(x*x): ∂L/∂x counts x twice in the product, 2x(1 - L²).
    x = 0.8
    comment = comment_on(key("L = tanh(x*x)", f"x = {x}", ["x"]), "x", x * (1 - math.tanh(x * x) ** 2))
    assert (
        comment
        == "∂L/∂x counts only one of the uses of x in x * x; the other adds "
        + f"{shown_number(x * (1 - math.tanh(x * x) ** 2))}"
    )


def test_tanhs_derivative_with_the_input_instead_of_the_output():
    # ∂L/∂h = ∂L/∂p * (1 - p²); the slip writes 1 - h².
    comment = comment_on(neuron_key(), "h", DL_DP * (1 - H**2))
    assert (
        comment == f"∂L/∂h takes the derivative of tanh as 1 - y² with its input y = {shown_number(H)} "
        f"instead of its output y = {shown_number(P)}"
    )


def test_sigmoids_derivative_with_the_input_instead_of_the_output():
    w, x, b = 0.5, 1.5, 0.2
    z = w * x + b
    s = 1 / (1 + math.exp(-z))
    comment = comment_on(key("z = w*x + b; y = sigmoid(z)", f"w = {w}, x = {x}, b = {b}", ["w"]), "w", z * (1 - z) * x)
    assert comment == (
        "∂y/∂w takes the derivative of sigmoid as y(1 - y) "
        f"with its input y = {shown_number(z)} instead of its output y = {shown_number(s)}"
    )


def test_a_sign_slip():
    assert comment_on(neuron_key(), "w", -DL_DW) == "∂L/∂w has the wrong sign: a minus lost or added on the way"


def test_the_upstream_gradient_left_out():
    # ∂L/∂w = ∂L/∂h * ∂h/∂w; the slip gives ∂h/∂w = x alone.
    comment = comment_on(neuron_key(), "w", X)
    assert (
        comment
        == f"∂L/∂w is the local factor 0.5000 alone: the upstream gradient ∂L/∂h = {shown_number(DL_DH)} is left out"
    )


def test_the_upstream_gradient_left_out_at_a_named_step():
    # ∂L/∂w = ∂L/∂p * ∂p/∂w; the slip gives ∂p/∂w = (1 - p²) x.
    comment = comment_on(neuron_key(), "w", (1 - P**2) * X)
    assert comment == f"∂L/∂w is ∂p/∂w alone: the upstream gradient ∂L/∂p = {shown_number(DL_DP)} is left out"


def test_the_2_of_a_square_left_out():
    # ∂L/∂p = -2(t - p); the slip writes -(t - p).
    comment = comment_on(neuron_key(), "p", -(T - P))
    assert comment == "∂L/∂p leaves out the 2 of the square of t - p (the derivative of u² is 2u)"


def test_a_square_written_as_a_product_of_itself_is_found_too():
    # The engine's graph, not the operation's name, says it is a square: x*x is one as much as x**2.
    x = 1.5
    comment = comment_on(key("L = x**2", f"x = {x}", ["x"]), "x", x)
    assert comment == "∂L/∂x leaves out the 2 of the square of x (the derivative of u² is 2u)"


@pytest.mark.parametrize("given", [123.0, 0.0])
def test_an_answer_no_slip_explains_gets_no_words(given):
    assert comment_on(neuron_key(), "w", given) == ""


def test_an_answer_within_the_tolerance_of_a_slip_is_explained():
    # Rounded to 2 significant figures, as a student writes it by hand: still the factor left out.
    assert "without the factor x = 0.5000" in comment_on(neuron_key(), "w", float(f"{DL_DH:.2g}"))


def test_the_words_come_from_the_graph_not_from_a_list_of_operations():
    """The mistakes module reads the engine's graph (_prev, _op, LOCAL_DERIVATIVES), naming no operation."""
    import inspect

    from michigrad.homework import backprop, mistakes

    for module in (mistakes, backprop):
        source = inspect.getsource(module)
        for operation in ('"tanh"', '"sigmoid"', '"**"', '"*"', '"+"', '"-"'):
            assert operation not in source


def test_a_step_with_no_name_is_written_as_the_student_would_type_it():
    # A comment may describe a step by how it is computed: in the language, never by an operation's label.
    from michigrad.grammar import parse
    from michigrad.homework.backprop import WalkedGraph

    graph = parse("-(x*2) + log(x*w, 2) - sqrt(w)**2").evaluate(x=1.5, w=4.0)
    written = WalkedGraph(graph).computation(graph.output, depth=4)
    assert written == "((-(x * 2)) + log(x * w, 2)) - (sqrt(w) ** 2)"
    assert parse(written).evaluate(x=1.5, w=4.0).output.data == graph.output.data
