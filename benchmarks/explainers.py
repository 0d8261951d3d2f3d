#!/usr/bin/env python
"""Cost and accuracy of the explainer computations: ``python benchmarks/explainers.py``.

Prints, with one torch thread (as the app runs, ``use_one_thread``):

1. a forward pass of one input, plain and with an ablation;
2. integrated gradients: the completeness gap ``|total - change| / |change|``
   on MNIST test digits (the predicted digit's logit, and its contrast with
   the runner-up) and the cost per call, for several step counts;
3. ``transform_input`` and ``probability_curves`` for each transform;
4. ``top_activating``: the first call (all 2,000 digits) and later ones;
5. ``Classifier.layer_weights`` for every layer;
6. listing twelve checkpoints and loading each.

Times are medians (and 90th percentiles) of repeated calls. Options:
``--digits N`` (MNIST test digits for the completeness gap, default 300, from
``tests/data/mnist``), ``--repeat N`` (timed calls, default 30).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402
import torch  # noqa: E402

from lenet_gui.explain.attribution import attribute  # noqa: E402
from lenet_gui.explain.invariance import (  # noqa: E402
    TRANSFORMS,
    probability_curves,
    transform_input,
)
from lenet_gui.explain.layer_weights import layer_weights  # noqa: E402
from lenet_gui.explain.top_digits import load_digit_set, top_activating  # noqa: E402
from lenet_gui.files.idx import load_mnist  # noqa: E402
from lenet_gui.imaging.preprocess import from_mnist  # noqa: E402
from lenet_gui.network.checkpoints import (  # noqa: E402
    checkpoint_schedule,
    list_checkpoints,
    save_checkpoint,
    start_checkpoint_folder,
    write_index,
)
from lenet_gui.network.classifier import Classifier, use_one_thread  # noqa: E402

MNIST = REPO / "tests" / "data" / "mnist"


def timed(function, repeat: int) -> str:
    """Call `function` `repeat` times; return its median and p90 in ms."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    median, p90 = np.percentile(times, [50, 90]) * 1e3
    return f"{median:8.2f} ms (p90 {p90:.2f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--digits", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    use_one_thread()
    print(f"torch {torch.__version__}, 1 thread, load average {os.getloadavg()[0]:.1f}")

    classifier = Classifier.load()
    images, _ = load_mnist(MNIST, "test")
    inputs = from_mnist(images[: args.digits])
    x = inputs[0]
    prediction = classifier.classify_input(x)

    print("\n1. forward pass, one input")
    print("  plain          ", timed(lambda: classifier.classify_input(x), 200))
    ablation = {"C3": {4}, "F6": {0, 1}}
    print(
        "  ablated        ",
        timed(lambda: classifier.classify_input(x, ablation), 200),
    )

    print(f"\n2. integrated gradients, {len(inputs)} MNIST test digits")
    predictions = [classifier.classify_input(i) for i in inputs]
    for steps in (32, 48, 64, 128):
        gaps, contrast_gaps = [], []
        for p in predictions:
            runner_up = int(np.argsort(p.probabilities)[-2])
            single = attribute(classifier, p, p.digit, steps=steps)
            gaps.append(abs(single.gap) / abs(single.change))
            contrast = attribute(classifier, p, p.digit, runner_up, steps=steps)
            contrast_gaps.append(abs(contrast.gap) / abs(contrast.change))
        g50, g90, g99 = np.percentile(gaps, [50, 90, 99]) * 100
        c50, c90, c99 = np.percentile(contrast_gaps, [50, 90, 99]) * 100
        cost = timed(
            lambda s=steps: attribute(classifier, prediction, 3, steps=s),
            args.repeat,
        )
        print(
            f"  {steps:3d} steps: gap median/p90/p99 {g50:.3f}/{g90:.2f}/{g99:.1f} %, "
            f"contrast {c50:.3f}/{c90:.2f}/{c99:.1f} %; {cost}"
        )

    print("\n3. invariance (others at thicken 0.5, noise 0.1)")
    params = {"thicken": 0.5, "noise": 0.1}
    for transform in TRANSFORMS:
        value = transform.neutral + 0.3 * (transform.high - transform.neutral)
        one = timed(
            lambda t=transform, v=value: transform_input(x, {**params, t.name: v}),
            args.repeat,
        )
        curves = timed(
            lambda t=transform: probability_curves(classifier, x, params, t.name),
            args.repeat,
        )
        print(f"  {transform.name:8s} transform_input {one}; 25-point curves {curves}")

    print("\n4. top activating digits")
    started = time.perf_counter()
    digits = load_digit_set()
    print(
        f"  load the set ({len(digits)} digits): "
        f"{(time.perf_counter() - started) * 1e3:.1f} ms"
    )
    fresh = Classifier.load()
    started = time.perf_counter()
    top_activating(fresh, "C3", 4)
    print(f"  first call    {(time.perf_counter() - started) * 1e3:8.1f} ms")
    print(
        "  later calls  ",
        timed(lambda: top_activating(fresh, "C1", 2), args.repeat),
    )

    print("\n5. layer weights")
    for name in classifier.spec.names:
        cost = timed(lambda n=name: layer_weights(classifier.model, n), args.repeat)
        print(f"  {name:6s} {cost}")

    print("\n6. checkpoints (twelve, of a 20-pass schedule)")
    with tempfile.TemporaryDirectory() as temporary:
        weights = Path(temporary) / "lenet5.pt"
        folder = start_checkpoint_folder(weights)
        saved = []
        for number, plan in enumerate(checkpoint_schedule(20, 938)):
            saved.append(save_checkpoint(classifier.model, folder, number, plan))
        write_index(folder, saved)
        print("  list          ", timed(lambda: list_checkpoints(weights), 50))
        listed = list_checkpoints(weights)
        print(
            "  load all 12   ",
            timed(lambda: [Classifier.load(i.path) for i in listed], 5),
        )


if __name__ == "__main__":
    main()
