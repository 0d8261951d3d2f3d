"""What each map looks for: the test digits that excite it most.

The app ships 2,000 MNIST test digits (``resources/mnist-test-sample.npz``,
made by ``resources/make_top_digit_set.py``). :func:`top_activating` ranks
them by a map's strongest unit and returns the best few with the unit and the
patch of the digit it sees, for thumbnails.

Units are ranked by their sum before squashing (``sum w·x + b``), not by
their output ``f(sum)``: the squashing flattens near its ceiling of 1.7159,
and in float32 many digits reach exactly the same output (nine of nine at
1.713 for C1 map 2), so an order by output would mean nothing. The squashing
is increasing, so the strongest unit is the same either way.

The first call for a classifier runs all the digits through it, in batched
forward passes of 500, and keeps, for every map of every layer, each digit's strongest
unit and where it is (about 14 KB a layer for C1 to S4). Later calls, for any
layer and map, only sort 2,000 numbers. The cache is keyed weakly by the
classifier (and the digit set), so it goes when they go.

Cost, one torch thread, on a 2-core machine shared with other heavy jobs
(load average 5-9; ``benchmarks/explainers.py``): first call 0.5-0.7 s for
the 2,000 digits (run it off the GUI thread, or at start-up), later calls
0.14-0.3 ms. Loading the bundled set took 15-45 ms there, once.
"""

from __future__ import annotations

import io
import weakref
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import torch

from lenet_gui.files.bundled import bundled_file
from lenet_gui.files.safe_read import RefusedFile, read_regular_file
from lenet_gui.imaging.preprocess import from_mnist
from lenet_gui.spec.lenet5 import MNIST_SIDE, Field

if TYPE_CHECKING:
    from lenet_gui.network.classifier import Classifier

__all__ = [
    "DIGIT_SET",
    "DigitSet",
    "DigitSetError",
    "Patch",
    "TopDigit",
    "layer_sums",
    "load_digit_set",
    "top_activating",
]

#: The digits shipped with the app for the "top digits" view.
DIGIT_SET = bundled_file("resources/mnist-test-sample.npz")

_DIGITS = 10
_ARRAYS = ("images", "labels", "indices")
# Largest digit set read: all 60,000 MNIST training digits take 47 MB unpacked.
_MAX_SET_BYTES = 64 * 2**20
# Digits per forward pass when ranking. On one thread, 2,000 digits in one batch
# measured 760-950 ms; in batches of 250-500, 475-690 ms (the activations of a
# batch of 500 fit the caches better: C1 alone is 19 MB for 500 digits).
_BATCH = 500


class DigitSetError(ValueError):
    """A digit set file that cannot be used, with the reason in plain words."""


@dataclass(frozen=True, eq=False)
class DigitSet:
    """Labelled MNIST digits (read-only arrays); compared and hashed by identity.

    Attributes
    ----------
    images : np.ndarray
        (N, 28, 28) uint8, MNIST's own polarity (ink 255 on paper 0).
    labels : np.ndarray
        (N,) uint8, the digits 0-9.
    indices : np.ndarray
        (N,) integers: where each digit sits in MNIST's test set (t10k).
    """

    images: np.ndarray
    labels: np.ndarray
    indices: np.ndarray

    def __len__(self) -> int:
        return len(self.labels)


@dataclass(frozen=True)
class Patch:
    """A rectangle of a thumbnail, in pixels from its top left corner."""

    top: int
    left: int
    height: int
    width: int


@dataclass(frozen=True)
class TopDigit:
    """One of the digits that excite a map most, and where.

    Attributes
    ----------
    index : int
        The digit's place in MNIST's test set (t10k).
    label : int
        What digit it is.
    image : np.ndarray
        (28, 28) uint8 thumbnail, MNIST's polarity (read-only).
    value : float
        The strongest output of the map for this digit: the activation at
        `unit`, after squashing.
    sum : float
        That unit's sum before squashing (``sum w·x + b``), by which digits
        are ranked; equal to `value` in layers not squashed (the output).
    unit : tuple of int
        (row, col) of that unit in the map; (0, 0) for C5, F6 and the output.
    field : Field
        The patch of the 32x32 network input the unit sees.
    thumbnail_field : Patch
        The same patch on the 28x28 thumbnail (which sits at offset 2 in the
        input), clipped to the thumbnail.
    """

    index: int
    label: int
    image: np.ndarray
    value: float
    unit: tuple[int, int]
    field: Field
    thumbnail_field: Patch
    sum: float


