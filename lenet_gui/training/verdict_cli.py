r"""Train the not-a-digit head on the frozen network's features.

    python -m lenet_gui.training.verdict_cli --mnist DIR --strokes FILE \\
        [--holdout-writers w1,w2,...] [--output weights/not_digit.pt]

Digits: MNIST training images (the last 5,000 kept aside to choose the
threshold) and pen digits of the writers not held out, drawn on the app's
paper at random sizes and pens. Non-digits, all drawn here: the shapes of
:func:`lenet_gui.training.numbers.non_digit_strokes`, parts of pen digits
(what a wrong cut leaves) and two or three pen digits glued or set close
(what a missed cut leaves). The network's weights are not touched: the head
reads C5, F6 and the logits (:mod:`lenet_gui.reading.verdict`). The
threshold is the 99.9th percentile of the head's output on the digits kept
aside, kept between 0.5 and 0.99, so at most about one real digit in a
thousand is called "not a digit".
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence

import numpy as np
import torch

from lenet_gui.drawing.paper import render
from lenet_gui.files.idx import load_mnist
from lenet_gui.files.stroke_files import PenDigit, load_pen_digits
from lenet_gui.imaging.preprocess import from_mnist, preprocess
from lenet_gui.network.classifier import Classifier
from lenet_gui.reading.verdict import NotDigitHead, features
from lenet_gui.training.numbers import (
    SHAPES,
    compose_number,
    non_digit_strokes,
    piece_of_digit,
)

__all__ = ["draw_digit_inputs", "draw_non_digit_inputs", "main"]

_PAPER = 448.0


def _place(strokes: list[np.ndarray], rng: np.random.Generator) -> list[np.ndarray]:
    """Scale strokes to a random size and put them at a random place on paper."""
    points = np.concatenate(strokes)
    low, high = points.min(axis=0), points.max(axis=0)
    extent = np.maximum(high - low, 1e-3)
    size = rng.uniform(0.2, 0.8) * _PAPER
    scale = size / extent.max()
    corner = 20.0 + rng.uniform(0, 1, 2) * np.maximum(
        _PAPER - 40.0 - scale * extent, 0.0
    )
    return [(s - low) * scale + corner for s in strokes]


def _draw(strokes: list[np.ndarray], rng: np.random.Generator) -> np.ndarray | None:
    return preprocess(render(strokes, float(rng.uniform(10.0, 40.0))))


def draw_digit_inputs(
    digits: Sequence[PenDigit], rng: np.random.Generator
) -> np.ndarray:
    """Network inputs of pen digits drawn at random sizes and pens."""
    out = [_draw(_place(list(d.strokes), rng), rng) for d in digits]
    return np.stack([x for x in out if x is not None])


def draw_non_digit_inputs(
    count: int, digits: Sequence[PenDigit], rng: np.random.Generator
) -> np.ndarray:
    """Network inputs of `count` non-digits: shapes, digit parts, glued digits."""
    out: list[np.ndarray] = []
    while len(out) < count:
        pick = rng.random()
        if pick < 0.5:
            kind = SHAPES[int(rng.integers(len(SHAPES)))]
            strokes = non_digit_strokes(kind, rng)
            squash = np.array([rng.uniform(0.5, 1.5), 1.0])
            strokes = [s * squash for s in strokes]
        elif pick < 0.75:
            digit = digits[int(rng.integers(len(digits)))]
            if digit.label == 1:
                continue
            parts = piece_of_digit(digit, rng)
            if parts is None:
                continue
            strokes = parts
        else:
            k = 2 if rng.random() < 0.7 else 3
            chosen = [digits[int(i)] for i in rng.integers(len(digits), size=k)]
            strokes, _ = compose_number(chosen, (-0.15, 0.2), rng)
        x = _draw(_place(strokes, rng), rng)
        if x is not None:
            out.append(x)
    return np.stack(out)


def _features(classifier: Classifier, inputs: np.ndarray) -> torch.Tensor:
    chunks = []
    for start in range(0, len(inputs), 2048):
        _, acts = classifier.outputs(inputs[start : start + 2048])
        chunks.append(features(acts))
    return torch.cat(chunks)


def main(argv: list[str] | None = None) -> int:
    """Train the head and save it; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mnist", required=True)
    parser.add_argument("--strokes", required=True)
    parser.add_argument("--holdout-writers", default="")
    parser.add_argument("--output", default="weights/not_digit.pt")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--mnist-count", type=int, default=20000)
    parser.add_argument("--non-digits", type=int, default=16000)
    parser.add_argument("--epochs", type=int, default=40)
    args = parser.parse_args(argv)
    rng = np.random.default_rng(args.seed)
    torch.manual_seed(args.seed)
    start = time.perf_counter()
    held = set(filter(None, args.holdout_writers.split(",")))
    pen = [d for d in load_pen_digits(args.strokes) if d.writer not in held]
    images, _ = load_mnist(args.mnist, "train")
    train_mnist = from_mnist(images[rng.permutation(55000)[: args.mnist_count]])
    aside_mnist = from_mnist(images[55000:])
    order = rng.permutation(len(pen))
    aside_pen = [pen[i] for i in order[:800]]
    train_pen = [pen[i] for i in order[800:]]
    classifier = Classifier.load()
    digits = np.concatenate([train_mnist, draw_digit_inputs(train_pen, rng)])
    others = draw_non_digit_inputs(args.non_digits, train_pen, rng)
    print(f"{len(digits)} digits, {len(others)} non-digits drawn")
    x = torch.cat([_features(classifier, digits), _features(classifier, others)])
    y = torch.cat([torch.zeros(len(digits)), torch.ones(len(others))])
    head = NotDigitHead()
    head.get_buffer("mean").copy_(x.mean(0))
    head.get_buffer("scale").copy_(x.std(0).clamp_min(1e-3))
    weight = torch.where(y > 0, len(digits) / len(others), 1.0)
    optimiser = torch.optim.Adam(head.parameters(), lr=3e-3, weight_decay=1e-4)
    for epoch in range(args.epochs):
        perm = torch.randperm(len(x))
        for batch in perm.split(256):
            loss = torch.nn.functional.binary_cross_entropy_with_logits(
                head(x[batch]), y[batch], weight[batch]
            )
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
        if epoch % 10 == 9:
            print(f"epoch {epoch + 1}: loss {float(loss):.4f}")
    head.eval()
    aside = np.concatenate([aside_mnist, draw_digit_inputs(aside_pen, rng)])
    chances = head.probability(_features(classifier, aside))
    threshold = float(np.clip(np.quantile(chances, 0.999), 0.5, 0.99))
    head.get_buffer("threshold").fill_(threshold)
    check = draw_non_digit_inputs(3000, train_pen, np.random.default_rng(99))
    flagged = float((head.probability(_features(classifier, check)) > threshold).mean())
    print(
        f"threshold {threshold:.4f}: digits kept aside flagged "
        f"{float((chances > threshold).mean()):.2%}, new non-digits flagged "
        f"{flagged:.2%} ({time.perf_counter() - start:.0f} s)"
    )
    state = {k: v.detach().clone() for k, v in head.state_dict().items()}
    torch.save(state, args.output)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
