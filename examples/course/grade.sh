#!/usr/bin/env bash
# Grading a class's homework with michigrad check: a sheet, its key, and eleven submissions.
#
# What it teaches: a teacher writes the questions (sheet.toml), michigrad answers them
# (key.toml), and grades a folder of submissions against the key, one row per student, with
# the mistake behind each wrong gradient said in words and follow-through credit for answers
# right from the student's own earlier ones. The submissions make the usual slips: a factor
# left out, a path left out, tanh's or sigmoid's derivative taken with the input, a sign
# lost, the upstream gradient left out, the 2 of a square left out, typos, and a file that
# is not TOML at all. Then variants.toml gives every student a point of their own, drawn from
# ranges: a sheet and a hand-out for each student of roster.txt, and one key for the class.
#
# Run it, with michigrad installed (pip install -e . in a clone):
#
#     bash examples/course/grade.sh
#
# Each command is printed after a "$", then run, from this folder.
set -euo pipefail
cd "$(dirname "$0")"

# Print a command, then run it. The command is a fixed string of this script.
run() {
    printf '\n$ %s\n' "$1"
    eval "$1"
}

echo "# The key is the sheet with every question answered, its comments kept."
run 'michigrad check --solve sheet.toml | diff - key.toml && echo "key.toml is the solved sheet"'

echo
echo "# The gradebook: a row per student, a column per problem; exit code 2, one file is not TOML."
run 'michigrad check --key key.toml submissions/ --format csv || echo "exit code: $?"'

echo
echo "# One student's answers, each with what it was and why."
run 'michigrad check --key key.toml submissions/dan.toml --detail --format plain || echo "exit code: $?"'

echo
echo "# The results file of Gradescope's autograder, its feedback in Markdown, hidden until published."
run 'michigrad check --key key.toml submissions/ben.toml --format gradescope --visibility after_published || echo "exit code: $?"'

echo
echo "# A point of its own for every student: one student's sheet, from an exercise file with ranges."
run 'michigrad check --variant s1001 variants.toml'

echo
echo "# A sheet and a printable hand-out for every student of the roster, in a new folder."
sheets=$(mktemp -d)
run 'michigrad check --variants roster.txt variants.toml -o "$sheets" && ls "$sheets"'

echo
echo "# Student s1002's key, handed in as their submission, is all correct at their own point."
run 'michigrad check --solve --variant s1002 variants.toml > "$sheets/s1002-answers.toml"'
run 'michigrad check --key variants.toml "$sheets/s1002-answers.toml" --format csv'
rm -r "$sheets"
