"""Every operation of michigrad, each written once: what it is called, what it computes, its derivatives.

An ``Operation`` is one record holding all there is to know about one operation: its names
in the expression language, how many operands it takes, its value on floats (and where it
has none), the derivative with respect to each operand, and how all of that is written in
text and in LaTeX. Everything else reads these records: the engine (``Value.tanh`` is
``Value.apply(TANH, x)``, and ``backward()`` takes each node's local derivatives from its
operation), the grammar (which names an expression may call), the batch (the same rules on
columns of rows), ``explain`` and the pictures (the text), and the lists of functions in
``--help`` and the docs. Adding a function is adding one record to ``OPERATIONS`` below.

The local derivatives are written once for two kinds of operands. Given numbers, a rule
returns numbers: that is what ``backward()`` uses. Given ``Value``s, the same rule, doing
the same arithmetic in the same order, builds the derivatives as new nodes of the graph, so
that they can be differentiated again, and their ``data`` is the very number ``backward()``
uses. The helpers ``exp``, ``log``, ``sqrt``, ... below work on either kind.

Each derivative is computed in a form that keeps its accuracy where the function flattens
out: tanh'(x) is 4t / (1 + t)² with t = exp(-2|x|), not 1 - tanh(x)², which is 0 from x = 20
on although the derivative is a normal float until x = 354.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable
from typing import Any, NamedTuple

from michigrad.errors import MathError

# A rule's operands: numbers, or Values (which have ``data`` and the operations of numbers).
Operand = Any

VARIADIC = 0  # the arity of an operation that takes two or more operands


class Operation(NamedTuple):
    """One operation: its names, its value, its local derivatives, and how each is written.

    ``text`` and ``derivative_texts`` are written in the expression language, with ``{a}``
    and ``{b}`` for the operands (``{args}`` for all of them and ``{x}`` for the one
    differentiated by, in an operation of any number of operands). ``latex`` and
    ``latex_derivatives`` are the same in LaTeX, with ``$a``, ``$b``, ``$args`` and ``$x``,
    since LaTeX is full of braces.
    """

    label: str  # the ``_op`` of the Values it makes; unique
    value: Callable[..., float]  # the value of numbers; raises ValueError or OverflowError where there is none
    derivatives: Callable[..., tuple[Operand, ...]]  # (out, *operands) -> d(out)/d(operand), one per operand
    text: str
    derivative_texts: tuple[str, ...]  # one per operand ({x} stands for each, in a variadic operation)
    latex: str
    latex_derivatives: tuple[str, ...]
    names: tuple[str, ...] = ()  # how an expression calls it: tanh(x), pow(x, y); none for + - * / ** and -x
    arity: int = 1  # how many operands it takes; VARIADIC for two or more
    defaults: tuple[float, ...] = ()  # values of its last operands when a call leaves them out
    domain: str = ""  # where it has a value, said as an error says it
    kink: str = ""  # the derivative used where it has none (at a kink); "" where there is no kink
    example: str = ""  # a call, for the docs
    parameters: tuple[str, ...] = ("x",)  # what the docs call the operands
    doc: str = ""  # what it computes, in one line: the docstring of its Value method
    # The derivative_texts as expressions michigrad reads, where those are prose ("1 if {a} > 0, else 0").
    derivative_formulas: tuple[str, ...] = ()

    @property
    def is_operator(self) -> bool:
        """Written between or before its operands (``x * w``, ``-x``), not called like a function."""
        return not self.text[0].isalpha()


def is_number(operand: Operand) -> bool:
    """Whether ``operand`` is a plain number (an int or a float), not a Value."""
    return type(operand) is float or type(operand) is int


def _data(operand: Operand) -> float:
    """The number an operand holds: itself, or a Value's data."""
    number: float = operand if is_number(operand) else operand.data  # named, for the type checker: Operand is Any
    return number


def _call(operation: Operation, *operands: Operand) -> Operand:
    """``operation`` of numbers (a number), or of Values (a new node of their graph)."""
    if all(is_number(operand) for operand in operands):
        return operation.value(*operands)
    # A Value knows how to make a node; reached through the operand, so this module needs no engine.
    value_class = next(type(operand) for operand in operands if not is_number(operand))
    return value_class.apply(operation, *operands)


# The functions the derivative rules use, for numbers and Values alike.
def exp(x: Operand) -> Operand:
    """e ** x"""
    return _call(EXP, x)


def log(x: Operand) -> Operand:
    """the natural logarithm of x"""
    return _call(LOG, x)


def sqrt(x: Operand) -> Operand:
    """the square root of x"""
    return _call(SQRT, x)


def sin(x: Operand) -> Operand:
    """the sine of x"""
    return _call(SIN, x)


def cos(x: Operand) -> Operand:
    """the cosine of x"""
    return _call(COS, x)


def sinh(x: Operand) -> Operand:
    """the hyperbolic sine of x"""
    return _call(SINH, x)


