#!/usr/bin/env bash
# The michigrad command line, from the shell.
#
# What it teaches: `michigrad eval` gives the value of an expression and its derivative with
# respect to every variable; its plain output is made for pipes, so the shell can use a
# gradient (here, to run gradient descent with awk), and it evaluates a whole column of points
# from --input. `michigrad explain` writes backpropagation out step by step, `michigrad graph`
# draws the graph, and `michigrad check` checks answers worked out by hand. Errors come with a
# message on stderr and an exit code that a script can test.
#
# Run it, with michigrad installed (pip install -e . in a clone):
#
#     bash examples/cli.sh            # draws its graph in a new temporary folder
#     bash examples/cli.sh drawings   # ... or in the folder drawings
#
# Each command is printed after a "$", then run, from the examples folder.
set -euo pipefail

drawings=${1:-$(mktemp -d)}
mkdir -p "$drawings"
drawings=$(cd "$drawings" && pwd)
cd "$(dirname "$0")"

# Print a command, then run it. The command is a fixed string of this script.
run() {
    printf '\n$ %s\n' "$1"
    eval "$1"
}

echo "# The value of x*w + b at a point, and its gradient: one line per number."
run 'michigrad eval "x*w + b" --x 0.5 --w 2 --b 1'

echo
echo "# A neuron and its loss: statements name intermediate values; the last is the result."
run 'michigrad eval "h = x*w + b; p = tanh(h); L = (t - p)**2" x=0.5 w=-1 b=0.25 t=1'

echo
echo "# tanh(x*w + b) as JSON, or as CSV (a header, then a row), for other programs."
run 'michigrad eval "tanh(x*w + b)" --x 0.5 --w -1 --b 1e-3 --format json'
run 'michigrad eval "tanh(x*w + b)" --x 0.5 --w -1 --b 1e-3 --format csv'

echo
echo "# Backpropagation step by step: the forward pass, then every use of the chain rule with its numbers."
run 'michigrad explain "p = tanh(x*w + b)" x=0.5 w=-1 b=0.25'

echo
echo "# A pipeline: awk picks one gradient out of the plain output."
run 'michigrad eval "(y - x*w)**2" --x 0.5 --w 2 --y 2 | awk -F "\t" '\''$1 == "grad_w" {print $2}'\'''

echo
echo "# Many points at once: a CSV column of x in (a header, then a row each), a row of results out."
run '(echo x; seq -2 2) | michigrad eval "tanh(x)" --input -'

echo
echo "# Gradient descent in the shell: minimise (y - x*w)**2, whose minimum is at w = y/x = 4."
run 'w=2 rate=1
for step in 1 2 3 4 5; do
    grad=$(michigrad eval "(y - x*w)**2" --x 0.5 --w "$w" --y 2 | awk -F "\t" '\''$1 == "grad_w" {print $2}'\'')
    w=$(awk -v w="$w" -v grad="$grad" -v rate="$rate" '\''BEGIN {print w - rate * grad}'\'')
    echo "step $step: w = $w"
done'

echo
echo "# The graph of a neuron and its loss, each value with its data and gradient. The file's"
echo "# extension picks the format: .html is a page to drag and zoom; .svg, .png and .pdf need graphviz."
graph_file=$(printf %q "$drawings/neuron.html")
run "michigrad graph \"h = x*w + b; p = tanh(h); L = (t - p)**2\" x=0.5 w=-1 b=0.25 t=1 -o $graph_file"
echo "(open $drawings/neuron.html in a browser)"

echo
echo "# Answers to an exercise, worked out by hand, checked: one line each, exit code 1 if one is wrong."
run 'michigrad check homework/answers.toml || echo "exit code: $?"'

echo
echo "# Errors: one message on stderr, and an exit code (1: no real result, 2: a usage error)."
run 'michigrad eval "log(x)" --x -1 || echo "exit code: $?"'
run 'michigrad eval "x*w + b" --x 0.5 --w 2 || echo "exit code: $?"'
