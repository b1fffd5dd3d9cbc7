"""``explain``'s step-through page (michigrad/explain/page.py) as one file; the page in a browser is
tested with the graph's page, in tests/visualize/test_browser.py."""

from __future__ import annotations

import re

from explain_command import SHARED, run_ok


def test_the_step_page_is_one_offline_file(cli, tmp_path):
    path = tmp_path / "steps.html"
    assert run_ok(cli, *SHARED, "--format", "html", "-o", str(path)) == ""
    page = path.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and 'id="steps-data"' in page and 'id="next"' in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)  # no CDN, nothing fetched
