"""``michigrad eval``: the value of an expression and its gradient at one point, or at every row of an input."""

from typing import TYPE_CHECKING, Annotated

import typer

from michigrad.cli.arguments import ExpressionArguments, refuse_mistyped_options, split_arguments
from michigrad.cli.eval_formats import EvalFormat, PointResult, write
from michigrad.cli.program_file import ProgramFileOption, read_program
from michigrad.cli.reporting import reported_errors, warn_about_unused_statements, warned
from michigrad.cli.terminal import default_format, default_row_format
from michigrad.errors import UsageError
from michigrad.operations import functions_help

if TYPE_CHECKING:
    from michigrad.grammar import Program

EVAL_EXAMPLES = f"""
Examples:

  michigrad eval "x*w + b" --x 0.5 --w 2 --b 1

  michigrad eval "tanh(x*w + b)" x=0.5 w=-1 b=1e-3 --format json

  michigrad eval "h = x*W₀ + b; p = tanh(h); (t - p)**2" x=1 W₀=0.3 b=0 t=1

  michigrad eval "tanh(x*w + b)" --input points.csv --b 0.1 > results.csv

  (echo x; seq 1 5) | michigrad eval -f model.txt --input - --w 2 --b 0

  michigrad eval "x**2*y + sin(y)" x=1 y=0.5 --order 2

{functions_help()}

Exit codes: 0 ok, 1 the math has no real result, 2 a usage or syntax error.
"""

# The formats that stream one line per row; a table or one JSON document does not.
_ROW_FORMATS = (EvalFormat.csv, EvalFormat.tsv, EvalFormat.plain, EvalFormat.jsonl)


def eval_command(
    ctx: typer.Context,
    arguments: ExpressionArguments = None,
    output_format: Annotated[
        EvalFormat | None,
        typer.Option(
            "--format",
            help="table (the default at a terminal), plain (the default in a pipe), json, csv, tsv or jsonl. "
            "With --input: csv, tsv, plain (the default at a terminal) or jsonl; in a pipe, the input's format.",
            show_default=False,
        ),
    ] = None,
    program_file: ProgramFileOption = None,
    input_path: Annotated[
        str | None,
        typer.Option(
            "--input",
            metavar="FILE",
            help="Evaluate at every row of FILE ('-' for stdin): CSV or TSV with a header of column names, "
            "or JSON Lines. Values given on the command line apply to every row; other columns pass through.",
            show_default=False,
        ),
    ] = None,
    input_format: Annotated[
        str | None,
        typer.Option(
            "--input-format",
            metavar="[csv|tsv|jsonl]",
            help="The format of --input, when its extension does not say (by default it is sniffed).",
            show_default=False,
        ),
    ] = None,
    delimiter: Annotated[
        str | None,
        typer.Option(
            "--delimiter",
            metavar="CHARACTER",
            help="The delimiter of a CSV --input (by default , TAB ; or | as its header shows); 'tab' for TAB.",
            show_default=False,
        ),
    ] = None,
    order: Annotated[
        int,
        typer.Option("--order", min=1, max=2, help="2 adds the Hessian, the second derivatives by every pair."),
    ] = 1,
    keep_going: Annotated[
        bool,
        typer.Option(
            "--keep-going",
            help="With --input: give rows whose math has no real result, or with a cell that is missing or not a "
            "number, empty results and go on (exit 1 at the end).",
        ),
    ] = False,
) -> None:
    """Print the value of EXPRESSION and its derivative with respect to every variable.

    Statements are separated by ';' or new lines; a name assigned with '=' labels
    that value, and the last statement is the result. With --input, do it for
    every row of a file or of stdin, one output line per row.
    """
    from michigrad.grammar import parse

    with reported_errors():
        expression, values = split_arguments(arguments or [], ctx)
        if program_file is not None:
            expression = read_program(program_file, expression, input_path)
        if expression is None:
            raise UsageError('missing the expression: michigrad eval "x*w + b" --x 0.5 --w 2 --b 1')
        program = parse(expression)
        refuse_mistyped_options(arguments or [], program, ctx)
        warn_about_unused_statements(program)
        if input_path is None:
            _refuse_batch_options(input_format, delimiter, keep_going)
            _evaluate_one_point(program, expression, values, output_format, order)
            return
        if output_format is not None and output_format not in _ROW_FORMATS:
            formats = ", ".join(_ROW_FORMATS)
            raise UsageError(f"--format {output_format} writes one point; with --input, use one of {formats}")
        # NumPy comes in with the batch path, and only with it: one point does not pay for it.
        from michigrad.batch import INPUT_FORMATS, run_batch

        if input_format is not None and input_format not in INPUT_FORMATS:
            raise UsageError(f"--input-format {input_format!r} is not one of {', '.join(INPUT_FORMATS)}")
        output_format = output_format or default_row_format(EvalFormat)
        run_batch(
            program,
            input_path=input_path,
            values=values,
            input_format=input_format,
            delimiter=_delimiter(delimiter),
            output_format=output_format.value if output_format else None,
            keep_going=keep_going,
            warn=warned,
            order=order,
        )


def _evaluate_one_point(
    program: "Program", expression: str, values: dict[str, float], output_format: EvalFormat | None, order: int = 1
) -> None:
    graph = program.evaluate(values)
    gradients = graph.backward()
    hessian = None
    if order == 2:
        from michigrad.higher_order import hessian_of

        hessian = hessian_of(graph)
    result = PointResult(
        expression=expression,
        value=float(graph.output.data),
        variables={name: values[name] for name in program.variables},
        gradients=gradients,
        label=graph.output.name,
        hessian=hessian,
    )
    write(result, output_format or default_format(EvalFormat))


def _delimiter(given: str | None) -> str | None:
    """--delimiter's character; 'tab' and '\\t' spell a TAB, which is hard to type in a shell.

    The library validates the rest (``run_batch``'s ``delimiter``): reporting words it with the option.
    """
    if given is not None and (given.lower() == "tab" or given == "\\t"):
        return "\t"
    return given


def _refuse_batch_options(input_format: str | None, delimiter: str | None, keep_going: bool) -> None:
    """The options about rows need rows: without --input they are a mistake, not to ignore silently."""
    for name, given in (("--input-format", input_format), ("--delimiter", delimiter), ("--keep-going", keep_going)):
        if given:
            raise UsageError(f"{name} is for many points: give them with --input FILE (or --input - for stdin)")