def cosh(x: Operand) -> Operand:
    """the hyperbolic cosine of x"""
    return _call(COSH, x)


def sigmoid(x: Operand) -> Operand:
    """1 / (1 + e ** -x)"""
    return _call(SIGMOID, x)


def erfc(x: Operand) -> Operand:
    """1 - erf(x)"""
    return _call(ERFC, x)


def hypot(*xs: Operand) -> Operand:
    """the length of the vector xs"""
    return _call(HYPOT, *xs)


_TINY = 2.0**-900  # below this, a hypot may be subnormal, with fewer digits
_SCALE = 2.0**600
_LN2 = math.log(2)
_LN10 = math.log(10)
_SQRT2 = math.sqrt(2)
_TWO_OVER_SQRT_PI = 2 / math.sqrt(math.pi)
_ONE_OVER_SQRT_2PI = 1 / math.sqrt(2 * math.pi)


# --- arithmetic -----------------------------------------------------------------------------


def _divide(a: float, b: float) -> float:
    if b == 0:
        raise MathError(f"division by zero: {call_text(DIV, (a, b))}")
    return a / b


# A float's largest power of two: 2**1024 and above overflow.
_FLOAT_EXPONENT_LIMIT = 1024


def _power(base: float, exponent: float) -> float:
    if base == 0 and exponent < 0:
        raise MathError(f"division by zero: {call_text(POW, (base, exponent))} is 1 / 0")
    if base < 0 and not float(exponent).is_integer():
        raise MathError(
            f"no real result: {call_text(POW, (base, exponent))} (a negative number to a fractional power is complex)"
        )
    # Whole numbers never overflow in Python: they grow without end (and 3**10**9 takes
    # minutes). Past what a float holds, they are refused as floats are.
    whole = type(base) is int and type(exponent) is int
    if whole and abs(base) > 1 and exponent * math.log2(abs(base)) > _FLOAT_EXPONENT_LIMIT:
        raise OverflowError
    power: float = base**exponent  # real: a negative base has a whole exponent here
    return power


def _d_power(out: Operand, base: Operand, exponent: Operand) -> tuple[Operand, Operand]:
    a, c = _data(base), _data(exponent)
    # d(a**c)/da = c * a**(c-1)
    if c == 0:
        d_base: Operand = 0
    elif a == 0 and c < 1:
        raise MathError(f"no real derivative: the derivative of {call_text(POW, (a, c))} is infinite")
    else:
        try:
            d_base = exponent * base ** (exponent - 1)
        except (OverflowError, MathError):
            raise MathError(f"overflow: the derivative of {call_text(POW, (a, c))} is too large for a float") from None
    # d(a**c)/dc = a**c * log(a): it exists for a > 0, and 0**c is 0 for every c > 0.
    # For a < 0 only whole exponents have a value, so there is no derivative: nan.
    if a > 0:
        d_exponent = out * log(base)
    elif a == 0:
        d_exponent = 0
    else:
        d_exponent = math.nan
    return d_base, d_exponent


ADD = Operation(
    "+",
    operator.add,
    lambda out, a, b: (1, 1),
    "{a} + {b}",
    ("1", "1"),
    "$a + $b",
    ("1", "1"),
    arity=2,
    doc="a + b",
)
SUB = Operation(
    "-",
    operator.sub,
    lambda out, a, b: (1, -1),
    "{a} - {b}",
    ("1", "-1"),
    "$a - $b",
    ("1", "-1"),
    arity=2,
    doc="a - b",
)
MUL = Operation(
    "*",
    operator.mul,
    lambda out, a, b: (b, a),
    "{a} * {b}",
    ("{b}", "{a}"),
    r"$a \cdot $b",
    ("$b", "$a"),
    arity=2,
    doc="a * b",
)
DIV = Operation(
    "/",
    _divide,
    # d(a/b)/db = -a/b**2 = -(a/b)/b: the result divided once more, with no square to overflow.
    lambda out, a, b: (1 / b, -out / b),
    "{a} / {b}",
    ("1 / {b}", "-{a} / {b}**2"),
    r"\frac{$a}{$b}",
    (r"\frac{1}{$b}", r"-\frac{$a}{{$b}^{2}}"),
    arity=2,
    domain="the divisor must not be 0",
    doc="a / b",
)
POW = Operation(
    "**",
    _power,
    _d_power,
    "{a} ** {b}",
    ("{b} * {a}**({b} - 1)", "{a}**{b} * log({a})"),
    "{$a}^{$b}",
    (r"$b \cdot {$a}^{$b - 1}", r"{$a}^{$b} \log($a)"),
    names=("pow",),
    arity=2,
    domain="a negative base needs a whole exponent, and 0 a positive one",
    kink="at x = 0 with y < 1 the derivative in x is infinite: an error; for x < 0 there is no derivative in y: nan",
    example="pow(x, 3)",
    doc="x ** y, the same as the operator",
    parameters=("x", "y"),
)
NEG = Operation("neg", operator.neg, lambda out, a: (-1,), "-{a}", ("-1",), "-$a", ("-1",), doc="-a")


