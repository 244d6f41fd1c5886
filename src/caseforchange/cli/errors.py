"""How the command line reports a user's mistake: located lines on stderr, exit code 2."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import ParamSpec, TypeVar

import typer
from rich.console import Console

from caseforchange.domain.problems import InvalidInput, Problem

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

    Raises:
        typer.Exit: with code 2 when the wrapped block raised InvalidInput.
    """
    try:
        yield
    except InvalidInput as error:
        report_problems(error.problems)
        raise typer.Exit(EXIT_INVALID) from None


def handles_user_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Decorate a command so that invalid input ends it with located messages and exit 2."""

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with user_errors():
            return func(*args, **kwargs)

    return wrapper
