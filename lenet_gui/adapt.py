"""``python -m lenet_gui.adapt`` (home: ``lenet_gui.training.adapt_cli``)."""

from lenet_gui.gui.ctrl_c import command

main = command("lenet-adapt", "lenet_gui.training.adapt_cli")

if __name__ == "__main__":
    raise SystemExit(main())
