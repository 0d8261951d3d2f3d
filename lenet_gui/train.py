"""``python -m lenet_gui.train`` (home: ``lenet_gui.training.train_cli``)."""

from lenet_gui.gui.ctrl_c import command

main = command("lenet-train", "lenet_gui.training.train_cli")

if __name__ == "__main__":
    raise SystemExit(main())
