"""Every command that writes leaves its target exactly as it was when writing fails.

Faults: a full disk (ENOSPC at the final rename), a read-only place (EROFS) and no permission
(EACCES) when the staging file is made (tests run as root, where chmod does not bite, so the
errors are injected), a file where a folder should be (and a folder where a file should be),
and SIGINT / SIGTERM arriving just before the final rename. Each must end with a message,
exit 2 (130 for SIGINT, 143 for SIGTERM), no traceback, and an unchanged target.
"""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from typer.testing import CliRunner

from caseforchange.cli.main import app
from caseforchange.examples import example_path
from caseforchange.io import atomic
from caseforchange.io.folder import load_programme
from caseforchange.io.workbook import write_workbook
from tests.conftest import SMALL_PROGRAMME, SMALL_SCORES
from tests.engagement.helpers import SMALL_ENGAGEMENT

runner = CliRunner()

OLD = b"the earlier output, which must survive\n"


def snapshot(folder: Path) -> dict[str, str]:
    """Return every path under ``folder`` with the SHA-256 of each file's bytes."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        if p.is_file()
        else "dir"
        for p in sorted(folder.rglob("*"))
    }


def _small(root: Path) -> Path:
    folder = root / "small"
    folder.mkdir()
    (folder / "programme.yaml").write_text(SMALL_PROGRAMME, encoding="utf-8")
    (folder / "scores.csv").write_text(SMALL_SCORES, encoding="utf-8")
    (folder / "engagement.yaml").write_text(SMALL_ENGAGEMENT, encoding="utf-8")
    return folder


def _example(root: Path, name: str) -> Path:
    return Path(shutil.copytree(example_path(name), root / name))


# Each command: prepare inputs and an existing target under root; return the arguments and
# the target. Folder targets hold an earlier report.html; file targets hold OLD.
Command = Callable[[Path], tuple[list[str], Path]]


def report(root: Path) -> tuple[list[str], Path]:
    out = root / "out"
    out.mkdir()
    (out / "report.html").write_bytes(OLD)
    source = _example(root, "hertfordshire-2007")
    return ["report", str(source), "-o", str(out), "--format", "html"], out


def export_xlsx(root: Path) -> tuple[list[str], Path]:
    out = root / "book.xlsx"
    out.write_bytes(OLD)
    return ["export-xlsx", str(_small(root)), str(out)], out


def import_xlsx(root: Path) -> tuple[list[str], Path]:
    book = root / "in.xlsx"
    write_workbook(load_programme(_small(root)).programme, book)
    out = root / "imported"
    out.mkdir()
    (out / "programme.yaml").write_bytes(OLD)
    return ["import-xlsx", str(book), str(out)], out


def appraise_json(root: Path) -> tuple[list[str], Path]:
    out = root / "result.json"
    out.write_bytes(OLD)
    source = _example(root, "hertfordshire-2007")
    return ["appraise", str(source), "--samples", "2000", "--json", str(out)], out


def consultation_report(root: Path) -> tuple[list[str], Path]:
    out = root / "out"
    out.mkdir()
    (out / "consultation-report.html").write_bytes(OLD)
    source = _example(root, "leicester-children-2010")
    return ["engagement", "consultation-report", str(source), "-o", str(out)], out


def letters(root: Path) -> tuple[list[str], Path]:
    out = root / "letters"
    out.mkdir()
    (out / "old.html").write_bytes(OLD)
    source = _example(root, "leicester-children-2010")
    args = ["engagement", "letters", str(source), "stakeholder-event", "-o", str(out)]
    return [*args, "--format", "html"], out


def new(root: Path) -> tuple[list[str], Path]:
    out = root / "fresh"
    return ["new", str(out)], out


def import_responses(root: Path) -> tuple[list[str], Path]:
    folder = _small(root)
    export = root / "export.csv"
    export.write_text(
        "respondent_id,submitted,group,support,who,matters,comments\n"
        "1,2010-10-12,Staff,Yes,Staff,NHS,fine\n",
        encoding="utf-8",
    )
    args = ["engagement", "import-responses", str(folder), str(export), "--mapping", "generic"]
    return args, folder


COMMANDS: list[Command] = [
    report,
    export_xlsx,
    import_xlsx,
    appraise_json,
    consultation_report,
    letters,
    new,
    import_responses,
]


def _oserror(code: int) -> Callable[..., object]:
    def fail(*args: object, **kwargs: object) -> object:
        raise OSError(code, os.strerror(code))

    return fail


def _signal_before_rename(signum: int) -> Callable[[], object]:
    @contextmanager
    def deliver() -> Iterator[None]:
        os.kill(os.getpid(), signum)
        yield

    return deliver


@pytest.fixture(autouse=True)
def _restore_signals() -> Iterator[None]:
    handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    # Ctrl-C as at a terminal: a test run started in the background by a shell without job
    # control inherits SIGINT ignored, and the command would then rightly not stop on it.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    for number, handler in handlers.items():
        signal.signal(number, handler)


def _full_disk(mp: pytest.MonkeyPatch) -> None:
    mp.setattr(atomic.os, "replace", _oserror(errno.ENOSPC))
    mp.setattr(atomic.os, "rename", _oserror(errno.ENOSPC))


def _cannot_create(code: int) -> Callable[[pytest.MonkeyPatch], None]:
    def inject(mp: pytest.MonkeyPatch) -> None:
        mp.setattr(atomic.tempfile, "mkdtemp", _oserror(code))
        mp.setattr(atomic.tempfile, "mkstemp", _oserror(code))

    return inject


def _signal(signum: int) -> Callable[[pytest.MonkeyPatch], None]:
    def inject(mp: pytest.MonkeyPatch) -> None:
        mp.setattr(atomic, "_signals_held", _signal_before_rename(signum))

    return inject


FAULTS: dict[str, tuple[int, Callable[[pytest.MonkeyPatch], None]]] = {
    "full disk": (2, _full_disk),
    "read-only": (2, _cannot_create(errno.EROFS)),
    "no permission": (2, _cannot_create(errno.EACCES)),
    "SIGINT": (130, _signal(signal.SIGINT)),
    "SIGTERM": (143, _signal(signal.SIGTERM)),
}


@pytest.mark.parametrize("fault", list(FAULTS))
@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c.__name__)
def test_fault_leaves_target_unchanged(
    command: Command, fault: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    args, target = command(tmp_path)
    before = snapshot(tmp_path)
    code, inject = FAULTS[fault]
    inject(monkeypatch)
    result = runner.invoke(app, args)
    assert result.exit_code == code, (result.exit_code, result.stderr, result.exception)
    assert "Traceback" not in result.output
    message = result.stderr.strip()
    assert message, "no message"
    if code == 2:
        assert message.startswith(str(target)), message
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c.__name__)
def test_wrong_kind_of_thing_in_the_way(command: Command, tmp_path: Path) -> None:
    args, target = command(tmp_path)
    # A file where a folder should be, or a folder where a file should be.
    if target.is_dir():
        shutil.rmtree(target)
        target.write_bytes(OLD)
    elif target.exists():
        target.unlink()
        target.mkdir()
    else:
        target.write_bytes(OLD)
    before = snapshot(tmp_path)
    result = runner.invoke(app, args)
    assert result.exit_code == 2, (result.stderr, result.exception)
    assert "Traceback" not in result.output
    assert result.stderr.startswith(str(target)) or str(target) in result.stderr
    assert snapshot(tmp_path) == before


def test_success_follows_umask_and_salt_is_private(tmp_path: Path) -> None:
    args, folder = import_responses(tmp_path)
    old = os.umask(0o027)
    try:
        result = runner.invoke(app, args)
    finally:
        os.umask(old)
    assert result.exit_code == 0, result.stderr
    assert (folder / ".caseforchange-salt").stat().st_mode & 0o777 == 0o600
    assert (folder / "responses" / "survey.csv").stat().st_mode & 0o777 == 0o640
    assert (folder / "responses").stat().st_mode & 0o777 == 0o750
    assert not [p for p in folder.rglob("*") if p.name.endswith(".partial")]