# --- exponentials and logarithms ------------------------------------------------------------


def _log_base(x: float, base: float) -> float:
    if base <= 0 or base == 1:
        raise MathError(f"no real result: log({x}, {base}) (the base of a log must be positive and not 1)")
    # The bases with a function of their own get its exact powers: log(1000, 10) is 3.
    if base == 2:
        return math.log2(x)
    if base == 10:
        return math.log10(x)
    return math.log(x) / math.log(base)


EXP = Operation(
    "exp",
    math.exp,
    lambda out, x: (out,),
    "exp({a})",
    ("exp({a})",),
    r"\exp($a)",
    (r"\exp($a)",),
    names=("exp",),
    example="exp(x)",
    doc="e ** x",
)
LOG = Operation(
    "log",
    math.log,
    lambda out, x: (1 / x,),
    "log({a})",
    ("1 / {a}",),
    r"\ln($a)",
    (r"\frac{1}{$a}",),
    names=("log", "ln"),
    domain="log needs a positive number",
    example="log(x)",
    doc="the natural logarithm of x",
)
LOG_BASE = Operation(
    "log_base",
    _log_base,
    # d/db of log(x)/log(b) = -log(x) / (b log(b)²) = -out / (b log(b)); divided one factor at
    # a time, so that no product in between overflows.
    lambda out, x, base: (1 / x / log(base), -out / base / log(base)),
    "log({a}, {b})",
    ("1 / ({a} * log({b}))", "-log({a}, {b}) / ({b} * log({b}))"),
    r"\log_{$b}($a)",
    (r"\frac{1}{$a \ln($b)}", r"-\frac{\log_{$b}($a)}{$b \ln($b)}"),
    names=("log",),
    arity=2,
    domain="log needs a positive number, and a positive base other than 1",
    example="log(x, 2)",
    doc="the logarithm of x to the given base",
    parameters=("x", "base"),
)
LOG2 = Operation(
    "log2",
    math.log2,
    lambda out, x: (1 / x / _LN2,),
    "log2({a})",
    ("1 / ({a} * log(2))",),
    r"\log_{2}($a)",
    (r"\frac{1}{$a \ln 2}",),
    names=("log2",),
    domain="log2 needs a positive number",
    example="log2(x)",
    doc="the logarithm of x to base 2",
)
LOG10 = Operation(
    "log10",
    math.log10,
    lambda out, x: (1 / x / _LN10,),
    "log10({a})",
    ("1 / ({a} * log(10))",),
    r"\log_{10}($a)",
    (r"\frac{1}{$a \ln 10}",),
    names=("log10",),
    domain="log10 needs a positive number",
    example="log10(x)",
    doc="the logarithm of x to base 10",
)
SQRT = Operation(
    "sqrt",
    math.sqrt,
    lambda out, x: (0.5 / out,),  # infinite at 0: 0.5 / 0 raises, and the engine says so
    "sqrt({a})",
    ("1 / (2 * sqrt({a}))",),
    r"\sqrt{$a}",
    (r"\frac{1}{2 \sqrt{$a}}",),
    names=("sqrt",),
    domain="sqrt needs a number >= 0",
    kink="at 0 the derivative is infinite: an error",
    example="sqrt(x)",
    doc="the square root of x",
)


# --- pieces of straight lines ---------------------------------------------------------------


def _relu(x: float) -> float:
    return 0.0 if x <= 0 else x  # written so that nan stays nan: not a quiet 0


def _d_relu(out: Operand, x: Operand) -> tuple[Operand]:
    # At 0, where relu has no derivative, the subgradient 0 is used (as micrograd does).
    x = _data(x)
    return (1 if x > 0 else 0 if x <= 0 else math.nan,)


def _d_abs(out: Operand, x: Operand) -> tuple[Operand]:
    # At 0, where |x| has no derivative, the subgradient 0 is used; nan has no sign.
    x = _data(x)
    return (1 if x > 0 else -1 if x < 0 else 0 if x == 0 else math.nan,)


def _leaky_relu(x: float, slope: float) -> float:
    return x if x > 0 else slope * x  # nan stays nan


def _d_leaky_relu(out: Operand, x: Operand, slope: Operand) -> tuple[Operand, Operand]:
    # At 0 the slope of the left side is used, as relu uses its left side's 0.
    number = _data(x)
    if number > 0:
        return 1, 0
    if number <= 0:
        return slope, x
    return math.nan, math.nan


def _sign(x: float) -> float:
    return 1.0 if x > 0 else -1.0 if x < 0 else 0.0 if x == 0 else math.nan


def _d_sign(out: Operand, x: Operand) -> tuple[Operand]:
    # Flat on either side; at 0, where it jumps, 0 is used, as abs uses it.
    return (0 if _data(x) == _data(x) else math.nan,)


