r"""Train the not-a-digit head on the frozen network's features.

    python -m lenet_gui.training.verdict_cli --mnist DIR --strokes FILE \\
        [--holdout-writers w1,w2,...] [--holdout-letters K,R,...] \\
        [--holdout-shapes spiral,...] [--drawn FILE] [--plain] \\
        [--leave-out-kinds glyph,...] \\
        [--output weights/not_digit.pt]

Digits: MNIST training images, as network inputs and framed again as
``--predict`` and File > Open frame a file's picture (the last 5,000 kept
aside to choose the threshold, both ways), and pen digits of the writers
not held out, drawn on the app's paper at random sizes and pens, some in
the style variants people write (800 of them kept aside too). Non-digits, all drawn here
(:mod:`lenet_gui.training.non_digits`), each tagged with what it is:
letters and short words from stroke recipes, signs made of strokes of two
letters, dots, dashes, shapes and symbols, pen digits mirrored or turned,
pieces of pen digits and pen digits glued together. Digits glued together
are drawn but not trained on (``--leave-out-kinds``, by default
``glued``): a head that learns them refuses two digits whose strokes cross
read whole, and the number reader then no longer cuts them apart (the
segment scorer judges glued digits). The letters named by
``--holdout-letters`` and the marks named by ``--holdout-shapes`` are left
out of training (not out of the drawing), and the share of the held-out
ones that the head flags is printed from a second drawing (seed 99): the
closest this project comes to letters and marks it never saw.
``--drawn FILE`` keeps the drawn inputs, so heads holding out other
letters, or ``--plain`` heads without the convolutional layers, are
trained on the same drawings and compared.

The head is fitted with a weight decay of 1e-3 (``--weight-decay``): with
the 1e-4 of earlier heads it learnt the recipes more than "not a digit",
and heads trained without some letters flagged fewer of them.

The network's weights are not touched: the head reads what the network
computed (:mod:`lenet_gui.reading.verdict`). Its members (three) start
from different random weights and are fitted side by side; their logits
are averaged. The prototypes of its distances are the mean F6 of each
digit's training inputs. The threshold is the 99.8th percentile
(``--quantile``) of the head's output on the digits kept aside, kept
between 0.5 and 0.999, so about two real digits in a thousand are called
"not a digit"; the printed curve shows, threshold by threshold, the digits
kept aside refused (MNIST as network inputs, as image files, pen digits)
against the new letters and marks flagged. A lower threshold flags more
letters but refuses more digits of writers the head never saw than of
those kept aside (README, "Numbers and "not a digit"").
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
from lenet_gui.reading.verdict import MEMBERS, NotDigitHead, features
from lenet_gui.training.non_digits import draw_digit_inputs, draw_tagged_non_digits

__all__ = ["main", "train_head"]


def _features(classifier: Classifier, inputs: np.ndarray) -> torch.Tensor:
    chunks = []
    for start in range(0, len(inputs), 2048):
        _, acts = classifier.outputs(inputs[start : start + 2048])
        chunks.append(features(acts))
    return torch.cat(chunks)


def train_head(
    x: torch.Tensor,
    y: torch.Tensor,
    labels: torch.Tensor,
    epochs: int,
    plain: bool = False,
    decay: float = 1e-3,
    members: int = MEMBERS,
) -> NotDigitHead:
    """Fit a head to features `x` of digits (y = 0, digit `labels`) and not (y = 1).

    Its members start from different random weights and are fitted side by
    side on the same batches, each to its own loss (the sum of the members'
    losses: no member learns from another's errors), so that each is the
    head one training run would give. With `plain`, the convolutional layers
    are not used (they stay as initialised and read nothing), for comparing
    heads with and without them.
    """
    head = NotDigitHead(members)
    head.shapes = not plain
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
    optimiser = torch.optim.Adam(head.parameters(), lr=3e-3, weight_decay=decay)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimiser, epochs)
    for epoch in range(epochs):
        perm = torch.randperm(len(x))
        for batch in perm.split(256):
            logits = head.member_logits(x[batch])
            loss = members * torch.nn.functional.binary_cross_entropy_with_logits(
                logits, y[batch].expand_as(logits), weight[batch].expand_as(logits)
            )
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
        schedule.step()
        if epoch % 4 == 3:
            print(f"epoch {epoch + 1}: loss {float(loss.detach()) / members:.4f}")
    return head.eval()


def _as_files(images: np.ndarray) -> np.ndarray:
    """Network inputs of 28 x 28 images framed as a file's picture is."""
    return _as_labelled_files(images, np.zeros(len(images), dtype=np.int64))[0]


def _as_labelled_files(
    images: np.ndarray, labels: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Return :func:`_as_files` inputs and the labels of the images kept.

    A blank image gives no input.
    """
    out = [preprocess(image) for image in images]
    kept = np.array([x is not None for x in out], dtype=bool)
    return np.stack([x for x in out if x is not None]), labels[kept]


def _draw_all(args: argparse.Namespace) -> dict[str, object]:
    """Draw the digits and every kind of non-digit, each non-digit tagged.

    Nothing is held out here: the letters and marks a head must not see
    are left out when it is trained (:func:`_held_out`), so heads that hold
    out different letters can be trained and compared on one drawing.
    """
    rng = np.random.default_rng(args.seed)
    held = set(filter(None, args.holdout_writers.split(",")))
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
    pen_inputs, pen_labels = draw_digit_inputs(train_pen, rng)
    # The same MNIST images framed again as --predict and Open frame a file:
    # the crop and scale differ a little from MNIST's own, and a head that
    # never saw them refuses about twice as many of them.
    file_inputs, file_labels = _as_labelled_files(images[chosen], mnist_labels[chosen])
    digits = np.concatenate([train_mnist, file_inputs, pen_inputs])
    labels = np.concatenate([mnist_labels[chosen], file_labels, pen_labels]).astype(
        np.int64
    )
    others, tags = draw_tagged_non_digits(args.non_digits, train_pen, rng)
    print(f"{len(digits)} digits, {len(others)} non-digits drawn")
    aside = np.concatenate([aside_mnist, draw_digit_inputs(aside_pen, rng)[0]])
    check, check_tags = draw_tagged_non_digits(
        6000, train_pen, np.random.default_rng(99)
    )
    half = torch.float16
    return {
        "digits": torch.from_numpy(digits).to(half),
        "labels": torch.from_numpy(labels),
        "others": torch.from_numpy(others).to(half),
        "tags": tags,
        "aside": torch.from_numpy(aside).to(half),
        "check": torch.from_numpy(check).to(half),
        "check_tags": check_tags,
    }


def _held_out(tags: list[str], letters: set[str], shapes: set[str]) -> np.ndarray:
    """Whether each tagged non-digit writes a held-out letter or mark."""
    out = []
    for tag in tags:
        kind, _, what = tag.partition(":")
        if kind in ("letter", "word", "glyph"):
            out.append(bool(set(what) & letters))
        else:
            out.append(kind == "shape" and what in shapes)
    return np.array(out, dtype=bool)


#: Shares of the digits kept aside let through, for the printed curve.
_QUANTILES = (0.999, 0.998, 0.997, 0.996, 0.995, 0.994, 0.993, 0.99)


def _curve(
    head: NotDigitHead, aside: np.ndarray, check: torch.Tensor, tags: list[str]
) -> None:
    """Print digits refused against non-digits flagged, threshold by threshold.

    `aside` holds the head's output on the digits kept aside, in the order
    drawn: 5,000 MNIST images as network inputs, the same as image files,
    then the pen digits (the last 800).
    """
    chances = head.probability(check)
    kinds = np.array([tag.partition(":")[0] for tag in tags])
    parts = {
        "MNIST": aside[:5000],
        "as files": aside[5000:-800],
        "pen": aside[-800:],
        "letters": chances[kinds == "letter"],
        "marks": chances[kinds == "shape"],
    }
    print("  share   threshold   refused: " + "  ".join(parts) + " (flagged)")
    for quantile in _QUANTILES:
        cut = float(np.quantile(aside, quantile))
        shares = "  ".join(
            f"{float((v > cut).mean()):{len(k)}.2%}" for k, v in parts.items()
        )
        print(f"  {quantile:.3f}  {cut:.4f}  {shares}")


def _report(
    head: NotDigitHead,
    check: torch.Tensor,
    tags: list[str],
    held: np.ndarray,
) -> None:
    """Print the share of new non-digits flagged, by group."""
    flagged = head.probability(check) > head.cutoff
    kinds = np.array([tag.partition(":")[0] for tag in tags])
    text = np.array(tags)
    groups = {
        "held-out letters and words": held & np.isin(kinds, ["letter", "word"]),
        "held-out marks": held & (kinds == "shape"),
        "trained letters and words": ~held & np.isin(kinds, ["letter", "word"]),
        "trained marks": ~held & (kinds == "shape"),
        "signs made of two letters": kinds == "glyph",
        "digits mirrored or turned": kinds == "turned",
        "pieces of digits": kinds == "piece",
        "digits glued": kinds == "glued",
    }
    for name, mask in groups.items():
        if mask.any():
            print(f"  {name:28s} {flagged[mask].mean():7.1%} ({int(mask.sum())})")
    for letter in sorted({t[7:] for t in text[held & (kinds == "letter")]}):
        mask = text == f"letter:{letter}"
        print(f"    letter {letter}: {flagged[mask].mean():.0%} ({int(mask.sum())})")


def main(argv: list[str] | None = None) -> int:
    """Train the head and save it; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mnist", required=True)
    parser.add_argument("--strokes", required=True)
    parser.add_argument("--holdout-writers", default="")
    parser.add_argument("--holdout-letters", default="")
    parser.add_argument("--holdout-shapes", default="")
    parser.add_argument(
        "--leave-out-kinds",
        default="glued",
        help="kinds of non-digit not trained on (glued, glyph, turned, ...)",
    )
    parser.add_argument("--output", default="weights/not_digit.pt")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--mnist-count", type=int, default=20000)
    parser.add_argument("--non-digits", type=int, default=36000)
    parser.add_argument("--epochs", type=int, default=24)
    parser.add_argument(
        "--weight-decay",
        type=float,
        default=1e-3,
        help="Adam's weight decay: more of it makes a head that flags more of "
        "the letters and marks it never saw",
    )
    parser.add_argument(
        "--plain",
        action="store_true",
        help="train without the head's convolutional layers, to compare",
    )
    parser.add_argument(
        "--quantile",
        type=float,
        default=0.998,
        help="share of the digits kept aside that the threshold lets through",
    )
    parser.add_argument(
        "--drawn",
        help="file of the drawn inputs: read if it exists, else written",
    )
    args = parser.parse_args(argv)
    torch.manual_seed(args.seed)
    start = time.perf_counter()
    if args.drawn and os.path.exists(args.drawn):
        drawn = torch.load(args.drawn, weights_only=True)
    else:
        drawn = _draw_all(args)
        if args.drawn:
            torch.save(drawn, args.drawn)
    letters = set(filter(None, args.holdout_letters.split(",")))
    shapes = set(filter(None, args.holdout_shapes.split(",")))
    left_out = set(filter(None, args.leave_out_kinds.split(",")))
    kept = ~_held_out(drawn["tags"], letters, shapes)
    kept &= ~np.isin([t.partition(":")[0] for t in drawn["tags"]], list(left_out))
    keep = torch.from_numpy(kept)
    classifier = Classifier.load()
    digits = _features(classifier, drawn["digits"].float().numpy())
    others = _features(classifier, drawn["others"][keep].float().numpy())
    print(f"{len(digits)} digits, {len(others)} non-digits trained on")
    head = train_head(
        torch.cat([digits, others]),
        torch.cat([torch.zeros(len(digits)), torch.ones(len(others))]),
        drawn["labels"],
        args.epochs,
        plain=args.plain,
        decay=args.weight_decay,
    )
    chances = head.probability(_features(classifier, drawn["aside"].float().numpy()))
    threshold = float(np.clip(np.quantile(chances, args.quantile), 0.5, 0.999))
    head.get_buffer("threshold").fill_(threshold)
    print(
        f"threshold {threshold:.4f}: digits kept aside flagged "
        f"{float((chances > threshold).mean()):.2%} "
        f"({time.perf_counter() - start:.0f} s); new drawings flagged:"
    )
    check = _features(classifier, drawn["check"].float().numpy())
    _curve(head, chances, check, drawn["check_tags"])
    _report(
        head,
        check,
        drawn["check_tags"],
        _held_out(drawn["check_tags"], letters, shapes),
    )
    state = {k: v.detach().clone() for k, v in head.state_dict().items()}
    torch.save(state, args.output)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
