"""How well the app reads photos and scans of digits written on paper.

Photo-like pictures (``studies/photo_scene.py``: grey or cream paper,
uneven light, shadows, noise, blur, ruled paper one time in three, slight
rotation and perspective, colour or grey, JPEG at phone qualities) are made of

* real pen trajectories of the pendigits writers (``--strokes FILE`` or the
  ``LENET_STROKES`` environment variable), drawn at photo resolution with a
  pen 2.5-10 % of the digit's height, and
* MNIST test digits (``--data DIR`` or ``LENET_MNIST``), enlarged,

written as real JPEG files into a temporary folder and read through the real
``--predict`` code (:func:`lenet_gui.gui.predict_cli.run_predict`). Each digit is
also read three other ways, with the same network:

* ``plain``: ``Classifier.predict(read_image(file))``, the loaded-image path
  before photo cleaning (the code as it was);
* ``clean``: the same ink as a clean black-on-white image, no photo;
* ``canvas`` (pen trajectories only): the same strokes drawn on the app's
  448 px paper with its default pen, as a person would draw them: the
  ceiling for a photo.

Run from the repository root::

    python -m studies.photo_digits --count 500            # ~10 min
    python -m studies.photo_digits --writers w25-w30 --weights my.pt

It prints accuracy overall and by condition, per digit, the confusions, the
time to load a 12-megapixel photo, and writes a contact sheet of misses.
The digits and their readings are ``studies/photo_trials.py``, the tables
and the contact sheet ``studies/photo_report.py``.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import numpy as np
import torch
from PySide6.QtGui import QGuiApplication

from lenet_gui.drawing.image_file import read_image, read_ink
from lenet_gui.gui.predict_cli import run_predict
from lenet_gui.imaging.photo import is_clean
from lenet_gui.imaging.preprocess import to_ink
from lenet_gui.network.classifier import Classifier
from lenet_gui.network.weights import BUNDLED_WEIGHTS
from studies.accuracy import spread
from studies.photo_report import miss_sheet, report
from studies.photo_scene import Photo, photograph, save_photo
from studies.photo_trials import (
    MNIST_VARIABLE,
    STROKES_VARIABLE,
    Trial,
    make_trials,
    read_all,
)

# --- a 12-megapixel photo -------------------------------------------------------------


def time_large_photo(folder: Path, trial: Trial, repeats: int = 5) -> dict[str, float]:
    """Median seconds to load and read a 4000x3000 JPEG photo of a digit."""
    rng = np.random.default_rng(12)
    photo = photograph(trial.ink, rng, size=(750, 1000), colour=True)
    pixels = photo.pixels.astype(np.float32)
    big = np.repeat(np.repeat(pixels, 4, axis=0), 4, axis=1)
    big += rng.normal(0.0, 3.0, big.shape).astype(np.float32)
    large = Photo(
        np.clip(big, 0, 255).astype(np.uint8),
        photo.paper,
        photo.ruling,
        photo.ink,
        photo.lighting,
        photo.noise,
        photo.shadow,
        90,
        photo.rotation,
    )
    path = folder / "large-12mp.jpg"
    save_photo(large, str(path))
    classifier = Classifier.load()

    def median(step: Callable[[], object]) -> float:
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            step()
            times.append(time.perf_counter() - start)
        return float(np.median(times))

    out = io.StringIO()
    return {
        "read_image": median(lambda: read_image(path)),
        "read_image + to_ink (the old reading)": median(
            lambda: to_ink(read_image(path))
        ),
        "read_ink (read_image + extract_ink)": median(lambda: read_ink(path)),
        "--predict (run_predict, one file)": median(
            lambda: run_predict([str(path)], None, out, out)
        ),
        "plain predict(read_image)": median(
            lambda: classifier.predict(read_image(path))
        ),
        "megapixels": large.pixels.shape[0] * large.pixels.shape[1] / 1e6,
        "clean": float(is_clean(read_image(path))),
    }


# --- the command ----------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    """Run the study from the command line; return the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m studies.photo_digits", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--strokes",
        type=Path,
        help=f"pendigits JSON of pen trajectories (default: ${STROKES_VARIABLE})",
    )
    parser.add_argument(
        "--data",
        type=Path,
        help=f"MNIST directory with the t10k files (default: ${MNIST_VARIABLE})",
    )
    parser.add_argument(
        "--writers",
        help="only these pendigits writers, e.g. w25-w30 or 3,7,12 (default: all)",
    )
    parser.add_argument(
        "--count", type=int, default=500, help="digits per source (default 500)"
    )
    parser.add_argument("--seed", type=int, default=0, help="random seed")
    parser.add_argument(
        "--weights", type=Path, default=BUNDLED_WEIGHTS, help="state_dict file"
    )
    parser.add_argument(
        "--misses",
        type=Path,
        default=Path(tempfile.gettempdir()) / "photo_misses.png",
        help="contact sheet of misses to write (default: %(default)s)",
    )
    parser.add_argument(
        "--keep", type=Path, help="write the photos into this folder and keep them"
    )
    parser.add_argument(
        "--no-timing", action="store_true", help="skip timing a 12-megapixel photo"
    )
    args = parser.parse_args(argv)
    torch.set_num_threads(1)
    # The contact sheet's captions need fonts, so an application; no display.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    _app = QGuiApplication.instance() or QGuiApplication([])

    with tempfile.TemporaryDirectory() as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        start = time.perf_counter()
        trials = make_trials(args, folder, args.seed)
        made = time.perf_counter() - start
        print(
            f"weights:  {args.weights}\nphotos:   {len(trials)} "
            f"({Counter(t.source for t in trials)}), seed {args.seed}, "
            f"writers {args.writers or 'all'}; made in {made:.0f} s"
        )
        elapsed = read_all(trials, args.weights, args.seed)
        overall = report(trials)
        print(
            f"\n--predict: {elapsed:.1f} s for {len(trials)} files "
            f"({1000 * elapsed / len(trials):.0f} ms each)"
        )
        misses = [t for t in trials if t.app != t.label]
        miss_sheet(spread(misses, 48), Classifier.load(args.weights), args.misses)
        print(
            f"misses:   {len(misses)}; up to 48 on {args.misses} "
            "(each: photo | ink kept | network input)"
        )
        if not args.no_timing:
            timing = time_large_photo(folder, trials[0])
            kind = "a clean image" if timing.pop("clean") else "a photo"
            print(
                f"\n12 MP photo ({timing.pop('megapixels'):.1f} MP JPEG, read as "
                f"{kind}), median of 5:"
            )
            for name, seconds in timing.items():
                print(f"  {name:<36}{1000 * seconds:>8.0f} ms")
    print(json.dumps({k: round(v, 4) for k, v in overall.items()} | {"n": len(trials)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
