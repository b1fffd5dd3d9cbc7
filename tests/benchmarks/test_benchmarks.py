"""Every benchmark runs, at a tiny size, and computes what it claims to: so none of them can rot.

No timing is asserted here: the figures of a tiny run mean nothing, and a shared machine
makes any time a flaky assertion. What is checked is that each benchmark runs and that the
engines it compares compute the same numbers.
"""

import math
import re
import subprocess
import sys

import pytest

from benchmarks import depth, engines, grading, run, startup, training, wide

# Every benchmark runs, in processes of their own, and compares its engines.
pytestmark = pytest.mark.slow


def test_the_whole_table_is_printed_at_a_tiny_size(capsys):
    run.main(["--tiny"])
    out = capsys.readouterr().out
    for heading in ("Engine:", "Depth:", "Start-up:", "Batch:", "Grading:", "Formulas:"):
        assert heading in out
    for label in ("training step", "wide graph", "memory per node", "michigrad, 2,000 operations", "rows per second"):
        assert label in out
    assert startup.EVAL_LABEL in out


def test_one_family_can_be_run_alone(capsys):
    run.main(["--tiny", "--only", "depth"])
    out = capsys.readouterr().out
    assert "Depth:" in out
    assert "Engine:" not in out and "Start-up:" not in out


def test_the_grading_benchmark_grades_each_class_as_it_is_made():
    # measure() checks the reports of each class before it times them, and raises if one is off.
    figures = grading.measure(submissions=12, repeats=1)
    assert (figures.submissions, list(figures.seconds)) == (12, list(grading.CLASSES))


def test_the_unexplained_class_has_every_gradient_wrong_by_the_same_factor(tmp_path):
    import tomllib

    right = tomllib.loads((grading.COURSE / "submissions" / "ada.toml").read_text(encoding="utf-8"))
    files = sorted(grading.write_class(tmp_path, "unexplained", 3).iterdir())
    assert len(files) == 3
    wrong = tomllib.loads(files[0].read_text(encoding="utf-8"))
    for ours, theirs in zip(wrong["problem"], right["problem"], strict=True):
        assert ours["values"] == theirs["values"]
        assert ours["gradients"] == {name: number * 1.37 for name, number in theirs["gradients"].items()}


def test_a_training_step_trains_the_demo_network():
    figures = training.measure([engines.michigrad()], points=4, steps=2)["michigrad"]
    assert len(figures.losses) == 2
    assert all(math.isfinite(loss) for loss in figures.losses)
    # Every node of the loss counted: 4 points through a 2-16-16-1 network is thousands.
    assert figures.nodes > 4 * (2 * 16 + 16 * 16 + 16)


def test_the_two_moons_are_labelled_minus_one_and_one():
    points, labels = training.two_moons(10)
    assert len(points) == len(labels) == 10
    assert set(labels) == {-1.0, 1.0}


def test_the_wide_graph_sums_every_product():
    xs, ws = wide.factors(1001)
    figures = wide.measure([engines.michigrad()], products=1001, repeats=1)["michigrad"]
    assert figures.value == pytest.approx(math.fsum(x * w for x, w in zip(xs, ws, strict=True)))
    # 2 inputs and a product per term, and 1000 additions to sum 1001 terms.
    assert figures.nodes == 3 * 1001 + 1000


def test_summing_in_pairs_keeps_the_graph_shallow():
    terms = [engines.michigrad().Value(1.0) for _ in range(1024)]
    total = wide.sum_in_pairs(terms)
    depth_of_graph = 0
    node = total
    while node._prev:
        node = node._prev[0]
        depth_of_graph += 1
    assert total.data == 1024.0
    assert depth_of_graph == 10


def test_a_deep_chain_backpropagates():
    figures = depth.measure(engines.michigrad(), operations=5_000, repeats=1)
    assert figures.error == ""
    assert figures.operations == 5_000


def test_the_minimal_app_runs_as_the_start_up_floor():
    completed = subprocess.run(
        [sys.executable, str(startup.MINIMAL_APP), "x*w+b"], capture_output=True, text=True, check=True
    )
    assert completed.stdout == "x*w+b\n"