def load_digit_set(path: Path | str | None = None) -> DigitSet:
    """Load a digit set; the bundled one (read once, then shared) by default.

    Raises
    ------
    DigitSetError
        The file is missing, not an ``.npz``, damaged, or does not hold
        ``images`` (N, 28, 28) uint8, ``labels`` (N,) 0-9 and ``indices`` (N,)
        distinct non-negative integers.
    """
    if path is None:
        return _bundled_digit_set()
    return _read_digit_set(Path(path))


@lru_cache(maxsize=1)
def _bundled_digit_set() -> DigitSet:
    return _read_digit_set(DIGIT_SET)


def _read_digit_set(path: Path) -> DigitSet:
    try:
        data = read_regular_file(path, _MAX_SET_BYTES)
    except RefusedFile as refused:
        if refused.missing:
            raise DigitSetError(
                f"{path.name}: no such file ({path}); "
                "make it with resources/make_top_digit_set.py"
            ) from refused
        raise DigitSetError(f"{path.name}: {refused.reason}") from refused
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as npz:
            missing = [name for name in _ARRAYS if name not in npz.files]
            arrays = {name: npz[name] for name in _ARRAYS if name not in missing}
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as error:
        # zlib and zipfile raise assorted types for damaged archives.
        raise DigitSetError(
            f"{path.name}: not a readable digit set (damaged, truncated or "
            f"another format: {type(error).__name__})"
        ) from error
    except Exception as error:
        raise DigitSetError(
            f"{path.name}: not a readable digit set ({type(error).__name__})"
        ) from error
    if missing:
        raise DigitSetError(f"{path.name}: has no {missing[0]!r} array")
    images, labels, indices = arrays["images"], arrays["labels"], arrays["indices"]
    if (
        images.dtype != np.uint8
        or images.ndim != 3
        or images.shape[1:] != (MNIST_SIDE, MNIST_SIDE)
        or len(images) == 0
    ):
        raise DigitSetError(
            f"{path.name}: images are {images.dtype} {images.shape}, "
            f"not (N, {MNIST_SIDE}, {MNIST_SIDE}) uint8 with N at least 1"
        )
    for name, array in (("labels", labels), ("indices", indices)):
        if array.shape != (len(images),) or array.dtype.kind not in "iu":
            raise DigitSetError(
                f"{path.name}: {name} are {array.dtype} {array.shape}, "
                f"not {len(images)} integers, one per image"
            )
    if labels.min() < 0 or labels.max() >= _DIGITS:
        raise DigitSetError(f"{path.name}: labels must be digits 0 to 9")
    if indices.min() < 0 or len(np.unique(indices)) != len(indices):
        raise DigitSetError(f"{path.name}: indices must be distinct, from 0")
    for array in (images, labels, indices):
        array.flags.writeable = False
    return DigitSet(images, labels, indices)


@dataclass(frozen=True)
class _Strongest:
    """Each digit's strongest unit in each map of one layer."""

    sums: np.ndarray  # (N, maps) float32, before squashing
    values: np.ndarray  # (N, maps) float32, after squashing, at the same unit
    places: np.ndarray  # (N, maps) flat index of the unit within its map


# classifier -> digit set -> layer name -> _Strongest
_CACHE: weakref.WeakKeyDictionary[
    Classifier, weakref.WeakKeyDictionary[DigitSet, dict[str, _Strongest]]
] = weakref.WeakKeyDictionary()


