"""The smallest command line that does what ``michigrad eval`` cannot do without.

A one-command Typer app that imports lark: the floor that ``michigrad eval``'s start-up is
measured against (benchmarks/startup.py runs it as a separate process).
"""

import lark  # noqa: F401  (imported for its cost: michigrad parses with it)
import typer

app = typer.Typer(add_completion=False)


@app.command()
def evaluate(expression: str) -> None:
    """Print the expression."""
    print(expression)


if __name__ == "__main__":
    app()