def _extreme(pick: Callable[..., float]) -> Callable[..., float]:
    """max or min of numbers, nan if any is nan (Python's own max depends on where the nan is)."""

    def extreme(*xs: float) -> float:
        return math.nan if any(x != x for x in xs) else pick(xs)

    return extreme


def _d_extreme(out: Operand, *xs: Operand) -> tuple[Operand, ...]:
    # At a tie every tied operand gets an equal share: the shares still add up to 1, and
    # the order of the operands does not matter.
    value = _data(out)
    if value != value:
        return (math.nan,) * len(xs)
    ties = sum(1 for x in xs if _data(x) == value)
    return tuple(1 / ties if _data(x) == value else 0 for x in xs)


RELU = Operation(
    "relu",
    _relu,
    _d_relu,
    "relu({a})",
    ("1 if {a} > 0, else 0",),
    r"\operatorname{relu}($a)",
    (r"1 \text{ if } $a > 0 \text{, else } 0",),
    names=("relu",),
    kink="at 0 the derivative is 0, as in micrograd",
    example="relu(x)",
    doc="max(0, x)",
    derivative_formulas=("sign(relu({a}))",),
)
LEAKY_RELU = Operation(
    "leaky_relu",
    _leaky_relu,
    _d_leaky_relu,
    "leaky_relu({a}, {b})",
    ("1 if {a} > 0, else {b}", "0 if {a} > 0, else {a}"),
    r"\operatorname{leaky\_relu}($a, $b)",
    (r"1 \text{ if } $a > 0 \text{, else } $b", r"0 \text{ if } $a > 0 \text{, else } $a"),
    names=("leaky_relu",),
    arity=2,
    defaults=(0.01,),
    kink="at 0 the derivative is the slope, the left side's, as relu's is 0",
    example="leaky_relu(x, 0.1)",
    doc="x where x > 0, else slope * x",
    parameters=("x", "slope"),
    derivative_formulas=("{b} + (1 - {b}) * sign(relu({a}))", "min({a}, 0)"),
)
ABS = Operation(
    "abs",
    abs,
    _d_abs,
    "abs({a})",
    ("sign({a})",),
    r"\lvert $a \rvert",
    (r"\operatorname{sign}($a)",),
    names=("abs",),
    kink="at 0 the derivative is 0",
    example="abs(x)",
    doc="the absolute value of x",
)
SIGN = Operation(
    "sign",
    _sign,
    _d_sign,
    "sign({a})",
    ("0",),
    r"\operatorname{sign}($a)",
    ("0",),
    names=("sign",),
    kink="at 0, where it jumps, the derivative is 0",
    example="sign(x)",
    doc="1 for x > 0, -1 for x < 0, 0 for 0: the derivative of abs",
)
MAX = Operation(
    "max",
    _extreme(max),
    _d_extreme,
    "max({args})",
    ("1 if {x} is the largest, else 0 (1/k each for k tied)",),
    r"\max($args)",
    (r"1 \text{ if } $x \text{ is the largest, else } 0 \text{ (} 1/k \text{ each for } k \text{ tied)}",),
    names=("max",),
    arity=VARIADIC,
    kink="at a tie the derivative 1 is shared equally among the tied operands",
    example="max(a, b, 0)",
    doc="the largest operand",
    parameters=("a", "b", "..."),
    derivative_formulas=("1 - sign(max({args}) - {x})",),  # at a tie, 1 for each tied operand
)
MIN = Operation(
    "min",
    _extreme(min),
    _d_extreme,
    "min({args})",
    ("1 if {x} is the smallest, else 0 (1/k each for k tied)",),
    r"\min($args)",
    (r"1 \text{ if } $x \text{ is the smallest, else } 0 \text{ (} 1/k \text{ each for } k \text{ tied)}",),
    names=("min",),
    arity=VARIADIC,
    kink="at a tie the derivative 1 is shared equally among the tied operands",
    example="min(a, b)",
    doc="the smallest operand",
    parameters=("a", "b", "..."),
    derivative_formulas=("1 - sign({x} - min({args}))",),  # at a tie, 1 for each tied operand
)


def _hypot(*xs: float) -> float:
    return math.hypot(*xs)


def _d_hypot(out: Operand, *xs: Operand) -> tuple[Operand, ...]:
    # At 0 (every operand 0), a cone's tip, the subgradient 0 is used, as abs uses it.
    if _data(out) == 0:
        return (0,) * len(xs)
    if _data(out) < _TINY:
        # Below the normal floats hypot has lost digits: scale up by a power of 2 (exactly) and
        # take it again. The scale is a plain number: x_i / hypot(x) does not depend on it.
        xs = tuple(x * _SCALE for x in xs)
        out = hypot(*xs)
    return tuple(x / out for x in xs)


