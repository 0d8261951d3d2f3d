"""How training's threads are set up, so a seed gives the same weights under load.

The sums of a training step depend on how many threads share them. The
training package fixes the thread count against the math libraries' own
choices (which can follow the machine's load), and has idle threads sleep
rather than spin, before torch is loaded; a fresh interpreter shows what a
training command gets.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import torch

from lenet_gui.training.prefetch import ahead

_PROBE = """
import json, os
import lenet_gui.training
import torch
torch.set_num_threads(2)
names = ("MKL_DYNAMIC", "OMP_DYNAMIC", "OMP_WAIT_POLICY")
print(json.dumps({
    "env": {name: os.environ.get(name) for name in names},
    "threads": torch.get_num_threads(),
}))
"""


def _probe(**env: str) -> dict:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("OMP_", "MKL_", "GOMP_"))
    }
    result = subprocess.run(
        [sys.executable, "-c", _PROBE],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(result.stdout)


def test_a_training_process_fixes_its_threads_before_torch_loads():
    probe = _probe()
    assert probe["env"] == {
        "MKL_DYNAMIC": "FALSE",
        "OMP_DYNAMIC": "FALSE",
        "OMP_WAIT_POLICY": "PASSIVE",
    }
    assert probe["threads"] == 2


def test_a_setting_of_the_users_own_is_kept():
    assert _probe(OMP_WAIT_POLICY="ACTIVE")["env"]["OMP_WAIT_POLICY"] == "ACTIVE"


def test_batches_made_ahead_come_in_order_and_the_maker_is_done_after():
    made = []

    def items():
        for k in range(50):
            made.append(k)
            yield torch.full((2,), float(k))

    got = [int(t[0]) for t in ahead(items(), depth=3)]
    assert got == list(range(50)) and made == got


def test_an_error_while_making_a_batch_reaches_the_training_loop():
    def items():
        yield 1
        raise ValueError("bad batch")

    seen = []
    try:
        for item in ahead(items()):
            seen.append(item)
    except ValueError as error:
        assert str(error) == "bad batch"
    else:
        raise AssertionError("the error was lost")
    assert seen == [1]


def test_stopping_early_stops_the_maker_before_it_draws_more():
    generator = torch.Generator().manual_seed(0)
    drawn = []

    def items():
        while True:
            value = torch.rand(1, generator=generator)
            drawn.append(value)
            yield value

    batches = ahead(items(), depth=2)
    for _ in range(5):
        next(batches)
    batches.close()  # joins the maker thread
    count = len(drawn)
    torch.rand(1, generator=generator)  # the caller's generator again
    assert len(drawn) == count <= 5 + 3


def test_batches_made_ahead_train_the_same_weights_as_made_in_line():
    from pathlib import Path

    from lenet_gui.files.idx import load_mnist
    from lenet_gui.network.model import LeNet5
    from lenet_gui.training.distortions import Distortion
    from lenet_gui.training.learning import (
        ink_tensor,
        make_optimizer,
        seed_everything,
        train_epoch,
    )

    images, labels = load_mnist(Path(__file__).parent / "data" / "mnist", "test")
    ink, targets = ink_tensor(images[:256]), torch.from_numpy(labels[:256]).long()
    weights = []
    for prefetch in (True, False):
        generator = seed_everything(5)
        model = LeNet5()
        optimizer, scheduler = make_optimizer(model, 1, 8, 3e-3)
        train_epoch(
            model, ink, targets, optimizer, scheduler, generator, 32,
            Distortion(), prefetch=prefetch,
        )  # fmt: skip
        weights.append([t.numpy().tobytes() for t in model.state_dict().values()])
        weights[-1].append(torch.rand(4, generator=generator).numpy().tobytes())
    assert weights[0] == weights[1]
