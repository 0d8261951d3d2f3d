"""``python -m lenet_gui.train`` (home: ``lenet_gui.training.train_cli``)."""

from lenet_gui.training.train_cli import main

if __name__ == "__main__":
    raise SystemExit(main())
