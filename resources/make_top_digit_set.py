"""Make ``resources/mnist-test-sample.npz``, the digits the "top digits" view ranks.

Usage, from the repository root::

    python resources/make_top_digit_set.py --data /path/to/mnist

Takes the first ``--count`` digits (2,000 by default) of MNIST's test set, in
their original order (the same digits as ``tests/data/mnist``), and writes
their images, labels and indices into the test set as a compressed ``.npz``.
The zip entries carry a fixed time stamp, so rerunning the command gives a
byte-identical file.
"""

import argparse
import io
import sys
import zipfile
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # the repository root, for lenet_gui

from lenet_gui.files.idx import load_mnist  # noqa: E402


def write_npz(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """Write `arrays` as ``np.savez_compressed`` would, but reproducibly."""
    with zipfile.ZipFile(path, "w") as archive:
        for name, array in arrays.items():
            buffer = io.BytesIO()
            np.lib.format.write_array(buffer, np.ascontiguousarray(array))
            entry = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, buffer.getvalue(), compresslevel=9)


def main() -> None:
    """Read the test split, keep the first --count digits, write the archive."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="MNIST directory")
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--out", type=Path, default=HERE / "mnist-test-sample.npz")
    args = parser.parse_args()

    images, labels = load_mnist(args.data, "test")
    count = min(args.count, len(labels))
    write_npz(
        args.out,
        {
            "images": images[:count],
            "labels": labels[:count],
            "indices": np.arange(count, dtype=np.int32),
        },
    )
    size = args.out.stat().st_size
    print(f"wrote the first {count} test digits to {args.out} ({size:,} bytes)")


if __name__ == "__main__":
    main()