HYPOT = Operation(
    "hypot",
    _hypot,
    _d_hypot,
    "hypot({args})",
    ("{x} / hypot({args})",),
    r"\operatorname{hypot}($args)",
    (r"\frac{$x}{\operatorname{hypot}($args)}",),
    names=("hypot",),
    arity=VARIADIC,
    kink="where every operand is 0 the derivatives are 0",
    example="hypot(x, y)",
    doc="sqrt(a**2 + b**2 + ...), with no overflow on the way",
    parameters=("a", "b", "..."),
)


# --- trigonometry ---------------------------------------------------------------------------


def _d_tan(out: Operand, x: Operand) -> tuple[Operand]:
    c = cos(x)
    return (1 / (c * c),)


def _d_atan(x: Operand) -> Operand:
    # 1 / (1 + x²) as a square of 1 / hypot(1, x): x² would overflow for a large x.
    root = 1 / hypot(1, x)
    return root * root


def _d_atan2(out: Operand, y: Operand, x: Operand) -> tuple[Operand, Operand]:
    # x / (x² + y²) and -y / (x² + y²), with x and y first divided by the larger of the two,
    # so that no square over- or underflows. The scale is a plain number: the quotients do
    # not depend on it. At (0, 0) the division by it raises: there is no derivative there.
    scale = max(abs(_data(y)), abs(_data(x)))
    y_scaled, x_scaled = y / scale, x / scale
    squares = x_scaled * x_scaled + y_scaled * y_scaled
    return x_scaled / squares / scale, -y_scaled / squares / scale


SIN = Operation(
    "sin",
    math.sin,
    lambda out, x: (cos(x),),
    "sin({a})",
    ("cos({a})",),
    r"\sin($a)",
    (r"\cos($a)",),
    names=("sin",),
    domain="sin needs a finite number",
    example="sin(x)",
    doc="the sine of x (in radians)",
)
COS = Operation(
    "cos",
    math.cos,
    lambda out, x: (-sin(x),),
    "cos({a})",
    ("-sin({a})",),
    r"\cos($a)",
    (r"-\sin($a)",),
    names=("cos",),
    domain="cos needs a finite number",
    example="cos(x)",
    doc="the cosine of x (in radians)",
)
TAN = Operation(
    "tan",
    math.tan,
    _d_tan,
    "tan({a})",
    ("1 / cos({a})**2",),
    r"\tan($a)",
    (r"\frac{1}{\cos^{2}($a)}",),
    names=("tan",),
    domain="tan needs a finite number",
    example="tan(x)",
    doc="the tangent of x (in radians)",
)
ASIN = Operation(
    "asin",
    math.asin,
    # 1 / sqrt(1 - x²) as two square roots: 1 - x² would lose the digits of x near ±1.
    lambda out, x: (1 / (sqrt(1 - x) * sqrt(1 + x)),),
    "asin({a})",
    ("1 / sqrt(1 - {a}**2)",),
    r"\arcsin($a)",
    (r"\frac{1}{\sqrt{1 - {$a}^{2}}}",),
    names=("asin",),
    domain="asin needs a number from -1 to 1",
    kink="at -1 and 1 the derivative is infinite: an error",
    example="asin(x)",
    doc="the angle whose sine is x, from -pi/2 to pi/2",
)
ACOS = Operation(
    "acos",
    math.acos,
    lambda out, x: (-1 / (sqrt(1 - x) * sqrt(1 + x)),),
    "acos({a})",
    ("-1 / sqrt(1 - {a}**2)",),
    r"\arccos($a)",
    (r"-\frac{1}{\sqrt{1 - {$a}^{2}}}",),
    names=("acos",),
    domain="acos needs a number from -1 to 1",
    kink="at -1 and 1 the derivative is infinite: an error",
    example="acos(x)",
    doc="the angle whose cosine is x, from 0 to pi",
)
ATAN = Operation(
    "atan",
    math.atan,
    lambda out, x: (_d_atan(x),),
    "atan({a})",
    ("1 / (1 + {a}**2)",),
    r"\arctan($a)",
    (r"\frac{1}{1 + {$a}^{2}}",),
    names=("atan",),
    example="atan(x)",
    doc="the angle whose tangent is x, from -pi/2 to pi/2",
)
ATAN2 = Operation(
    "atan2",
    math.atan2,
    _d_atan2,
    "atan2({a}, {b})",
    ("{b} / ({a}**2 + {b}**2)", "-{a} / ({a}**2 + {b}**2)"),
    r"\operatorname{atan2}($a, $b)",
    (r"\frac{$b}{{$a}^{2} + {$b}^{2}}", r"-\frac{$a}{{$a}^{2} + {$b}^{2}}"),
    names=("atan2",),
    arity=2,
    kink="at (0, 0) there is no derivative: an error",
    example="atan2(y, x)",
    doc="the angle of the point (x, y), from -pi to pi",
    parameters=("y", "x"),
)


# --- hyperbolic functions -------------------------------------------------------------------


