"""Newton's method on Rosenbrock's function, with the Hessian from michigrad's grad taken twice.

    f(x, y) = (1 - x)**2 + 100*(y - x**2)**2

has its minimum, 0, at (1, 1), at the bottom of a long curved valley where gradient descent
crawls. Newton's method steps to the minimum of the quadratic that the gradient g and the
Hessian H describe at the current point: it solves H · step = -g. From (-1.2, 1), the
classic start, it reaches the minimum in a handful of steps, where gradient descent needs
thousands.

The gradient is ``grad(f, [x, y], create_graph=True)``: Values, whose graphs ``grad`` then
differentiates again for the rows of the Hessian.

    python examples/newton.py
    python examples/newton.py --start 2 -1 --steps 10
"""

from __future__ import annotations

import argparse
import sys

from michigrad.engine import Value, grad


def rosenbrock(x: Value, y: Value) -> Value:
    """(1 - x)**2 + 100*(y - x**2)**2"""
    return (1 - x) ** 2 + 100 * (y - x**2) ** 2


def gradient_and_hessian(x0: float, y0: float) -> tuple[float, list[float], list[list[float]]]:
    """f, its gradient and its Hessian at (x0, y0)."""
    x, y = Value(x0, name="x"), Value(y0, name="y")
    f = rosenbrock(x, y)
    first = grad(f, [x, y], create_graph=True)  # Values: graphs that can be differentiated again
    hessian = [grad(derivative, [x, y]) for derivative in first]  # numbers: the rows of the Hessian
    return f.data, [derivative.data for derivative in first], hessian


def newton_step(gradient: list[float], hessian: list[list[float]]) -> list[float]:
    """The step that solves H · step = -gradient, for a 2×2 H (Cramer's rule)."""
    (a, b), (c, d) = hessian
    determinant = a * d - b * c
    if determinant == 0:
        raise ZeroDivisionError("the Hessian is singular here: Newton's method has no step to take")
    gx, gy = gradient
    return [-(d * gx - b * gy) / determinant, -(a * gy - c * gx) / determinant]


def main(arguments: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="newton.py", description=__doc__.splitlines()[0])
    parser.add_argument("--start", nargs=2, type=float, default=[-1.2, 1.0], metavar=("X", "Y"))
    parser.add_argument("--steps", type=int, default=8, help="how many Newton steps (default 8)")
    options = parser.parse_args(arguments)
    if options.steps < 1:
        parser.error("--steps must be at least 1")
    point = list(options.start)
    for step in range(options.steps + 1):
        value, gradient, hessian = gradient_and_hessian(*point)
        print(f"step {step}: x = {point[0]:.12f}, y = {point[1]:.12f}, f = {value:.6e}")
        if step == options.steps or gradient == [0.0, 0.0]:
            break
        try:
            move = newton_step(gradient, hessian)
        except ZeroDivisionError as error:
            print(f"newton.py: error: {error}", file=sys.stderr)
            return 1
        point = [point[0] + move[0], point[1] + move[1]]
    return 0


if __name__ == "__main__":
    sys.exit(main())
