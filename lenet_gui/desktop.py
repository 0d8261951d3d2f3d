"""``python -m lenet_gui.desktop``: the menu entry (home: ``lenet_gui.gui.desktop``)."""

from lenet_gui.gui.desktop import main

if __name__ == "__main__":
    raise SystemExit(main())
