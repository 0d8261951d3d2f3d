"""How LeNet-5 learns and is scored: one pass of training, evaluation; no Qt.

The library behind the training command (:mod:`lenet_gui.training.train_cli`)
and the evaluation command (:mod:`lenet_gui.training.evaluate_cli`): plain
functions, as pytorch/examples keeps `train()` and `test()`.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from torch import Tensor

from lenet_gui.imaging.preprocess import BACKGROUND, INK, from_mnist
from lenet_gui.network.model import LeNet5
from lenet_gui.training.distortions import Distortion

__all__ = [
    "Evaluation",
    "evaluate",
    "evaluate_inputs",
    "ink_from_inputs",
    "ink_tensor",
    "with_drawn_indices",
    "make_optimizer",
    "seed_everything",
    "to_network_input",
    "train_epoch",
]


def seed_everything(seed: int) -> torch.Generator:
    """Seed every source of randomness and return a generator for the data.

    Deterministic algorithms are switched on, so the same seed on the same
    machine gives the same weights. Two things ``torch.use_deterministic_algorithms``
    would add are left out, as they cost time and change no number:

    - it imports torch's compiler (``torch._inductor``) to make compiled code
      deterministic too, over a second at the start of a run that compiles
      nothing;
    - it fills every new tensor with NaN before an operation writes it, so
      that reading memory never written would show; every operation of
      training writes the whole of its output, so the fill only cost time
      (about 200 fills of each step, 5 % of its processor time).
    """
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    switch = getattr(torch._C, "_set_deterministic_algorithms", None)
    no_fill = getattr(torch._C, "_set_deterministic_fill_uninitialized_memory", None)
    if switch is None or no_fill is None:  # a torch without them: the public way
        torch.use_deterministic_algorithms(True)
    else:
        switch(True)
        no_fill(False)
    return torch.Generator().manual_seed(seed)


def ink_tensor(images: np.ndarray, out: Tensor | None = None) -> Tensor:
    """Turn (N, 28, 28) uint8 MNIST digits into (N, 1, 32, 32) ink in [0, 1].

    The 2-pixel border is the paper's padding of MNIST to LeNet-5's 32x32.
    `out`, an (N, 1, 32, 32) float32 tensor (a slice of a larger one, say),
    receives them and is returned: the same numbers without a tensor of
    their own first (245 MB for MNIST's 60,000 training digits).
    """
    border = 2
    if out is None:
        n, height, width = images.shape
        out = torch.empty(n, 1, height + 2 * border, width + 2 * border)
    inside = out[:, 0, border:-border, border:-border]
    out[:, :, :border].zero_()
    out[:, :, -border:].zero_()
    out[:, :, :, :border].zero_()
    out[:, :, :, -border:].zero_()
    # uint8 divided by 255 in float32, as ``.float().div_(255.0)`` does.
    torch.div(torch.from_numpy(images), 255.0, out=inside)
    return out


def ink_from_inputs(inputs: np.ndarray, out: Tensor | None = None) -> Tensor:
    """Turn (N, 32, 32) network inputs back into (N, 1, 32, 32) ink in [0, 1].

    `out`, if given, receives them, as for :func:`ink_tensor`.
    """
    source = torch.from_numpy(inputs).float()
    if out is None:
        out = torch.empty(len(inputs), 1, *inputs.shape[1:])
    plane = out[:, 0]
    torch.sub(source, BACKGROUND, out=plane)
    plane.div_(INK - BACKGROUND)
    plane.clamp_(0.0, 1.0)
    return out


def with_drawn_indices(
    indices: Tensor, offset: int, available: int, count: int, generator: torch.Generator
) -> Tensor:
    """Return `indices` plus `count` of ``offset .. offset + available - 1``.

    The digits of one training pass: all those of `indices`, plus `count`
    drawn ones (at most all of them) picked at random, so that with fewer
    than all, different passes see different ones. They are indices into
    one tensor that holds the drawn digits from `offset` on: a pass is read
    from there (``train_epoch``'s `subset`) instead of copied whole, 400 MB
    for the README's command.
    """
    pick = torch.randperm(available, generator=generator)[:count]
    return torch.cat([indices, pick + offset])


def to_network_input(ink: Tensor) -> Tensor:
    """Map ink in [0, 1] to LeNet-5's levels: background -0.1, ink 1.175."""
    return ink * (INK - BACKGROUND) + BACKGROUND


def make_optimizer(
    model: LeNet5, epochs: int, steps_per_epoch: int, lr: float
) -> tuple[torch.optim.Optimizer, torch.optim.lr_scheduler.LRScheduler]:
    """Return Adam with a one-cycle learning-rate schedule.

    No weight decay: nothing pulls at C3's absent connections, which stay
    exactly zero. Adam updates all ten parameter tensors with one call per
    step of its rule (``foreach``) rather than one per tensor: the same
    arithmetic, element by element, so the same weights, in a fraction of
    the calls (the fused kernel would compute in another order and give
    other weights).
    """
    optimizer = torch.optim.Adam(model.parameters(), lr=lr, foreach=True)
    scheduler = torch.optim.lr_scheduler.OneCycleLR(
        optimizer, max_lr=lr, total_steps=epochs * steps_per_epoch, pct_start=0.15
    )
    return optimizer, scheduler


def train_epoch(
    model: LeNet5,
    ink: Tensor,
    labels: Tensor,
    optimizer: torch.optim.Optimizer,
    scheduler: torch.optim.lr_scheduler.LRScheduler | None,
    generator: torch.Generator,
    batch_size: int = 128,
    distortion: Distortion | None = None,
    on_batch: Callable[[float, float], None] | None = None,
    subset: Tensor | None = None,
) -> tuple[float, float]:
    """Train for one pass over the data, in a random order.

    Parameters
    ----------
    on_batch : callable, optional
        Called after each batch with the running mean loss and accuracy.
    subset : Tensor, optional
        Indices of the digits of `ink` the pass holds (see
        :func:`with_drawn_indices`); the same pass as on ``ink[subset]``,
        without copying the pass's digits into one tensor first.

    Returns
    -------
    loss, accuracy : float
        Mean loss and accuracy over the pass (on the distorted digits).
    """
    model.train()
    size = len(labels) if subset is None else len(subset)
    order = torch.randperm(size, generator=generator)
    if subset is not None:
        order = subset[order]
    total_loss = 0.0
    correct = 0
    seen = 0

    batches = _batches(ink, labels, order, batch_size, distortion, generator)
    for inputs, target in batches:
        logits = model(inputs)
        loss = F.cross_entropy(logits, target)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        if scheduler is not None:
            scheduler.step()
        total_loss += loss.item() * len(target)
        correct += int((logits.argmax(1) == target).sum())
        seen += len(target)
        if on_batch is not None:
            on_batch(total_loss / seen, correct / seen)
    return total_loss / seen, correct / seen


def _batches(
    ink: Tensor,
    labels: Tensor,
    order: Tensor,
    batch_size: int,
    distortion: Distortion | None,
    generator: torch.Generator,
) -> Iterator[tuple[Tensor, Tensor]]:
    """Yield a pass's batches in `order`: network inputs, distorted, and labels.

    Made in line, each just before its step. Making the next ones on a second
    thread during the step measured 3 % slower on 2 cores: the step already
    keeps both busy (1.4 cores on average), and the threads share Python's lock.
    """
    for start in range(0, len(order), batch_size):
        index = order[start : start + batch_size]
        batch = ink[index]
        if distortion is not None:
            batch = distortion(batch, generator)
        yield to_network_input(batch), labels[index]


@dataclass(frozen=True)
class Evaluation:
    """Results of running the model over a labelled set."""

    predictions: np.ndarray
    labels: np.ndarray

    @property
    def n(self) -> int:
        """Number of digits evaluated."""
        return len(self.labels)

    @property
    def errors(self) -> int:
        """Number of digits read wrongly."""
        return int((self.predictions != self.labels).sum())

    @property
    def accuracy(self) -> float:
        """Fraction of digits read correctly."""
        return float((self.predictions == self.labels).mean())

    def confusion_matrix(self) -> np.ndarray:
        """Return counts, rows the true digit and columns the prediction."""
        matrix = np.zeros((10, 10), dtype=np.int64)
        np.add.at(matrix, (self.labels, self.predictions), 1)
        return matrix

    def per_class_accuracy(self) -> np.ndarray:
        """Return the fraction of each digit read correctly (NaN if absent)."""
        matrix = self.confusion_matrix()
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.diag(matrix) / matrix.sum(axis=1)


#: Digits read at once when evaluating. Measured on the 10,000 MNIST test
#: digits with 2 threads: 256 a batch read them in 0.40 s, 1,000 in 1.1 s
#: (probably as a batch's C1 maps, 19 MB at 1,000, outgrow the processor's
#: cache), with the same predictions. A training run reads the test set about
#: 20 times.
EVALUATION_BATCH = 256


def evaluate(
    model: LeNet5,
    images: np.ndarray,
    labels: np.ndarray,
    batch_size: int = EVALUATION_BATCH,
) -> Evaluation:
    """Classify (N, 28, 28) uint8 MNIST digits and compare with their labels."""
    return evaluate_inputs(model, from_mnist(images), labels, batch_size)


def evaluate_inputs(
    model: LeNet5,
    inputs: np.ndarray,
    labels: np.ndarray,
    batch_size: int = EVALUATION_BATCH,
) -> Evaluation:
    """Classify (N, 32, 32) network inputs and compare with their labels."""
    batch = torch.from_numpy(inputs).unsqueeze(1)  # (N, 1, 32, 32)
    model.eval()
    with torch.inference_mode():
        starts = range(0, len(batch), batch_size)
        predictions = torch.cat(
            [model(batch[i : i + batch_size]).argmax(1) for i in starts]
        )
    return Evaluation(predictions.numpy(), np.asarray(labels, dtype=np.int64))
