r"""Train the not-a-digit head on the frozen network's features.

    python -m lenet_gui.training.verdict_cli --mnist DIR --strokes FILE \\
        [--holdout-writers w1,w2,...] [--holdout-letters K,R,...] \\
        [--output weights/not_digit.pt]

Digits: MNIST training images (the last 5,000 kept aside to choose the
threshold, both as network inputs and framed again as a file's picture)
and pen digits of the writers not held out, drawn on the app's paper at
random sizes and pens, some in the style variants people write.
Non-digits, all drawn here (:mod:`lenet_gui.training.non_digits`): letters
and short words from stroke recipes (without the letters named by
``--holdout-letters``, so that a study can measure letters the head never
saw), dots, dashes, shapes and symbols, pieces of pen digits and pen
digits glued together. The network's weights are not touched: the head
reads what the network computed (:mod:`lenet_gui.reading.verdict`). The
prototypes of its distances are the mean F6 of each digit's training
inputs. The threshold is the 99.9th percentile (``--quantile``) of the head's output
on the digits kept aside, kept between 0.5 and 0.999, so at most about one
real digit in a thousand is called "not a digit". ``--drawn FILE`` keeps
the drawn inputs' features, so the head can be trained again on the same
drawings without drawing them again.
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np
import torch

from lenet_gui.files.idx import load_mnist
from lenet_gui.files.stroke_files import load_pen_digits
from lenet_gui.imaging.preprocess import from_mnist, preprocess
from lenet_gui.network.classifier import Classifier
from lenet_gui.reading.verdict import NotDigitHead, features
from lenet_gui.training.letters import LETTERS
from lenet_gui.training.non_digits import draw_digit_inputs, draw_non_digit_inputs

__all__ = ["main", "train_head"]


def _features(classifier: Classifier, inputs: np.ndarray) -> torch.Tensor:
    chunks = []
    for start in range(0, len(inputs), 2048):
        _, acts = classifier.outputs(inputs[start : start + 2048])
        chunks.append(features(acts))
    return torch.cat(chunks)


def train_head(
    x: torch.Tensor, y: torch.Tensor, labels: torch.Tensor, epochs: int
) -> NotDigitHead:
    """Fit a head to features `x` of digits (y = 0, digit `labels`) and not (y = 1)."""
    head = NotDigitHead()
    digits = x[y == 0]
    prototypes = torch.stack([digits[labels == k, 120:204].mean(0) for k in range(10)])
    head.get_buffer("prototypes").copy_(prototypes)
    head.get_buffer("mean").copy_(x.mean(0))
    head.get_buffer("scale").copy_(x.std(0).clamp_min(1e-3))
    with torch.no_grad():
        d = head.distances(x)
    head.get_buffer("distance_mean").copy_(d.mean(0))
    head.get_buffer("distance_scale").copy_(d.std(0).clamp_min(1e-3))
    weight = torch.where(y > 0, float((y == 0).sum() / (y > 0).sum()), 1.0)
    optimiser = torch.optim.Adam(head.parameters(), lr=3e-3, weight_decay=1e-4)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimiser, epochs)
    for epoch in range(epochs):
        perm = torch.randperm(len(x))
        for batch in perm.split(256):
            loss = torch.nn.functional.binary_cross_entropy_with_logits(
                head(x[batch]), y[batch], weight[batch]
            )
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
        schedule.step()
        if epoch % 10 == 9:
            print(f"epoch {epoch + 1}: loss {float(loss.detach()):.4f}")
    return head.eval()


def _as_files(images: np.ndarray) -> np.ndarray:
    """Network inputs of 28 x 28 images framed as a file's picture is."""
    out = [preprocess(image) for image in images]
    return np.stack([x for x in out if x is not None])


def _drawn_features(args: argparse.Namespace) -> dict[str, torch.Tensor]:
    """Draw the digits and non-digits and return what the network computes."""
    rng = np.random.default_rng(args.seed)
    held = set(filter(None, args.holdout_writers.split(",")))
    unseen = set(filter(None, args.holdout_letters.split(",")))
    letters = [name for name in LETTERS if name.rstrip("~") not in unseen]
    pen = [d for d in load_pen_digits(args.strokes) if d.writer not in held]
    images, mnist_labels = load_mnist(args.mnist, "train")
    chosen = rng.permutation(55000)[: args.mnist_count]
    train_mnist = from_mnist(images[chosen])
    # Kept aside: MNIST as the network's own inputs, and as --predict reads
    # the same pictures from files (framed again from the 28 x 28 image).
    aside_mnist = np.concatenate(
        [from_mnist(images[55000:]), _as_files(images[55000:])]
    )
    order = rng.permutation(len(pen))
    aside_pen = [pen[i] for i in order[:800]]
    train_pen = [pen[i] for i in order[800:]]
    classifier = Classifier.load()
    pen_inputs, pen_labels = draw_digit_inputs(train_pen, rng)
    digits = np.concatenate([train_mnist, pen_inputs])
    labels = np.concatenate([mnist_labels[chosen], pen_labels]).astype(np.int64)
    others = draw_non_digit_inputs(args.non_digits, train_pen, rng, letters)
    print(f"{len(digits)} digits, {len(others)} non-digits drawn")
    aside = np.concatenate([aside_mnist, draw_digit_inputs(aside_pen, rng)[0]])
    check = draw_non_digit_inputs(3000, train_pen, np.random.default_rng(99), letters)
    return {
        "x": torch.cat([_features(classifier, digits), _features(classifier, others)]),
        "y": torch.cat([torch.zeros(len(digits)), torch.ones(len(others))]),
        "labels": torch.from_numpy(labels),
        "aside": _features(classifier, aside),
        "check": _features(classifier, check),
    }


def main(argv: list[str] | None = None) -> int:
    """Train the head and save it; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mnist", required=True)
    parser.add_argument("--strokes", required=True)
    parser.add_argument("--holdout-writers", default="")
    parser.add_argument("--holdout-letters", default="")
    parser.add_argument("--output", default="weights/not_digit.pt")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--mnist-count", type=int, default=20000)
    parser.add_argument("--non-digits", type=int, default=24000)
    parser.add_argument("--epochs", type=int, default=40)
    parser.add_argument(
        "--quantile",
        type=float,
        default=0.999,
        help="share of the digits kept aside that the threshold lets through",
    )
    parser.add_argument(
        "--drawn",
        help="file of the drawn inputs' features: read if it exists, else written",
    )
    args = parser.parse_args(argv)
    torch.manual_seed(args.seed)
    start = time.perf_counter()
    if args.drawn and os.path.exists(args.drawn):
        drawn = torch.load(args.drawn, weights_only=True)
    else:
        drawn = _drawn_features(args)
        if args.drawn:
            torch.save(drawn, args.drawn)
    head = train_head(drawn["x"], drawn["y"], drawn["labels"], args.epochs)
    chances = head.probability(drawn["aside"])
    threshold = float(np.clip(np.quantile(chances, args.quantile), 0.5, 0.999))
    head.get_buffer("threshold").fill_(threshold)
    flagged = float((head.probability(drawn["check"]) > threshold).mean())
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
