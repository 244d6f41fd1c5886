"""The ``caseforchange`` program: Ctrl-C and SIGTERM end it with a message, even at start-up."""

from __future__ import annotations

import signal
import sys
from types import FrameType

#: Exit codes after Ctrl-C and SIGTERM (128 + the signal's number).
_CODES = {signal.SIGINT: 130, signal.SIGTERM: 143}


def _stop_at_startup(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(_CODES.get(signal.Signals(signum), 2))


def main() -> None:
    """Run the command line; a signal while it is still loading exits quietly with a message.

    Raises:
        SystemExit: with the command's exit code.
    """
    # Importing the command line (pydantic, numpy, Rich) takes a moment; a signal then
    # must not print a traceback. The commands install their own handling once loaded.
    previous = signal.signal(signal.SIGINT, _stop_at_startup)
    signal.signal(signal.SIGTERM, _stop_at_startup)
    try:
        from caseforchange.cli.main import app
    except SystemExit as stop:
        print("interrupted while starting: nothing was done", file=sys.stderr)
        raise SystemExit(stop.code) from None
    signal.signal(signal.SIGINT, previous)
    try:
        app()
    except KeyboardInterrupt:
        print("interrupted (Ctrl-C): nothing more was done", file=sys.stderr)
        raise SystemExit(130) from None


if __name__ == "__main__":
    main()