def test_the_start_up_commands_all_succeed():
    figures = startup.measure(repeats=1)
    assert list(figures.seconds) == [
        startup.EVAL_LABEL,
        startup.WITH_LAST_COLLECTION_LABEL,
        startup.MINIMAL_APP_LABEL,
        startup.BARE_PYTHON_LABEL,
    ]
    assert figures.typer_version


def test_the_start_up_table_gives_evals_ratio_to_the_minimal_app_and_the_budget(capsys):
    status = run.main(["--tiny", "--only", "startup"])
    out = capsys.readouterr().out
    budget_line = next(line for line in out.splitlines() if line.startswith("Budget:"))
    # The ratio of a tiny run means nothing, so whether it passes is not asserted: only that it is said.
    assert re.fullmatch(r"Budget: eval takes \d+\.\d\d× the minimal app, at most 1\.10×: (PASS|FAIL)", budget_line)
    assert status == 0  # without --check, the status does not depend on the figures


@pytest.mark.parametrize(("eval_seconds", "verdict", "status"), [(0.105, "PASS", 0), (0.115, "FAIL", 1)])
def test_check_fails_when_eval_starts_slower_than_its_budget(monkeypatch, capsys, eval_seconds, verdict, status):
    figures = startup.StartupFigures(
        typer_version="0.28.0",
        seconds={startup.EVAL_LABEL: eval_seconds, startup.MINIMAL_APP_LABEL: 0.1},
    )
    monkeypatch.setattr(startup, "measure", lambda repeats: figures)
    assert run.main(["--tiny", "--only", "startup", "--check"]) == status
    assert capsys.readouterr().out.rstrip().endswith(f"at most 1.10×: {verdict}")


def test_eval_with_the_last_collection_prints_what_eval_prints():
    commands = startup.commands()
    outputs = [
        subprocess.run(commands[label], capture_output=True, text=True, check=True).stdout
        for label in (startup.EVAL_LABEL, startup.WITH_LAST_COLLECTION_LABEL)
    ]
    assert outputs[0] == outputs[1] == "value\t2.0\ngrad_x\t2.0\ngrad_w\t0.5\ngrad_b\t1.0\n"


# micrograd is the baseline of the benchmark extra (pip install -e ".[benchmark]").


def test_both_engines_train_alike_from_the_same_weights():
    baseline = _baseline()
    figures = training.measure([engines.michigrad(), baseline], points=6, steps=3)
    ours, theirs = figures["michigrad"], figures[baseline.name]
    assert ours.losses == pytest.approx(theirs.losses, rel=1e-12)
    assert ours.nodes == theirs.nodes


def test_both_engines_sum_the_same_wide_graph():
    baseline = _baseline()
    figures = wide.measure([engines.michigrad(), baseline], products=500, repeats=1)
    assert figures["michigrad"].value == pytest.approx(figures[baseline.name].value, rel=1e-12)


def test_the_baseline_cannot_backpropagate_a_deep_chain():
    figures = depth.measure(_baseline(), operations=2_000, repeats=1)
    assert figures.error == "RecursionError"


def _baseline() -> engines.Engine:
    baseline = engines.micrograd()
    if baseline is None:
        pytest.skip('micrograd is not installed: pip install -e ".[benchmark]"')
    return baseline


def test_formulas_are_about_as_short_as_sympys_simplified_ones_on_the_whole_corpus():
    from benchmarks import formulas

    assert len(formulas.CORPUS) >= 40
    median, largest = formulas.summary([formulas.compare(*item) for item in formulas.CORPUS])
    assert median <= 1.3 and largest <= 3


def test_the_large_expression_of_the_formulas_benchmark_has_the_operations_it_claims():
    from benchmarks import formulas
    from michigrad.grammar import parse
    from michigrad.grammar.program import CONSTANT, INPUT

    program = parse(formulas.large_expression(1_000))
    operations = [step for step in program.steps if step.operation not in (INPUT, CONSTANT)]
    assert len(operations) == 1_000 - 1  # 200 units of 4 operations, joined by 199 additions
