"""``python -m lenet_gui.evaluate`` (home: ``lenet_gui.training.evaluate_cli``)."""

from lenet_gui.training.evaluate_cli import main

if __name__ == "__main__":
    raise SystemExit(main())
