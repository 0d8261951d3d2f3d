"""``python -m lenet_gui.evaluate`` (home: ``lenet_gui.training.evaluate_cli``)."""

from lenet_gui.gui.ctrl_c import command

main = command("lenet-evaluate", "lenet_gui.training.evaluate_cli")

if __name__ == "__main__":
    raise SystemExit(main())
