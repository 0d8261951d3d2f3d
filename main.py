"""Start LeNet-5 Explorer: ``python main.py`` (or ``--predict FILE ...``)."""

import sys

try:
    from lenet_gui.gui.cli import main
except KeyboardInterrupt:  # Ctrl-C while Python was still starting
    print("lenet-gui: stopped by Ctrl-C", file=sys.stderr)
    sys.exit(130)

if __name__ == "__main__":
    sys.exit(main())