def _d_tanh(out: Operand, x: Operand) -> tuple[Operand]:
    # 1 - tanh(x)² = 4t / (1 + t)² with t = exp(-2|x|): no cancellation where tanh is near ±1.
    # Past |x| = 400 it is below the smallest float (and 2|x| may overflow): 0.
    if abs(_data(x)) > 400:
        return (0,)
    t = exp(-2 * abs(x))
    return (4 * t / ((1 + t) * (1 + t)),)


SINH = Operation(
    "sinh",
    math.sinh,
    lambda out, x: (cosh(x),),
    "sinh({a})",
    ("cosh({a})",),
    r"\sinh($a)",
    (r"\cosh($a)",),
    names=("sinh",),
    example="sinh(x)",
    doc="the hyperbolic sine of x",
)
COSH = Operation(
    "cosh",
    math.cosh,
    lambda out, x: (sinh(x),),
    "cosh({a})",
    ("sinh({a})",),
    r"\cosh($a)",
    (r"\sinh($a)",),
    names=("cosh",),
    example="cosh(x)",
    doc="the hyperbolic cosine of x",
)
TANH = Operation(
    "tanh",
    math.tanh,
    _d_tanh,
    "tanh({a})",
    ("1 - tanh({a})**2",),
    r"\tanh($a)",
    (r"1 - \tanh^{2}($a)",),
    names=("tanh",),
    example="tanh(x)",
    doc="the hyperbolic tangent of x",
)
ASINH = Operation(
    "asinh",
    math.asinh,
    lambda out, x: (1 / hypot(x, 1),),  # 1 / sqrt(x² + 1), with no overflow of x²
    "asinh({a})",
    ("1 / sqrt({a}**2 + 1)",),
    r"\operatorname{arsinh}($a)",
    (r"\frac{1}{\sqrt{{$a}^{2} + 1}}",),
    names=("asinh",),
    example="asinh(x)",
    doc="the inverse hyperbolic sine of x",
)
ACOSH = Operation(
    "acosh",
    math.acosh,
    lambda out, x: (1 / (sqrt(x - 1) * sqrt(x + 1)),),
    "acosh({a})",
    ("1 / sqrt({a}**2 - 1)",),
    r"\operatorname{arcosh}($a)",
    (r"\frac{1}{\sqrt{{$a}^{2} - 1}}",),
    names=("acosh",),
    domain="acosh needs a number >= 1",
    kink="at 1 the derivative is infinite: an error",
    example="acosh(x)",
    doc="the inverse hyperbolic cosine of x",
)
ATANH = Operation(
    "atanh",
    math.atanh,
    lambda out, x: (1 / ((1 - x) * (1 + x)),),
    "atanh({a})",
    ("1 / (1 - {a}**2)",),
    r"\operatorname{artanh}($a)",
    (r"\frac{1}{1 - {$a}^{2}}",),
    names=("atanh",),
    domain="atanh needs a number between -1 and 1",
    example="atanh(x)",
    doc="the inverse hyperbolic tangent of x",
)


# --- the functions of neural networks -------------------------------------------------------


def _sigmoid(x: float) -> float:
    # Two forms of the same function, so that exp never overflows.
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def _d_sigmoid_of(x: Operand) -> Operand:
    # s(1 - s) = t / (1 + t)² with t = exp(-|x|): no cancellation where s is near 1.
    t = exp(-abs(x))
    return t / ((1 + t) * (1 + t))


def _softplus(x: float) -> float:
    # log(1 + e**x) = max(x, 0) + log(1 + e**-|x|): e**-|x| is at most 1, so nothing overflows.
    return max(x, 0.0) + math.log1p(math.exp(-abs(x)))


def _silu(x: float) -> float:
    return x * _sigmoid(x)


def _gelu(x: float) -> float:
    # x·Φ(x), with Φ(x) = erfc(-x/√2) / 2: no cancellation where Φ is near 0, as 1 + erf(x/√2)
    # has; and x / 2 first, so that nothing overflows for the largest x.
    return x / 2 * math.erfc(-x / _SQRT2)


def _d_gelu(out: Operand, x: Operand) -> tuple[Operand]:
    # Φ(x) + x·φ(x). Past |x| = 40, φ(x) is below the smallest float: 0, and x² may overflow.
    if abs(_data(x)) > 40:
        return (erfc(-x / _SQRT2) / 2,)
    return (erfc(-x / _SQRT2) / 2 + x * exp(-x * x / 2) * _ONE_OVER_SQRT_2PI,)


def _gaussian(x: Operand) -> Operand:
    """exp(-x²), erf's derivative without its factor: 0 past |x| = 28, where it underflows anyway."""
    return 0 if abs(_data(x)) > 28 else exp(-x * x)


def _logsumexp(*xs: float) -> float:
    # log(e**a + e**b + ...) = m + log(1 + the sum of e**(x - m) for all but one largest x):
    # every power is at most 1, so nothing overflows, and log1p keeps the digits of a small sum.
    m = max(xs)
    if math.isinf(m):
        return m
    rest = list(xs)
    rest.remove(m)
    return m + math.log1p(math.fsum(math.exp(x - m) for x in rest))


