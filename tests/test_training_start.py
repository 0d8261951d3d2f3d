"""A training run starts sooner and steps with less overhead, with the same numbers.

Each change that makes the training command faster without changing what it
computes is checked here against the plain way of computing the same thing:
the digits written straight into the one tensor of every digit, the seeding
without torch's compiler, the allocator keeping a step's buffers.
"""

from __future__ import annotations

import platform
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from lenet_gui.files.idx import load_mnist
from lenet_gui.imaging.preprocess import BACKGROUND, INK, from_mnist
from lenet_gui.training.digit_pool import pool_of
from lenet_gui.training.freed_memory import keep_freed_memory
from lenet_gui.training.learning import ink_from_inputs, ink_tensor, seed_everything

DATA = Path(__file__).parent / "data" / "mnist"


@pytest.fixture(scope="module")
def digits():
    return load_mnist(DATA, "test")


def _plain_ink(images: np.ndarray) -> torch.Tensor:
    """MNIST digits as ink, the plain way: a float copy, padded."""
    ink = torch.from_numpy(images).float().div_(255.0)
    return F.pad(ink, (2, 2, 2, 2)).unsqueeze(1)


def _plain_ink_from_inputs(inputs: np.ndarray) -> torch.Tensor:
    ink = (torch.from_numpy(inputs).float() - BACKGROUND) / (INK - BACKGROUND)
    return ink.clamp_(0.0, 1.0).unsqueeze(1)


def test_digits_written_into_a_larger_tensor_are_the_plain_ones(digits):
    images, _ = digits
    inputs = from_mnist(images[:300])
    inputs[:, 0, 0] = 5.0  # beyond full ink: clipped to 1
    room = torch.full((900, 1, 32, 32), float("nan"))
    assert (
        ink_tensor(images[:500], out=room[100:600]).data_ptr() == room[100].data_ptr()
    )
    ink_from_inputs(inputs, out=room[600:])
    assert torch.equal(room[100:600], _plain_ink(images[:500]))
    assert torch.equal(room[600:], _plain_ink_from_inputs(inputs))
    assert torch.isnan(room[:100]).all()  # nothing written outside its place
    assert torch.equal(ink_tensor(images[:50]), _plain_ink(images[:50]))
    cropped = images[:50, 3:-1, 2:-4].copy()  # any size is padded by 2 pixels
    assert torch.equal(ink_tensor(cropped), _plain_ink(cropped))
    assert torch.equal(ink_from_inputs(inputs), _plain_ink_from_inputs(inputs))
    assert room[600:, 0, 0, 0].eq(1.0).all()


def test_the_pool_holds_mnist_then_drawn_then_pen_digits(digits):
    images, labels = digits
    mnist = images[:200]
    mnist_labels = torch.from_numpy(labels[:200]).long()
    drawn = from_mnist(images[200:260][:, ::-1].copy())  # other digits, flipped
    drawn_labels = torch.from_numpy(labels[200:260]).long()
    pen_ink = _plain_ink(images[260:300]).flip(-1)
    pen_labels = torch.from_numpy(labels[260:300]).long()
    ink, pool_labels = pool_of(
        mnist, mnist_labels, (drawn, drawn_labels), (pen_ink, pen_labels)
    )
    expected = torch.cat([_plain_ink(mnist), _plain_ink_from_inputs(drawn), pen_ink])
    assert torch.equal(ink, expected)
    assert torch.equal(pool_labels, torch.cat([mnist_labels, drawn_labels, pen_labels]))
    alone, alone_labels = pool_of(
        mnist, mnist_labels, (drawn[:0], drawn_labels[:0]), None
    )
    assert torch.equal(alone, _plain_ink(mnist))
    assert torch.equal(alone_labels, mnist_labels)


def test_seeding_switches_deterministic_algorithms_on_without_the_compiler():
    code = (
        "import sys, torch\n"
        "from lenet_gui.training.learning import seed_everything\n"
        "seed_everything(3)\n"
        "print(torch.are_deterministic_algorithms_enabled(),"
        " 'torch._inductor' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == ["True", "False"]


def test_seeding_gives_the_same_random_numbers_as_torchs_own():
    first = seed_everything(11)
    ours = (torch.rand(5), torch.rand(5, generator=first))
    torch.use_deterministic_algorithms(True)
    torch.manual_seed(11)
    theirs = (torch.rand(5), torch.rand(5, generator=torch.Generator().manual_seed(11)))
    assert all(torch.equal(a, b) for a, b in zip(ours, theirs, strict=True))
    seed_everything(11)  # and leave the fill off again for the other tests


def test_the_allocator_keeps_freed_memory_where_the_c_library_allows():
    glibc = sys.platform.startswith("linux") and platform.libc_ver()[0] == "glibc"
    assert keep_freed_memory() is glibc
