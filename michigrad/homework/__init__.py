"""Homework on backpropagation, checked: answer files, answer keys and grades.

An exercise gives an expression and a point, and asks for values and gradients worked out
by hand. A file of ``[[problem]]`` tables (TOML) holds the exercise and the answers;
michigrad computes the exact answers with its own engine and checks each given one within
a tolerance.

>>> from michigrad.homework import parse_problems, Role, solve_problem
>>> text = '''
... [[problem]]
... expression = "h = x*w; L = h + 1"
... at = { x = 2.0, w = 3.0 }
... value = 7
... gradients = { w = 2, h = 1 }
... '''
>>> problem, = parse_problems(text, "answers.toml", Role.ANSWERS)
>>> solved = solve_problem(problem)
>>> [solved.solution.label(quantity) for quantity in solved.questions]
['value', '∂L/∂w', '∂L/∂h']
>>> solved.solution.gradients
{'x': 3.0, 'w': 2.0, 'h': 1.0, 'L': 1.0}

The modules, in the order the data flows: ``problems`` (what a file holds), ``reading``
(TOML in: strictly, or fairly for a student's submission), ``solving`` (the exact answers),
``backprop`` (the key's graph, edge by edge), ``follow_through`` (answers from the student's
own earlier ones) and ``mistakes`` (which slip gave a wrong gradient), ``formulas`` (answers
written as formulas, checked at many points), ``grading`` (answers checked, points added
up), then ``gradescope`` and ``writing`` (results out). ``variants`` gives every student a
point of their own, drawn from an exercise's ranges. Nothing here prints.
"""

from michigrad.errors import UnreadableFileError
from michigrad.homework.gradescope import gradescope_results
from michigrad.homework.grading import (
    AnswerCheck,
    AnswerKey,
    ProblemCheck,
    Report,
    check_file,
    grade,
    grade_file,
    read_key,
    ungraded,
)
from michigrad.homework.problems import Problem, Quantity, Submission, Tolerance
from michigrad.homework.reading import (
    Role,
    parse_problems,
    parse_submission,
    read_problems,
    read_submission,
    read_text,
    submission_files,
)
from michigrad.homework.solving import Solution, SolvedProblem, solve_problem
from michigrad.homework.variants import variant
from michigrad.homework.writing import solved_toml, variant_sheet

__all__ = [
    "AnswerCheck",
    "AnswerKey",
    "Problem",
    "ProblemCheck",
    "Quantity",
    "Report",
    "Role",
    "Solution",
    "SolvedProblem",
    "Submission",
    "Tolerance",
    "UnreadableFileError",
    "check_file",
    "grade",
    "grade_file",
    "gradescope_results",
    "parse_problems",
    "parse_submission",
    "read_key",
    "read_problems",
    "read_submission",
    "read_text",
    "solve_problem",
    "solved_toml",
    "submission_files",
    "ungraded",
    "variant",
    "variant_sheet",
]
