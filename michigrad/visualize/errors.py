"""The two ways making a picture can fail, each a ``MichigradError`` with its exit code."""

from __future__ import annotations

from michigrad.errors import MichigradError
from michigrad.files import FileWriteError


class GraphTooLargeError(MichigradError, ValueError):
    """A graph with more values than the caller allowed to draw; ``count`` and ``limit`` say how many."""

    exit_code = 1

    def __init__(self, count: int, limit: int) -> None:
        super().__init__(
            f"the graph has {count} values, more than max_nodes={limit}: drawing it could take minutes; "
            f"pass max_nodes={count} (or None) to draw it anyway"
        )
        self.count = count
        self.limit = limit


class DrawingError(FileWriteError):
    """A picture file that could not be made: no ``dot`` program, a missing directory, ...

    It is a ``FileWriteError``, as a file any command cannot write is, with the same exit code.
    """
