"""Fuzzing every non-flow file the product reads, through the command line.

Each generated input runs in a forked child with memory and CPU limits (see ``harness``),
and must end with exit 0 or 2, no traceback, a location in one of our files on every error
line, no escape sequence on the terminal, and nothing written when it fails. Hypothesis runs
derandomised (a fixed sequence of examples), so CI sees the same cases every time.
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caseforchange.io.folder import load_programme
from caseforchange.io.workbook import write_workbook
from tests.conftest import SMALL_PROGRAMME, SMALL_SCORES
from tests.engagement.helpers import SMALL_ENGAGEMENT
from tests.fuzz.harness import assert_judged, run_limited, snapshot

pytestmark = pytest.mark.skipif(
    not hasattr(__import__("os"), "fork"), reason="needs fork for per-case limits"
)

FUZZ = settings(
    max_examples=12,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

#: Text that has broken the product before, or would if handled carelessly.
HOSTILE = [
    b":100:",
    b"[red]x[/red]",
    b"[/]",
    b"\x1b[31m",
    b"\x1b]8;;http://example.invalid\x07",
    b'=HYPERLINK("http://example.invalid")',
    b"@SUM(1)",
    b"*a",
    b"&a ",
    b"\xef\xbf\xbe",  # U+FFFE in UTF-8
    b"\xff\xfe",
    b"\r",
    b"\x00",
    b"'",
    b'"',
    b",",
    b";",
    b"\t",
    b"- ",
    b": ",
    b"{",
    b"[" * 300,
    b"0001-01-01",
    b"9999-12-31",
    b"1e308",
    b".inf",
    b"-100",
    b"x" * 150_000,
    b"\xe9",
    "\u00a3\u2014".encode(),
]
_ENCODINGS = ["utf-16", "cp1252", "utf-8-sig", "latin-1"]


@st.composite
def mutated(draw: st.DrawFn, base: bytes) -> bytes:
    """Return ``base`` with one to three edits: flips, cuts, insertions, line copies, encodings."""
    data = bytearray(base)
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["flip", "cut", "insert", "line", "drop", "encode"]))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if kind == "flip" and data:
            data[at] ^= draw(st.integers(1, 255))
        elif kind == "cut":
            del data[at:]
        elif kind == "insert":
            data[at:at] = draw(st.sampled_from(HOSTILE) | st.binary(min_size=1, max_size=6))
        elif kind in ("line", "drop"):
            lines = bytes(data).split(b"\n")
            index = draw(st.integers(0, len(lines) - 1))
            if kind == "line":
                lines.insert(index, lines[index])
            else:
                del lines[index]
            data = bytearray(b"\n".join(lines))
        elif kind == "encode":
            text = bytes(data).decode("utf-8", errors="replace")
            data = bytearray(text.encode(draw(st.sampled_from(_ENCODINGS)), errors="replace"))
    return bytes(data)


def _folder(root: Path) -> Path:
    folder = root / "prog"
    folder.mkdir()
    (folder / "programme.yaml").write_text(SMALL_PROGRAMME, encoding="utf-8")
    (folder / "scores.csv").write_text(SMALL_SCORES, encoding="utf-8")
    (folder / "engagement.yaml").write_text(SMALL_ENGAGEMENT, encoding="utf-8")
    return folder


def _case(prepare: Callable[[Path], list[str]]) -> None:
    """Make a fresh folder, let ``prepare`` write the input and name the command, run, judge."""
    with tempfile.TemporaryDirectory(prefix="cfc-fuzz-") as tmp:
        root = Path(tmp)
        args = prepare(root)
        before = snapshot(root)
        outcome = run_limited(args)
        assert_judged(outcome, str(root))
        if outcome.exit_code != 0:
            assert snapshot(root) == before, "a failed run wrote or changed files"


@FUZZ
@given(mutated(SMALL_PROGRAMME.encode()))
def test_programme_yaml(data: bytes) -> None:
    def prepare(root: Path) -> list[str]:
        folder = _folder(root)
        (folder / "programme.yaml").write_bytes(data)
        return ["validate", str(folder)]

    _case(prepare)


@FUZZ
@given(mutated(SMALL_SCORES.encode()))
def test_scores_csv(data: bytes) -> None:
    def prepare(root: Path) -> list[str]:
        folder = _folder(root)
        (folder / "scores.csv").write_bytes(data)
        return ["show", str(folder)]

    _case(prepare)


@FUZZ
@given(mutated(SMALL_ENGAGEMENT.encode()))
def test_engagement_yaml(data: bytes) -> None:
    def prepare(root: Path) -> list[str]:
        folder = _folder(root)
        (folder / "engagement.yaml").write_bytes(data)
        return ["engagement", "check", str(folder)]

    _case(prepare)


_EXPORT = (
    b"respondent_id,submitted,group,support,who,matters,comments\n"
    b"1,2010-10-12,Staff,Yes,Staff,Local care;NHS,Keep the nurses\n"
    b'2,11/10/2010,Public,no,Public,Quality,"Two\nlines"\n'
)


@FUZZ
@given(mutated(_EXPORT))
def test_responses_csv(data: bytes) -> None:
    def prepare(root: Path) -> list[str]:
        folder = _folder(root)
        (root / "export.csv").write_bytes(data)
        return [
            "engagement",
            "import-responses",
            str(folder),
            str(root / "export.csv"),
            "--mapping",
            "generic",
        ]

    _case(prepare)


_MAPPING = b"name: mine\nextends: generic\nquestionnaire: survey\ndelimiter: ','\n"


@FUZZ
@given(mutated(_MAPPING))
def test_mapping(data: bytes) -> None:
    def prepare(root: Path) -> list[str]:
        folder = _folder(root)
        (root / "export.csv").write_bytes(_EXPORT)
        (root / "mine.yaml").write_bytes(data)
        return [
            "engagement",
            "import-responses",
            str(folder),
            str(root / "export.csv"),
            "--mapping",
            str(root / "mine.yaml"),
        ]

    _case(prepare)


def _workbook_bytes() -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        folder = _folder(Path(tmp))
        path = Path(tmp) / "book.xlsx"
        write_workbook(load_programme(folder).programme, path)
        return path.read_bytes()


_WORKBOOK = _workbook_bytes()
_CELL_TEXT = st.sampled_from([h.decode("utf-8", errors="replace") for h in HOSTILE]) | st.text(
    max_size=20
)


@st.composite
def edited_workbook(draw: st.DrawFn) -> bytes:
    """Return the small programme's workbook with a few cells overwritten (or a zip flipped)."""
    if draw(st.booleans()):
        return draw(mutated(_WORKBOOK))
    book = openpyxl.load_workbook(io.BytesIO(_WORKBOOK))
    for _ in range(draw(st.integers(1, 3))):
        sheet = book[draw(st.sampled_from(book.sheetnames))]
        row = draw(st.integers(1, max(sheet.max_row, 1) + 1))
        column = draw(st.integers(1, max(sheet.max_column, 1) + 1))
        value = draw(
            _CELL_TEXT | st.integers(-(10**12), 10**12) | st.floats(allow_nan=True) | st.none()
        )
        if isinstance(value, str):
            # openpyxl refuses control characters when writing; the reader must handle the rest.
            value = "".join(c for c in value if c >= " " or c in "\t\n\r")
        sheet.cell(row=row, column=column).value = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@FUZZ
