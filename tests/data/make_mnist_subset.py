"""Regenerate the MNIST test subset shipped in ``tests/data/mnist``.

Usage, from the repository root::

    python tests/data/make_mnist_subset.py /path/to/mnist

The source directory must hold ``t10k-images-idx3-ubyte`` and
``t10k-labels-idx1-ubyte`` (``.gz`` or not). The first ``--count`` test samples,
in their original order, are written gzip-compressed next to this script. The
output is byte-for-byte reproducible.
"""

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))  # the repository root, for lenet_gui

from lenet_gui.files.idx import load_mnist, write_idx  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="directory with the MNIST files")
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--out", type=Path, default=HERE / "mnist")
    args = parser.parse_args()

    images, labels = load_mnist(args.source, "test")
    args.out.mkdir(parents=True, exist_ok=True)
    write_idx(args.out / "t10k-images-idx3-ubyte.gz", images[: args.count])
    write_idx(args.out / "t10k-labels-idx1-ubyte.gz", labels[: args.count])
    print(f"wrote the first {min(args.count, len(labels))} test samples to {args.out}")


if __name__ == "__main__":
    main()
