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
