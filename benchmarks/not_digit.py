"""Cost of the not-a-digit verdict on top of the network's forward pass.

    python -m benchmarks.not_digit [--runs 2000]

For one input (a single digit as it is drawn) and for a batch of 20 (the
candidates of a 4-digit number), times, alternately so that both see the
same load: the forward pass alone (``Classifier.outputs``), the head's
work after it (``features`` and ``NotDigitHead.probability``), and, for
comparison, one of its members alone (a head of the same layers, as the
app read before its members were averaged) and the head with its
convolutional layers switched off (the cost of a head on the network's
statistics alone). Prints medians and 95th percentiles in milliseconds.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from lenet_gui.files.stroke_files import load_pen_digits
from lenet_gui.network.classifier import Classifier, use_one_thread
from lenet_gui.reading.verdict import features, load_head
from lenet_gui.training.non_digits import draw_digit_inputs

from .numbers import REPO

SAMPLE = REPO / "tests" / "data" / "strokes" / "pendigits-sample.json"


def main(argv: list[str] | None = None) -> int:
    """Time the verdict and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=2000)
    args = parser.parse_args(argv)
    use_one_thread()
    classifier = Classifier.load()
    head = load_head()
    inputs, _ = draw_digit_inputs(
        load_pen_digits(SAMPLE), np.random.default_rng(0), styled=0.0
    )
    single = head.member(0)
    plain = load_head()
    plain.shapes = False
    for size in (1, 20):
        batch = inputs[:size]
        network, verdict, one, small = [], [], [], []
        for _ in range(args.runs):
            start = time.perf_counter()
            _, activations = classifier.outputs(batch)
            middle = time.perf_counter()
            head.probability(features(activations))
            now = time.perf_counter()
            single.probability(features(activations))
            then = time.perf_counter()
            plain.probability(features(activations))
            network.append(1000 * (middle - start))
            verdict.append(1000 * (now - middle))
            one.append(1000 * (then - now))
            small.append(1000 * (time.perf_counter() - then))
        rows = (
            ("forward pass", network),
            ("verdict now", verdict),
            ("one member alone", one),
            ("without its convs", small),
        )
        for name, times in rows:
            median, p95 = np.percentile(times, [50, 95])
            print(
                f"batch of {size:2d}, {name:16s}: median {median:.3f} ms, "
                f"p95 {p95:.3f} ms ({args.runs} runs)"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
