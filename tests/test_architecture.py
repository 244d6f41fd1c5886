"""docs/architecture.md names every module of the package and points only inside the repository."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "caseforchange"
DOC = ROOT / "docs" / "architecture.md"


def _modules() -> list[Path]:
    return sorted(
        p.relative_to(PACKAGE)
        for p in PACKAGE.rglob("*.py")
        if p.name != "__init__.py" and "migrations" not in p.parts
    )


def test_every_module_is_named_in_the_architecture_doc() -> None:
    text = DOC.read_text(encoding="utf-8")
    modules = _modules()
    names = Counter(p.name for p in modules)

    def named(module: Path) -> bool:
        dotted = "caseforchange." + ".".join(module.with_suffix("").parts)
        if module.as_posix() in text or dotted in text:
            return True
        # A bare file name is enough only when no other module has the same name.
        return names[module.name] == 1 and re.search(rf"\b{re.escape(module.name)}\b", text)

    missing = [m.as_posix() for m in modules if not named(m)]
    assert not missing, f"docs/architecture.md does not name: {', '.join(missing)}"


def test_the_architecture_doc_points_only_at_files_in_the_repository() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert "shared/" not in text and "../" not in text
    for target in re.findall(r"`((?:docs|src|tests|benchmarks|requirements)/[^`\s]+)`", text):
        assert (ROOT / target).exists(), f"docs/architecture.md points at missing {target}"


def test_every_jinja_environment_comes_from_the_one_factory() -> None:
    factory = PACKAGE / "reports" / "templating.py"
    makers = []
    for path in sorted(PACKAGE.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        if path != factory and "jinja2" in text and re.search(r"(?<![\w.])Environment\(", text):
            makers.append(path.relative_to(PACKAGE).as_posix())
    assert not makers, f"make Jinja environments with reports.templating: {', '.join(makers)}"