@given(edited_workbook())
def test_workbook(data: bytes) -> None:
    def prepare(root: Path) -> list[str]:
        (root / "book.xlsx").write_bytes(data)
        return ["import-xlsx", str(root / "book.xlsx"), str(root / "out")]

    _case(prepare)


@FUZZ
@given(edited_workbook())
def test_responses_xlsx(data: bytes) -> None:
    def prepare(root: Path) -> list[str]:
        folder = _folder(root)
        (root / "export.xlsx").write_bytes(data)
        return [
            "engagement",
            "import-responses",
            str(folder),
            str(root / "export.xlsx"),
            "--mapping",
            "generic",
        ]

    _case(prepare)


@settings(max_examples=8, derandomize=True, deadline=None, database=None)
@given(
    depth=st.integers(1, 400),
    fan=st.integers(2, 12),
    levels=st.integers(1, 9),
    loop=st.booleans(),
)
def test_yaml_nesting_and_aliases(depth: int, fan: int, levels: int, loop: bool) -> None:
    """Deep nesting, alias fan-out ("billion laughs") and self-containing aliases."""
    extra = f"nested: {'[' * depth}{']' * depth}\n"
    extra += "l0: &a0 [" + ",".join(["x"] * fan) + "]\n"
    for n in range(1, levels):
        extra += f"l{n}: &a{n} [" + ",".join([f"*a{n - 1}"] * fan) + "]\n"
    if loop:
        extra += "loop: &self [*self]\n"

    def prepare(root: Path) -> list[str]:
        folder = _folder(root)
        (folder / "programme.yaml").write_text(SMALL_PROGRAMME + extra, encoding="utf-8")
        return ["validate", str(folder)]

    _case(prepare)
