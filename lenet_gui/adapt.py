"""``python -m lenet_gui.adapt`` (home: ``lenet_gui.training.adapt_cli``)."""

from lenet_gui.training.adapt_cli import main

if __name__ == "__main__":
    raise SystemExit(main())
