"""Make ``resources/mnist-train-replay.npz``, the MNIST digits an adaptation replays.

Usage, from the repository root::

    python resources/make_replay_set.py --data /path/to/mnist

Adapting the network to one person's handwriting (``lenet_gui.adapt``) mixes
these digits into every pass so that it keeps reading everyone else's. They
are MNIST *training* digits, never test digits, so the test digits the
adaptation is checked on stay unseen. Takes ``--count`` digits (3,000 by
default) picked at random with ``--seed`` from the 60,000, in their order in
the training set, and writes images, labels and indices like
``mnist-test-sample.npz``; rerunning the command gives a byte-identical file.
"""

import argparse
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # the repository root, for lenet_gui

from make_top_digit_set import write_npz  # noqa: E402

from lenet_gui.files.idx import load_mnist  # noqa: E402


def main() -> None:
    """Read the training split, pick --count digits, write the archive."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="MNIST directory")
    parser.add_argument("--count", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=HERE / "mnist-train-replay.npz")
    args = parser.parse_args()

    images, labels = load_mnist(args.data, "train")
    count = min(args.count, len(labels))
    picked = np.sort(np.random.default_rng(args.seed).permutation(len(labels))[:count])
    write_npz(
        args.out,
        {
            "images": images[picked],
            "labels": labels[picked],
            "indices": picked.astype(np.int32),
        },
    )
    size = args.out.stat().st_size
    print(f"wrote {count} training digits to {args.out} ({size:,} bytes)")


if __name__ == "__main__":
    main()