def _d_logsumexp(out: Operand, *xs: Operand) -> tuple[Operand, ...]:
    # d/dx_i = e**x_i / (e**a + e**b + ...), the softmax, with every power shifted by the
    # largest x so that none overflows. The shift is a plain number: the softmax does not
    # depend on it, so it needs no derivative of its own.
    shift = max(_data(x) for x in xs)
    # A difference below the smallest float is -inf, whose power is 0: taken as the number 0,
    # since the subtraction of Values would refuse to overflow.
    powers = [0.0 if _data(x) - shift == -math.inf else exp(x - shift) for x in xs]
    total = sum(powers)
    return tuple(power / total for power in powers)


SIGMOID = Operation(
    "sigmoid",
    _sigmoid,
    lambda out, x: (_d_sigmoid_of(x),),
    "sigmoid({a})",
    ("sigmoid({a}) * (1 - sigmoid({a}))",),
    r"\sigma($a)",
    (r"\sigma($a) \bigl(1 - \sigma($a)\bigr)",),
    names=("sigmoid",),
    example="sigmoid(x)",
    doc="1 / (1 + e ** -x)",
)
SOFTPLUS = Operation(
    "softplus",
    _softplus,
    lambda out, x: (sigmoid(x),),
    "softplus({a})",
    ("sigmoid({a})",),
    r"\operatorname{softplus}($a)",
    (r"\sigma($a)",),
    names=("softplus",),
    example="softplus(x)",
    doc="log(1 + e ** x), with no overflow for any x",
)
SILU = Operation(
    "silu",
    _silu,
    # d(x·s)/dx = s + x·s(1 - s)
    lambda out, x: (sigmoid(x) + x * _d_sigmoid_of(x),),
    "silu({a})",
    ("sigmoid({a}) * (1 + {a} * (1 - sigmoid({a})))",),
    r"\operatorname{silu}($a)",
    (r"\sigma($a) \bigl(1 + $a (1 - \sigma($a))\bigr)",),
    names=("silu",),
    example="silu(x)",
    doc="x * sigmoid(x)",
)
GELU = Operation(
    "gelu",
    _gelu,
    _d_gelu,
    "gelu({a})",
    ("(1 + erf({a} / sqrt(2))) / 2 + {a} * exp(-{a}**2 / 2) / sqrt(2 * pi)",),
    r"\operatorname{gelu}($a)",
    (r"\Phi($a) + $a \, \varphi($a)",),
    names=("gelu",),
    example="gelu(x)",
    doc="x * Φ(x), Φ the normal distribution's cumulative function (the exact form, with erf)",
)
ERF = Operation(
    "erf",
    math.erf,
    lambda out, x: (_TWO_OVER_SQRT_PI * _gaussian(x),),
    "erf({a})",
    ("2 / sqrt(pi) * exp(-{a}**2)",),
    r"\operatorname{erf}($a)",
    (r"\frac{2}{\sqrt{\pi}} e^{-{$a}^{2}}",),
    names=("erf",),
    example="erf(x)",
    doc="the error function of x",
)
ERFC = Operation(
    "erfc",
    math.erfc,
    lambda out, x: (-_TWO_OVER_SQRT_PI * _gaussian(x),),
    "erfc({a})",
    ("-2 / sqrt(pi) * exp(-{a}**2)",),
    r"\operatorname{erfc}($a)",
    (r"-\frac{2}{\sqrt{\pi}} e^{-{$a}^{2}}",),
    names=("erfc",),
    example="erfc(x)",
    doc="1 - erf(x), with no cancellation for large x",
)
LOGSUMEXP = Operation(
    "logsumexp",
    _logsumexp,
    _d_logsumexp,
    "logsumexp({args})",
    ("exp({x} - logsumexp({args}))",),
    r"\operatorname{logsumexp}($args)",
    (r"e^{$x - \operatorname{logsumexp}($args)}",),
    names=("logsumexp",),
    arity=VARIADIC,
    example="logsumexp(a, b, c)",
    doc="log(e ** a + e ** b + ...), with no overflow for any numbers",
    parameters=("a", "b", "..."),
)


# --- the registry ---------------------------------------------------------------------------

OPERATIONS: dict[str, Operation] = {
    operation.label: operation
    for operation in (
        ADD,
        SUB,
        MUL,
        DIV,
        POW,
        NEG,
        EXP,
        LOG,
        LOG_BASE,
        LOG2,
        LOG10,
        SQRT,
        RELU,
        LEAKY_RELU,
        ABS,
        SIGN,
        MAX,
        MIN,
        HYPOT,
        SIN,
        COS,
        TAN,
        ASIN,
        ACOS,
        ATAN,
        ATAN2,
        SINH,
        COSH,
        TANH,
        ASINH,
        ACOSH,
        ATANH,
        SIGMOID,
        SOFTPLUS,
        SILU,
        GELU,
        ERF,
        ERFC,
        LOGSUMEXP,
    )
}


