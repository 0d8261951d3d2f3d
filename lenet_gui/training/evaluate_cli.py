"""Evaluate LeNet-5 weights on MNIST: ``python -m lenet_gui.evaluate --data DIR``.

Prints the accuracy, the accuracy per digit and the confusion matrix, and as
its last line one JSON object: ``{"accuracy": ..., "n": ..., ...}``. With
``--drawn``, the digits are first drawn again as the app draws them
(:mod:`lenet_gui.training.drawn`, bold ones left out), as training does with its own.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from lenet_gui.files.idx import IdxFormatError, load_mnist
from lenet_gui.network.weights import BUNDLED_WEIGHTS, WeightsError, load_model
from lenet_gui.training.learning import evaluate, evaluate_inputs


def main(argv: list[str] | None = None) -> int:
    """Run the evaluation from the command line; return the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m lenet_gui.evaluate", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--data", type=Path, required=True, help="MNIST directory")
    parser.add_argument(
        "--weights", type=Path, default=BUNDLED_WEIGHTS, help="state_dict file"
    )
    parser.add_argument(
        "--split", choices=("test", "train"), default="test", help="which MNIST set"
    )
    parser.add_argument(
        "--drawn",
        action="store_true",
        help="read the digits drawn again with the canvas's pen, as in training",
    )
    parser.add_argument(
        "--seed", type=int, default=0, help="seed of the drawing (with --drawn)"
    )
    args = parser.parse_args(argv)
    try:
        model, _ = load_model(args.weights)
        images, labels = load_mnist(args.data, args.split)
    except (WeightsError, IdxFormatError, FileNotFoundError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1

    if args.drawn:
        # Qt is needed only here: plain evaluation runs without it.
        from lenet_gui.training.drawn import drawn_inputs

        inputs, indices = drawn_inputs(images, args.seed)
        result = evaluate_inputs(model, inputs, labels[indices])
        how = f", drawn with seed {args.seed}; {len(labels) - result.n} bold left out"
    else:
        result = evaluate(model, images, labels)
        how = ""
    print(f"weights:  {args.weights}")
    print(f"data:     {args.data} ({args.split}, {result.n} digits{how})")
    correct = result.n - result.errors
    print(f"accuracy: {result.accuracy:.4%} ({correct}/{result.n})")
    print("\nper digit:")
    for digit, accuracy in enumerate(result.per_class_accuracy()):
        print(f"  {digit}: {accuracy:.4%}")
    print("\nconfusion matrix (rows: true digit, columns: prediction):")
    print("      " + "".join(f"{d:>6}" for d in range(10)))
    for digit, row in enumerate(result.confusion_matrix()):
        print(f"  {digit:>2}  " + "".join(f"{count:>6}" for count in row))
    summary = {
        "accuracy": result.accuracy,
        "n": result.n,
        "errors": result.errors,
        "weights": str(args.weights),
        "split": args.split,
        "drawn": args.drawn,
    }
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
