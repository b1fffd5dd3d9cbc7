"""``python -m michigrad``: the same as the ``michigrad`` command."""

from michigrad.cli import main

main()
