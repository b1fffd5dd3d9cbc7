"""Benchmarks of michigrad, each measured side by side with what it is compared against.

``python -m benchmarks.run`` prints the table; each module here is one family of figures.
"""
