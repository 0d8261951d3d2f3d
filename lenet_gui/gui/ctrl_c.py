"""Ctrl-C ends a command with one line, never a traceback.

A person who presses Ctrl-C while ``--predict`` reads its files, or while the
command still loads torch, wants it to stop, not a screenful of Python
internals. :func:`stops_on_ctrl_c` wraps a command's ``main`` so that an
interrupt anywhere inside it ends the command with ``NAME: stopped by
Ctrl-C`` on standard error and exit status 130, as a shell reports a process
ended by SIGINT. What the command already printed stays whole: each result is
one line, written as it is ready. :func:`command` gives an entry module a
``main`` that imports the command's code only once it runs, so that Ctrl-C
while torch loads is caught too.
"""

from __future__ import annotations

import functools
import importlib
import sys
from collections.abc import Callable

__all__ = ["INTERRUPTED", "command", "stops_on_ctrl_c"]

#: Exit status after Ctrl-C (128 + SIGINT), as shells report it.
INTERRUPTED = 130


def stops_on_ctrl_c(name: str) -> Callable[[Callable[..., int]], Callable[..., int]]:
    """Return a decorator that turns Ctrl-C inside ``main`` into one line and 130.

    Parameters
    ----------
    name : str
        The command as the person typed it, e.g. ``"lenet-gui"``.
    """

    def decorate(main: Callable[..., int]) -> Callable[..., int]:
        @functools.wraps(main)
        def run(*args: object, **kwargs: object) -> int:
            try:
                return main(*args, **kwargs)
            except KeyboardInterrupt:
                try:
                    print(f"{name}: stopped by Ctrl-C", file=sys.stderr, flush=True)
                except (OSError, ValueError):  # standard error closed
                    pass
                return INTERRUPTED

        return run

    return decorate


def command(name: str, home: str) -> Callable[..., int]:
    """Return the ``main`` of command `name`, whose code is module `home`'s ``main``.

    `home` is imported when ``main`` is called, inside the Ctrl-C handling.
    """

    @stops_on_ctrl_c(name)
    def main(argv: list[str] | None = None) -> int:
        run: Callable[[list[str] | None], int] = importlib.import_module(home).main
        return run(argv)

    main.__doc__ = f"Run ``{name}`` (``{home}.main``); Ctrl-C ends it in one line."
    return main
