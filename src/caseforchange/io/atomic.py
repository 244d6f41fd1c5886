"""Write outputs beside their target and move them into place only when all succeeded.

Every command that writes goes through here: ``report``, ``export-xlsx``, ``import-xlsx``,
``appraise --json``, ``consultation-report``, ``letters``, ``new`` and ``import-responses``.
A failure, a full disk, Ctrl-C or SIGTERM while writing leaves the target exactly as it was:
the files are written into a hidden staging folder (or ``.NAME.*.partial`` file) in the same
folder as the target, so the final step is a rename on one file system. Signals are held back
during that last step so that it is not cut in half.

Outputs follow the user's umask (temporary files are created 0600, so the mode is set before
the rename); files marked private (the pseudonymisation salt) stay 0600.
"""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from caseforchange.domain.problems import InvalidInput, Problem

_HELD = {signal.SIGINT, signal.SIGTERM}


def current_umask() -> int:
    """Return the process umask (reading it means setting it; it is set straight back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _public_mode(directory: bool) -> int:
    return (0o777 if directory else 0o666) & ~current_umask()


def write_failure(target: Path, error: OSError) -> InvalidInput:
    """Return the located problem for an output that could not be written."""
    reason = error.strerror or str(error) or type(error).__name__
    return InvalidInput(
        [Problem((), f"cannot write here: {reason}; nothing was written", str(target))]
    )


@contextmanager
def _signals_held() -> Iterator[None]:
    """Hold SIGINT and SIGTERM back until the block ends (they are delivered after it)."""
    try:
        old = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)
    except (AttributeError, OSError, ValueError):  # not on this platform or thread
        yield
        return
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def check_folder_target(root: Path) -> None:
    """Refuse, before any work, a folder target that is a file or lies inside a file.

    Raises:
        InvalidInput: located at ``root``.
    """
    if root.exists() and not root.is_dir():
        raise InvalidInput([Problem((), "expected a folder here, found a file", str(root))])
    for parent in root.parents:
        if parent.exists():
            if not parent.is_dir():
                raise InvalidInput(
                    [Problem((), f"{parent} is a file, so no folder can be made in it", str(root))]
                )
            break


class Staging:
    """A hidden folder beside the target in which a command writes all its files."""

    def __init__(self, folder: Path, root: Path) -> None:
        self.folder = folder
        self.root = root
        self._private: set[Path] = set()

    def path(self, relative: str | Path) -> Path:
        """Return where to write the file that will end up at ``root / relative``."""
        path = self.folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    def write_bytes(self, relative: str | Path, data: bytes, *, private: bool = False) -> Path:
        """Write ``data`` to the staged file for ``relative``; return the final path."""
        path = self.path(relative)
        if private:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(data)
            self._private.add(Path(relative))
        else:
            path.write_bytes(data)
        return self.root / relative

    def write_text(self, relative: str | Path, text: str, *, private: bool = False) -> Path:
        """Write ``text`` as UTF-8 to the staged file for ``relative``; return the final path."""
        return self.write_bytes(relative, text.encode("utf-8"), private=private)

    def _files(self) -> list[Path]:
        return sorted(p.relative_to(self.folder) for p in self.folder.rglob("*") if p.is_file())

    def _fix_modes(self) -> None:
        for path in [self.folder, *self.folder.rglob("*")]:
            relative = path.relative_to(self.folder)
            if relative in self._private:
                os.chmod(path, 0o600)
            else:
                os.chmod(path, _public_mode(path.is_dir()))

    def commit(self) -> list[Path]:
        """Move every staged file to its place under ``root``; return the final paths."""
        files = self._files()
        self._fix_modes()
        for relative in files:
            target = self.root / relative
            if target.is_dir():
                raise InvalidInput(
                    [Problem((), "a folder is in the way of this file", str(target))]
                )
        with _signals_held():
            if not self.root.exists():
                os.rename(self.folder, self.root)
                self.folder.mkdir()  # so that the caller's clean-up finds what it made
                return [self.root / f for f in files]
            for relative in files:
                target = self.root / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(self.folder / relative, target)
        return [self.root / f for f in files]


@contextmanager
def staged_folder(root: Path) -> Iterator[Staging]:
    """Yield a :class:`Staging` for the folder ``root``; on a clean exit, move it into place.

    Any exception (including KeyboardInterrupt) leaves ``root`` as it was and removes the
    staging folder and any parent folders this call made.

    Raises:
        InvalidInput: when ``root`` is a file, a parent is a file, or the place cannot be
            written (read-only, full disk, no permission), located at ``root``.
    """
    check_folder_target(root)
    made: list[Path] = []
    folder: Path | None = None
    try:
        for parent in reversed(root.parents):
            if not parent.exists():
                parent.mkdir()
                made.append(parent)
        folder = Path(tempfile.mkdtemp(dir=root.parent, prefix=f".{root.name}.", suffix=".partial"))
        staging = Staging(folder, root)
        yield staging
        staging.commit()
    except OSError as error:
        raise write_failure(root, error) from None
    finally:
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
        if not root.exists():
            for parent in reversed(made):
                with suppress(OSError):
                    parent.rmdir()


@contextmanager
def staged_file(target: Path, *, private: bool = False) -> Iterator[Path]:
    """Yield a ``.partial`` path beside ``target``; on a clean exit, move it onto ``target``.

    For writers that need a path. On any exception ``target`` is unchanged. The file gets the
    user's umask, or stays 0600 when ``private``.

    Raises:
        InvalidInput: as :func:`write_file`.
    """
    check_file_target(target)
    temp: Path | None = None
    try:
        descriptor, name = tempfile.mkstemp(
            dir=target.parent, prefix=f".{target.name}.", suffix=".partial"
        )
        os.close(descriptor)
        temp = Path(name)
        yield temp
        os.chmod(temp, 0o600 if private else _public_mode(False))
        with _signals_held():
            os.replace(temp, target)
        temp = None
    except OSError as error:
        raise write_failure(target, error) from None
    finally:
        if temp is not None:
            temp.unlink(missing_ok=True)


def check_file_target(target: Path) -> None:
    """Refuse, before any work, a file target that is a folder or has no folder to go in.

    Raises:
        InvalidInput: located at ``target``.
    """
    if target.is_dir():
        raise InvalidInput([Problem((), "expected a file name here, found a folder", str(target))])
    if not target.parent.is_dir():
        raise InvalidInput([Problem((), f"no folder {target.parent} to write into", str(target))])


def write_file(target: Path, data: bytes, *, private: bool = False) -> Path:
    """Write ``data`` to ``target`` atomically (a ``.partial`` file beside it, then a rename).

    Returns:
        ``target``.

    Raises:
        InvalidInput: when ``target`` is a folder, its folder does not exist or is a file, or
            the place cannot be written, located at ``target``; ``target`` is then unchanged.
    """
    # staged_file turns an OSError here (a full disk) into the located problem.
    with staged_file(target, private=private) as temp, temp.open("wb") as handle:
        handle.write(data)
        handle.flush()
        # On disk before the rename, so a power cut never leaves an empty target.
        os.fsync(handle.fileno())
    return target
