"""``python -m lenet_gui``: the same as the ``lenet-gui`` command."""

import sys

from lenet_gui.gui.cli import main

if __name__ == "__main__":
    sys.exit(main())
