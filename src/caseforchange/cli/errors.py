"""How the command line reports a user's mistake: located lines on stderr, exit code 2.

Every failure a user or their machine can cause ends here with a message and an exit code,
never a traceback: invalid input (2), an output that cannot be written (2), Ctrl-C (130)
and SIGTERM (143). Nothing a user wrote is read as Rich markup, emoji codes (``:100:``) or
terminal escape sequences.
"""

from __future__ import annotations

import re
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from functools import wraps
from types import FrameType
from typing import ParamSpec, TypeVar

import typer
from rich.console import Console
from rich.markup import escape

from caseforchange.domain.problems import InvalidInput, Problem
from caseforchange.extras import install_hint, installed

P = ParamSpec("P")
R = TypeVar("R")

#: Exit code for input the user must fix, or an output that cannot be written.
EXIT_INVALID = 2
#: Exit codes after Ctrl-C and SIGTERM (128 + the signal's number, as shells report them).
EXIT_INTERRUPTED = 130
EXIT_TERMINATED = 143
#: Characters a terminal acts on: C0/C1 controls (ESC starts an escape sequence) but tab/LF.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def make_console(*, stderr: bool = False) -> Console:
    """Return a console that prints text as given: no highlighting, no ``:emoji:`` codes."""
    return Console(stderr=stderr, highlight=False, emoji=False, soft_wrap=True)


stderr = make_console(stderr=True)


def plain(text: object) -> str:
    """Return user text safe to put inside Rich markup: markup escaped, controls made visible.

    Never raises.
    """
    shown = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", str(text))
    return escape(shown)


def _terminal_safe(text: str) -> str:
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


class Terminated(BaseException):
    """Raised in the main thread when the process receives SIGTERM, so clean-up runs."""


def _on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise Terminated


def install_signal_handlers() -> None:
    """Make SIGTERM unwind like Ctrl-C does (so staged outputs are removed). Never raises."""
    # ValueError: not the main thread (then the caller's own handling stands).
    with suppress(ValueError, OSError):
        signal.signal(signal.SIGTERM, _on_sigterm)


def max_errors() -> int:
    """Return how many error lines to print (``CASEFORCHANGE_MAX_ERRORS``, default 50)."""
    from caseforchange.io.limits import Limits, limits

    try:
        return limits().max_errors
    except InvalidInput:
        return Limits().max_errors


def report_problems(problems: list[Problem]) -> None:
    """Print one line per problem to stderr (``LOCATION: field: message``).

    At most ``max_errors()`` lines are printed, then the count of the rest.
    """
    limit = max_errors()
    for problem in problems[:limit]:
        stderr.print(_terminal_safe(problem.render()), markup=False, emoji=False)
    rest = len(problems) - limit
    if rest > 0:
        stderr.print(
            f"... and {rest:,} more problem{'s' if rest != 1 else ''} "
            "(show more with CASEFORCHANGE_MAX_ERRORS)",
            markup=False,
            emoji=False,
        )


def _say(text: str) -> None:
    stderr.print(_terminal_safe(text), markup=False, emoji=False)


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn every failure a user can cause into a message and an exit code, never a traceback.

    Raises:
        typer.Exit: code 2 for InvalidInput, an OSError (a file that cannot be read or
            written) or a module of an optional extra that is not installed; 130 after
            Ctrl-C, 143 after SIGTERM.
        ModuleNotFoundError: for any other missing module (a broken installation).
    """
    install_signal_handlers()
    try:
        yield
    except InvalidInput as error:
        report_problems(error.problems)
        raise typer.Exit(EXIT_INVALID) from None
    except ModuleNotFoundError as error:
        # A module of an optional extra that is not installed: name the extra to install.
        hint = install_hint(error.name or "", "this command")
        if hint is None:
            raise  # any other missing module is a broken installation
        _say(hint)
        raise typer.Exit(EXIT_INVALID) from None
    except OSError as error:
        where = error.filename if error.filename is not None else "(output)"
        reason = error.strerror or str(error) or type(error).__name__
        _say(f"{where}: (file): {reason}; nothing was written")
        raise typer.Exit(EXIT_INVALID) from None
    except KeyboardInterrupt:
        _say("interrupted (Ctrl-C): stopped; outputs not finished were not written")
        raise typer.Exit(EXIT_INTERRUPTED) from None
    except Terminated:
        _say("terminated (SIGTERM): stopped; outputs not finished were not written")
        raise typer.Exit(EXIT_TERMINATED) from None


def handles_user_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Decorate a command so that invalid input ends it with located messages and exit 2."""

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with user_errors():
            return func(*args, **kwargs)

    return wrapper


def require_module(module: str, what: str, option: str = "--format") -> None:
    """Check, before anything is written, that an optional extra's ``module`` is installed.

    Raises:
        InvalidInput: naming ``option`` on the command line, the extra and how to install it.
    """
    hint = install_hint(module, what)
    if hint is not None and not installed(module):
        raise InvalidInput([Problem((option,), hint, location="command line")])
