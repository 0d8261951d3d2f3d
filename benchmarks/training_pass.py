"""One training pass, timed: ``python -m benchmarks.training_pass --data DIR``.

Trains LeNet-5 for one pass over the first ``--digits`` MNIST training digits
with the training command's distortions, optimizer and schedule, then reads
the 10,000 test digits, and prints the wall-clock and CPU seconds of each and
the sha256 of the weights reached: the same seed must give the same sha256
before and after a change that only makes training faster. The pass's system
time and page faults show what the memory allocator costs. ``--code DIR``
times another checkout's code (a pristine copy of main, say), to compare,
alternating.
The drawing of digits is not part of it (see ``--no-cache`` of the training
command for that). ``--json FILE`` writes the figures.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import sys
import time
from typing import Any


def weights_sha256(model: Any) -> str:
    """Return the sha256 of every parameter's bytes, in order."""
    digest = hashlib.sha256()
    for name, tensor in model.state_dict().items():
        digest.update(name.encode())
        digest.update(tensor.detach().contiguous().numpy().tobytes())
    return digest.hexdigest()


def measure(data: str, digits: int, threads: int, batch_size: int) -> dict:
    """Train one pass and evaluate; return the figures."""
    # The training package first, so its thread settings apply before torch loads.
    import lenet_gui.training  # noqa: I001
    import torch

    from lenet_gui.files.idx import load_mnist
    from lenet_gui.network.model import LeNet5
    from lenet_gui.training.distortions import Distortion
    from lenet_gui.training.learning import (
        evaluate,
        ink_tensor,
        make_optimizer,
        seed_everything,
        train_epoch,
    )

    try:  # as the training command does, where the code has it
        from lenet_gui.training.freed_memory import keep_freed_memory
    except ImportError:
        kept = False
    else:
        kept = keep_freed_memory()
    torch.set_num_threads(threads)
    generator = seed_everything(1)
    images, labels = load_mnist(data, "train")
    test_images, test_labels = load_mnist(data, "test")
    ink = ink_tensor(images[:digits])
    targets = torch.from_numpy(labels[:digits]).long()
    model = LeNet5()
    steps = -(-len(targets) // batch_size)
    optimizer, scheduler = make_optimizer(model, 1, steps, 3e-3)
    wall, cpu = time.perf_counter(), time.process_time()
    before = resource.getrusage(resource.RUSAGE_SELF)
    loss, _ = train_epoch(
        model,
        ink,
        targets,
        optimizer,
        scheduler,
        generator,
        batch_size=batch_size,
        distortion=Distortion(),
    )
    pass_wall, pass_cpu = time.perf_counter() - wall, time.process_time() - cpu
    after = resource.getrusage(resource.RUSAGE_SELF)
    wall, cpu = time.perf_counter(), time.process_time()
    accuracy = evaluate(model, test_images, test_labels).accuracy
    return {
        "code": os.path.dirname(os.path.dirname(lenet_gui.training.__file__)),
        "digits": len(targets),
        "threads": torch.get_num_threads(),
        "batch_size": batch_size,
        "omp_wait_policy": os.environ.get("OMP_WAIT_POLICY", "(unset)"),
        "pass_wall_s": round(pass_wall, 3),
        "pass_cpu_s": round(pass_cpu, 3),
        "pass_system_s": round(after.ru_stime - before.ru_stime, 3),
        "pass_page_faults": after.ru_minflt - before.ru_minflt,
        "freed_memory_kept": kept,
        "ms_per_1000_digits": round(1000 * pass_wall / len(targets) * 1000, 1),
        "evaluate_wall_s": round(time.perf_counter() - wall, 3),
        "evaluate_cpu_s": round(time.process_time() - cpu, 3),
        "loss": round(loss, 6),
        "test_accuracy": accuracy,
        "weights_sha256": weights_sha256(model),
        "load_average": os.getloadavg()[0],
    }


def main(argv: list[str] | None = None) -> int:
    """Parse the options, measure, print (and write) the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=os.environ.get("LENET_MNIST"))
    parser.add_argument("--digits", type=int, default=20000)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--json", default=None, help="write the figures here")
    parser.add_argument(
        "--code",
        default=None,
        help="checkout whose lenet_gui to time (default: this one), e.g. a "
        "pristine copy of main to compare with",
    )
    args = parser.parse_args(argv)
    if args.code:
        sys.path.insert(0, os.path.abspath(args.code))
    if not args.data:
        print("error: pass --data DIR (MNIST) or set LENET_MNIST", file=sys.stderr)
        return 2
    figures = measure(args.data, args.digits, args.threads, args.batch_size)
    print(" ".join(f"{key}={value}" for key, value in figures.items()))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(figures, f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
