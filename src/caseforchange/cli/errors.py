"""How the command line reports a user's mistake: located lines on stderr, exit code 2."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import ParamSpec, TypeVar

import typer
from rich.console import Console

from caseforchange.domain.problems import InvalidInput, Problem
from caseforchange.extras import install_hint, installed

P = ParamSpec("P")
R = TypeVar("R")

stderr = Console(stderr=True, highlight=False, soft_wrap=True)

#: Exit code for input the user must fix.
EXIT_INVALID = 2


def report_problems(problems: list[Problem]) -> None:
    """Print one line per problem to stderr (``LOCATION: field: message``)."""
    for problem in problems:
        stderr.print(problem.render(), markup=False)


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn :class:`InvalidInput` into located lines and exit 2, never a traceback.

    A module of an optional extra that is not installed also ends the command with exit 2 and
    a line naming the extra to install.

    Raises:
        typer.Exit: with code 2 when the wrapped block raised InvalidInput, or needed a module
            of an optional extra that is not installed.
        ModuleNotFoundError: for any other missing module (a broken installation).
    """
    try:
        yield
    except InvalidInput as error:
        report_problems(error.problems)
        raise typer.Exit(EXIT_INVALID) from None
    except ModuleNotFoundError as error:
        hint = install_hint(error.name or "", "this command")
        if hint is None:
            raise
        stderr.print(hint, markup=False)
        raise typer.Exit(EXIT_INVALID) from None


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
