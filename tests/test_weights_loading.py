"""Weights loaded for the window: torch imported without cycle collections."""

from __future__ import annotations

import gc
import json

from lenet_gui.gui.state.weights_loading import load_classifier
from tests.child_python import run_python


def test_torch_is_imported_with_the_collector_paused_then_running_again():
    code = """
        import gc, json, sys
        from lenet_gui.gui.state.weights_loading import load_classifier

        started = []
        gc.callbacks.append(lambda phase, _: phase == "start" and started.append(1))
        classifier, error = load_classifier(None)
        print(json.dumps({
            "torch": "torch" in sys.modules, "loaded": classifier is not None,
            "error": error, "collections": len(started), "enabled": gc.isenabled(),
        }))
    """
    done = run_python(code, hung="loading the bundled weights hung")
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout.splitlines()[-1])
    # Imported with the collector running, torch starts over 300 collections;
    # checking the weights, once the import is done, may start one or two.
    assert found.pop("collections") < 5
    assert found == {"torch": True, "loaded": True, "error": "", "enabled": True}


def test_a_paused_collector_stays_paused(tmp_path):
    broken = tmp_path / "broken.pt"
    broken.write_bytes(b"not weights")
    gc.disable()
    try:
        classifier, error = load_classifier(broken)
        assert not gc.isenabled()
    finally:
        gc.enable()
    assert classifier is None and error.startswith("broken.pt")
