"""Command line: start the app, or classify files headless with ``--predict``."""

from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    """Start the LeNet-5 Explorer window, or print predictions for files."""
    parser = argparse.ArgumentParser(
        prog="lenet-gui",
        description="Draw a digit and watch LeNet-5 read it, layer by layer.",
    )
    parser.add_argument(
        "--predict",
        nargs="+",
        metavar="FILE",
        help="classify image files and print one JSON object per file, no window",
    )
    parser.add_argument(
        "--weights",
        metavar="FILE",
        help="a LeNet-5 state_dict to use instead of the bundled one",
    )
    args, qt_args = parser.parse_known_args(argv)

    if args.predict:
        from lenet_gui.predict_cli import run_predict

        return run_predict(args.predict, weights=args.weights)

    from PySide6.QtWidgets import QApplication

    from lenet_gui.desktop import use_app_icon
    from lenet_gui.gui import MainWindow

    # An application made before (a benchmark probing start-up) is reused.
    app = QApplication.instance() or QApplication([sys.argv[0], *qt_args])
    app.setApplicationName("LeNet-5 Explorer")
    app.setOrganizationName("lenet-gui")
    use_app_icon(app)
    window = MainWindow(defer_model=args.weights is None)
    if args.weights:
        window.load_weights(args.weights)
    window.show()
    return app.exec()