def _functions() -> dict[str, tuple[Operation, ...]]:
    functions: dict[str, tuple[Operation, ...]] = {}
    for operation in OPERATIONS.values():
        for name in operation.names:
            functions[name] = (*functions.get(name, ()), operation)
    return functions


# The functions an expression can call, by name; a name can stand for operations of different
# arities (log(x) and log(x, base)).
FUNCTIONS: dict[str, tuple[Operation, ...]] = _functions()


def accepts(operation: Operation, count: int) -> bool:
    """Whether ``operation`` can be called with ``count`` operands (its defaults may fill the rest)."""
    if operation.arity == VARIADIC:
        return count >= 2
    return operation.arity - len(operation.defaults) <= count <= operation.arity


def arity_text(name: str) -> str:
    """How many arguments the function ``name`` takes, in words: 'one argument', 'two or more'."""
    counts: set[int] = set()
    for operation in FUNCTIONS[name]:
        if operation.arity == VARIADIC:
            return "two or more arguments"
        counts.update(range(operation.arity - len(operation.defaults), operation.arity + 1))
    words = {1: "one", 2: "two", 3: "three"}
    shown = [words.get(count, str(count)) for count in sorted(counts)]
    noun = "argument" if shown == ["one"] else "arguments"
    return f"{' or '.join(shown)} {noun}"


def functions_help(width: int = 76) -> str:
    """The functions an expression can call, as a paragraph of ``--help`` at most ``width`` wide."""
    lines = ["Functions (radians; log is natural; see docs/functions.md):"]
    line = " "
    for name in FUNCTIONS:
        if len(line) + len(name) + 2 > width:
            lines.append(line.rstrip())
            line = " "
        line += f" {name},"
    lines.append(line.rstrip(","))
    return "\n".join(lines)


def call_text(operation: Operation, numbers: tuple[float, ...]) -> str:
    """The operation written with numbers for its operands, as a message quotes it: log(-1.0)."""
    return written(operation, [str(number) for number in numbers])


def written(operation: Operation, operands: list[str]) -> str:
    """The operation written with the given texts for its operands: 'x * w', 'tanh(h)'."""
    # Only an operator needs a negative operand in parentheses: (-2) ** 0.5, but log(-1).
    return operation.text.format(**placeholders(operands, parenthesized=operation.is_operator))


def derivative_formula(operation: Operation, position: int, count: int) -> str:
    """The local derivative with respect to operand ``position`` of ``count`` as an expression michigrad reads.

    The operands are written _a, _b (or _0, _1, ... in an operation of any number of operands).
    """
    templates = operation.derivative_formulas or operation.derivative_texts
    names = formula_operands(operation, count)
    if operation.arity == VARIADIC:
        return templates[0].format(x=names[position], **placeholders(names))
    return templates[position].format(**placeholders(names))


def formula_operands(operation: Operation, count: int) -> list[str]:
    """The names that stand for the operands in ``derivative_formula``: _a, _b, or _0, _1, ..."""
    return [f"_{index}" for index in range(count)] if operation.arity == VARIADIC else ["_a", "_b"][:count]


def derivative_written(operation: Operation, position: int, operands: list[str]) -> str:
    """The local derivative with respect to operand ``position``, written with the operands' texts."""
    if operation.arity == VARIADIC:
        template = operation.derivative_texts[0]
        return template.format(x=operands[position], **placeholders(operands))
    return operation.derivative_texts[position].format(**placeholders(operands))


def placeholders(operands: list[str], parenthesized: bool = True) -> dict[str, str]:
    """The {a}, {b} and {args} of a template; a negative number is put in parentheses: x * (-2)."""
    if parenthesized:
        operands = [f"({operand})" if operand.startswith("-") else operand for operand in operands]
    return {**dict(zip("ab", operands, strict=False)), "args": ", ".join(operands)}


def value_error(operation: Operation, numbers: tuple[float, ...], error: Exception) -> MathError:
    """The MathError for an operation that has no value at ``numbers``: what it was and why."""
    shown = call_text(operation, numbers)
    if isinstance(error, MathError):
        return error
    if isinstance(error, OverflowError):
        return MathError(f"overflow: {shown} is too large for a float")
    return MathError(f"no real result: {shown} ({operation.domain or 'it is not defined there'})")


def derivative_error(operation: Operation, numbers: tuple[float, ...], error: Exception) -> MathError:
    """The MathError for an operation whose local derivative does not exist at ``numbers``."""
    if isinstance(error, MathError) and not str(error).startswith("division by zero"):
        return error
    if isinstance(error, OverflowError):
        return MathError(f"overflow: the derivative of {call_text(operation, numbers)} is too large for a float")
    if len(numbers) == 1:
        # Said with the number, not a variable's name: the operand may be a step of the program.
        return MathError(f"no real derivative: the derivative of {call_text(operation, numbers)} is infinite")
    return MathError(f"no real derivative: {call_text(operation, numbers)} has no derivative there")
