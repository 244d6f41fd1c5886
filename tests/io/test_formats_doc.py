"""The complete example in docs/formats.md is a valid programme."""

from __future__ import annotations

import re
from pathlib import Path

from caseforchange.io.folder import load_programme

DOC = Path(__file__).resolve().parents[2] / "docs" / "formats.md"


def test_documented_example_validates(tmp_path: Path) -> None:
    text = DOC.read_text(encoding="utf-8")
    yaml_block = re.search(r"```yaml\n(.*?)```", text, re.S)
    csv_block = re.search(r"```csv\n(.*?)```", text, re.S)
    assert yaml_block and csv_block
    (tmp_path / "programme.yaml").write_text(yaml_block.group(1), encoding="utf-8")
    (tmp_path / "scores.csv").write_text(csv_block.group(1), encoding="utf-8")
    programme = load_programme(tmp_path).programme
    assert programme.id == "small" and len(programme.scores) == 5
