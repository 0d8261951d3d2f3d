"""Start LeNet-5 Explorer: ``python main.py`` (or ``--predict FILE ...``)."""

import sys

from lenet_gui.gui.cli import main

if __name__ == "__main__":
    sys.exit(main())
