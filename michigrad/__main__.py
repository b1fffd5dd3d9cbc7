"""``python -m michigrad``: the same as the ``michigrad`` command."""

from michigrad.cli import main

if __name__ == "__main__":
    main()
