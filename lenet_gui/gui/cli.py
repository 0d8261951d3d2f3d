"""Command line: start the app, or classify files headless with ``--predict``.

Every argument is checked: an unknown option or a stray file name is a usage
error (one line on standard error, status :data:`USAGE_ERROR`), never
silently dropped, so a typo such as ``--wieghts`` cannot quietly use other
weights. ``--`` ends the options, for file names that start with ``-``.
Of Qt's own options only ``-platform`` and ``-style`` are taken (for the
window); the ``QT_*`` environment variables work as usual.
"""

from __future__ import annotations

import argparse
import ctypes
import sys
from collections.abc import Mapping
from typing import NoReturn

from lenet_gui.gui.ctrl_c import stops_on_ctrl_c
from lenet_gui.gui.system_libraries import (
    XCB_LIBRARIES,
    missing_packages,
    needs_message,
    qt_uses_xcb,
)

__all__ = [
    "MISSING_LIBRARY",
    "USAGE_ERROR",
    "XCB_CURSOR_LIBRARY",
    "UsageError",
    "main",
    "parse_arguments",
    "xcb_cursor_missing",
]

#: Exit status of a command line that cannot be used (``EX_USAGE``). Not 2,
#: argparse's, which ``--predict`` gives to weights it cannot use.
USAGE_ERROR = 64
#: Exit status when a system library the window needs is missing
#: (``EX_UNAVAILABLE``).
MISSING_LIBRARY = 69
#: The library Qt 6.5 and later need to start their X11 (xcb) platform.
XCB_CURSOR_LIBRARY = "libxcb-cursor.so.0"
#: Said, on one line, instead of Qt's wall of text and abort without it.
MISSING_XCB_CURSOR = (
    "LeNet-5 Explorer needs the system library libxcb-cursor0: "
    "sudo apt-get install libxcb-cursor0"
)

_EPILOG = f"""\
exit status: 0 success; 1 some file was not classified (--predict); 2 the
weights cannot be used (--predict); {USAGE_ERROR} a wrong command line; \
{MISSING_LIBRARY} a system
library the window needs is missing; 74 the results could not be written.
Put -- before file names that start with -."""


class UsageError(Exception):
    """A command line that cannot be used; the message says why, in one line."""


class _Parser(argparse.ArgumentParser):
    """argparse that raises :class:`UsageError` instead of exiting with 2."""

    def error(self, message: str) -> NoReturn:  # noqa: D102
        if message.startswith("unrecognized arguments"):
            words = message.partition(":")[2].split()
            if any(w.startswith("-") and not w.startswith("--") for w in words):
                message += " (put -- before file names that start with -)"
            else:
                message += " (see lenet-gui --help)"
        raise UsageError(message)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="lenet-gui",
        description="Draw a digit and watch LeNet-5 read it, layer by layer.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        allow_abbrev=False,
    )
    parser.add_argument(
        "--predict",
        action="store_true",
        help="classify the FILEs and print one JSON object per file, no window",
    )
    parser.add_argument(
        "--weights",
        metavar="WEIGHTS",
        help="a LeNet-5 state_dict to use instead of the bundled one",
    )
    parser.add_argument(
        "-platform", metavar="NAME", help="Qt platform plugin for the window"
    )
    parser.add_argument("-style", metavar="NAME", help="Qt style for the window")
    parser.add_argument(
        "files",
        nargs="*",
        metavar="FILE",
        help="image files to classify; without --predict, one image to open",
    )
    return parser


def parse_arguments(argv: list[str]) -> argparse.Namespace:
    """Read a command line (without the program name).

    Options and file names may come in any order; everything after the first
    ``--`` is a file name.

    Returns
    -------
    argparse.Namespace
        ``predict`` (bool), ``weights``, ``platform``, ``style`` (str or
        None) and ``files`` (list of str).

    Raises
    ------
    UsageError
        An unknown option, a missing value, more than one file without
        ``--predict`` (one file is opened in the window) or ``--predict``
        without files.
    """
    options, files = list(argv), []
    if "--" in options:
        cut = options.index("--")
        options, files = options[:cut], options[cut + 1 :]
    args = _parser().parse_intermixed_args(options)
    args.files = [*args.files, *files]
    if len(args.files) > 1 and not args.predict:
        raise UsageError(
            f"the window opens one image, not {len(args.files)}: "
            f"{' '.join(args.files)} (to classify them: lenet-gui --predict FILE ...)"
        )
    if args.predict and not args.files:
        raise UsageError("--predict needs at least one image file")
    return args


def xcb_cursor_missing(
    environ: Mapping[str, str] | None = None, platform: str | None = None
) -> bool:
    """Whether Qt will start its xcb platform and cannot, for lack of xcb-cursor.

    Qt 6.5 and later need ``libxcb-cursor.so.0`` for xcb; without it they
    print a page of plugin diagnostics and abort.

    Parameters
    ----------
    environ : mapping, optional
        The environment (``os.environ`` by default): ``QT_QPA_PLATFORM``,
        ``DISPLAY``, ``XDG_SESSION_TYPE``.
    platform : str, optional
        A ``-platform`` given on the command line, which Qt prefers.
    """
    if not qt_uses_xcb(environ, platform):
        return False
    try:
        ctypes.CDLL(XCB_CURSOR_LIBRARY)
    except OSError:
        return True
    return False


@stops_on_ctrl_c("lenet-gui")
def main(argv: list[str] | None = None) -> int:
    """Start the LeNet-5 Explorer window, or print predictions for files."""
    try:
        args = parse_arguments(sys.argv[1:] if argv is None else argv)
    except UsageError as error:
        # Arguments may hold any character: escaped, the message stays one line.
        text = "".join(c if c.isprintable() else ascii(c)[1:-1] for c in str(error))
        print(f"lenet-gui: {text}", file=sys.stderr)
        return USAGE_ERROR
    qt_args = [
        *(["-platform", args.platform] if args.platform else []),
        *(["-style", args.style] if args.style else []),
    ]

    from lenet_gui.gui.pyside_imports import skip_feature_check

    skip_feature_check()  # torch and pyqtgraph, imported after Qt, load sooner
    if args.predict:
        from lenet_gui.gui.predict_cli import run_predict

        return run_predict(args.files, weights=args.weights)

    from PySide6.QtWidgets import QApplication

    if QApplication.instance() is None and qt_uses_xcb(platform=args.platform):
        missing = missing_packages(
            {**XCB_LIBRARIES, XCB_CURSOR_LIBRARY: "libxcb-cursor0"}
        )
        if missing:  # every library Qt's xcb needs, named at once
            print(needs_message(missing), file=sys.stderr)
            return MISSING_LIBRARY

    from lenet_gui.gui.desktop import use_app_icon
    from lenet_gui.gui.window import MainWindow

    # An application made before (a benchmark probing start-up) is reused.
    app = QApplication.instance() or QApplication([sys.argv[0], *qt_args])
    assert isinstance(app, QApplication)  # not a QCoreApplication: it shows windows
    app.setApplicationName("LeNet-5 Explorer")
    app.setOrganizationName("lenet-gui")
    use_app_icon(app)
    window = MainWindow(defer_model=args.weights is None)
    if args.weights:
        window.session.network.load_weights(args.weights)
    window.show()
    if args.files:
        # A file that cannot be used is said over the window, the canvas empty.
        window.files.open_image(args.files[0])
    return app.exec()
