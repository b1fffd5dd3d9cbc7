"""The README and the pages of docs/, as the tests read them: a whole page, or one section of it."""

from __future__ import annotations

import re

from paths import ROOT

# Every page of the user's documentation: the README first, then docs/ in name order.
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def page(name: str) -> str:
    """The text of README.md, or of a page of docs/ by its file name (``"limits.md"``)."""
    path = ROOT / name if name == "README.md" else ROOT / "docs" / name
    return path.read_text(encoding="utf-8")


def section(name: str, title: str) -> str:
    """The text under the heading ``title`` of a page, up to the next heading of the same level or above.

    Lines inside fenced code blocks are never headings: a ``# comment`` in a script is not one.
    """
    level, taken, in_code = None, [], False
    for line in page(name).splitlines(keepends=True):
        if line.startswith("```"):
            in_code = not in_code
        heading = None if in_code else re.match(r"(#+) (.*)", line)
        if level is None:
            if heading and heading.group(2).strip() == title:
                level = len(heading.group(1))
        elif heading and len(heading.group(1)) <= level:
            break
        else:
            taken.append(line)
    assert level is not None, f"{name} has no heading {title!r}"
    return "".join(taken)