def top_activating(
    classifier: Classifier,
    layer: str,
    map_index: int,
    k: int = 9,
    digits: DigitSet | None = None,
) -> list[TopDigit]:
    """Return the `k` digits whose strongest unit in a map is strongest.

    Parameters
    ----------
    classifier : Classifier
        The network.
    layer : str
        ``"C1"``, ``"S2"``, ``"C3"``, ``"S4"``; also ``"C5"``, ``"F6"`` or
        ``"output"``, whose maps are single units (the output's are logits).
    map_index : int
        The map (unit) in that layer.
    k : int
        How many digits; fewer if the set is smaller.
    digits : DigitSet, optional
        The digits ranked; the bundled set by default.

    Returns
    -------
    list of TopDigit
        Strongest sum before squashing first; ties keep the set's order.

    Raises
    ------
    KeyError
        No layer `layer`.
    IndexError
        No map `map_index` in it.
    ValueError
        `k` is not a positive integer.
    DigitSetError
        The bundled set is missing or damaged.
    """
    spec = classifier.spec.layer(layer)
    spec.sources(map_index)  # raises IndexError, naming the maps there are
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise ValueError(f"k must be a positive integer, not {k!r}")
    digits = load_digit_set() if digits is None else digits
    strongest = _strongest(classifier, digits)[spec.name]
    sums, values = strongest.sums[:, map_index], strongest.values[:, map_index]
    order = np.argsort(-sums, kind="stable")[:k]
    side = max(spec.side, 1)
    margin = classifier.spec.margin
    found = []
    for n in order:
        row, col = divmod(int(strongest.places[n, map_index]), side)
        field = classifier.spec.receptive_field(spec.name, row, col)
        found.append(
            TopDigit(
                index=int(digits.indices[n]),
                label=int(digits.labels[n]),
                image=digits.images[n],
                value=float(values[n]),
                unit=(row, col),
                field=field,
                thumbnail_field=_on_thumbnail(field, margin),
                sum=float(sums[n]),
            )
        )
    return found


def layer_sums(
    classifier: Classifier, inputs: torch.Tensor
) -> dict[str, tuple[torch.Tensor, torch.Tensor]]:
    """Return every layer's sums before squashing and its outputs, by name.

    The same steps as the forward pass, keeping each layer's sum as well.

    Parameters
    ----------
    classifier : Classifier
        The network (no map switched off).
    inputs : torch.Tensor
        (N, 1, 32, 32) inputs in network levels.

    Returns
    -------
    dict of str to (Tensor, Tensor)
        For each layer, (sums, outputs), shaped as
        ``forward_with_activations`` shapes the outputs; a layer not
        squashed (the output) has its sums as outputs.
    """
    model = classifier.model
    found: dict[str, tuple[torch.Tensor, torch.Tensor]] = {}
    x = inputs
    with torch.inference_mode():
        for spec in model.spec.layers:
            total = model.layer(spec.name)(x)
            x = model.squash(total) if spec.squashed else total
            if not spec.has_maps:
                total, x = total.flatten(1), x.flatten(1)
            found[spec.name] = (total, x)
    return found


def _strongest(classifier: Classifier, digits: DigitSet) -> dict[str, _Strongest]:
    """Return (computing once) each digit's strongest unit in every map."""
    by_set = _CACHE.setdefault(classifier, weakref.WeakKeyDictionary())
    if digits not in by_set:
        inputs = torch.from_numpy(from_mnist(digits.images)).unsqueeze(1)
        parts: dict[str, list[tuple[torch.Tensor, ...]]] = {}
        for start in range(0, len(inputs), _BATCH):
            batch = layer_sums(classifier, inputs[start : start + _BATCH])
            for name, (total, value) in batch.items():
                shape = (total.shape[0], total.shape[1], -1)
                total, value = total.reshape(shape), value.reshape(shape)
                best, place = total.max(dim=2)  # over the units of each map
                at = value.gather(2, place.unsqueeze(2)).squeeze(2)
                parts.setdefault(name, []).append((best, at, place))
        by_set[digits] = {
            name: _Strongest(
                *(torch.cat([piece[k] for piece in pieces]).numpy() for k in range(3))
            )
            for name, pieces in parts.items()
        }
    return by_set[digits]


def _on_thumbnail(field: Field, margin: int) -> Patch:
    """Return `field` (input coordinates) on the thumbnail, clipped to it."""
    top, left = max(field.top - margin, 0), max(field.left - margin, 0)
    bottom = min(field.top + field.size - margin, MNIST_SIDE)
    right = min(field.left + field.size - margin, MNIST_SIDE)
    return Patch(top, left, bottom - top, right - left)
