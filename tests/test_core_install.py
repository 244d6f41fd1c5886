"""The core install (no extras) runs the command line; the extras' modules are never needed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from caseforchange.examples import example_path

# Run the command line with every module of an optional extra made unimportable, as after a
# plain `pip install caseforchange`.
BLOCKED = """
import sys
from importlib.abc import MetaPathFinder

from caseforchange.extras import PROVIDED_BY


class NotInstalled(MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in PROVIDED_BY:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None


sys.meta_path.insert(0, NotInstalled())
from caseforchange.cli.main import app

app(sys.argv[1:], prog_name="caseforchange")
"""


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", BLOCKED, *args], capture_output=True, text=True, timeout=300
    )


def test_validate_and_html_and_excel_reports_need_no_extra(tmp_path: Path) -> None:
    programme = str(example_path("plymouth-2010"))
    assert _run("validate", programme).returncode == 0
    done = _run("report", programme, "-o", str(tmp_path), "--format", "html,xlsx")
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html", "report.xlsx"]


def test_pdf_without_the_reports_extra_is_a_clear_refusal(tmp_path: Path) -> None:
    done = _run("report", str(example_path("plymouth-2010")), "-o", str(tmp_path / "out"))
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "pip install 'caseforchange[reports]'" in done.stderr
    assert not (tmp_path / "out").exists()
