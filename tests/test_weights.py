"""Weights files: the bundled ones, and every way a file can be wrong."""

import json
import pickle
import shutil

import numpy as np
import pytest
import torch

from lenet_gui.network.model import LeNet5
from lenet_gui.network.weights import (
    BUNDLED_WEIGHTS,
    WeightsError,
    load_model,
    metadata_path,
    save_weights,
)


def test_bundled_weights_load_with_weights_only():
    state = torch.load(BUNDLED_WEIGHTS, map_location="cpu", weights_only=True)
    assert set(state) == set(LeNet5().state_dict())


def test_bundled_weights_carry_their_metadata():
    metadata = json.loads(metadata_path(BUNDLED_WEIGHTS).read_text())
    assert metadata["test_accuracy"] >= 0.992
    assert metadata["test_images"] == 10_000
    assert metadata["training_images"] == 60_000
    for key in (
        "epochs",
        "seed",
        "augmentation",
        "training_seconds",
        "torch_version",
        "data_sha256",
        "command",
    ):
        assert key in metadata, key


def test_round_trip(tmp_path):
    model = LeNet5()
    save_weights(model, tmp_path / "w.pt", {"test_accuracy": 0.5})
    loaded, metadata = load_model(tmp_path / "w.pt")
    assert metadata == {"test_accuracy": 0.5}
    for name, tensor in model.state_dict().items():
        assert torch.equal(loaded.state_dict()[name], tensor)
    assert not loaded.training


def test_missing_file(tmp_path):
    with pytest.raises(WeightsError, match="no such file"):
        load_model(tmp_path / "absent.pt")


def test_truncated_file(tmp_path):
    save_weights(LeNet5(), tmp_path / "w.pt", {})
    data = (tmp_path / "w.pt").read_bytes()
    (tmp_path / "w.pt").write_bytes(data[: len(data) // 2])
    with pytest.raises(WeightsError, match="w.pt"):
        load_model(tmp_path / "w.pt")


def test_not_a_torch_file(tmp_path):
    (tmp_path / "w.pt").write_text("these are not weights\n")
    with pytest.raises(WeightsError, match="not a readable PyTorch weights file"):
        load_model(tmp_path / "w.pt")


def test_wrong_shapes(tmp_path):
    state = LeNet5().state_dict()
    state["f6.weight"] = torch.zeros(80, 120)
    torch.save(state, tmp_path / "w.pt")
    with pytest.raises(WeightsError, match=r"f6.weight has shape \(80, 120\)"):
        load_model(tmp_path / "w.pt")


def test_another_networks_state_dict(tmp_path):
    torch.save(torch.nn.Linear(3, 2).state_dict(), tmp_path / "w.pt")
    with pytest.raises(WeightsError, match="not LeNet-5 weights"):
        load_model(tmp_path / "w.pt")


def test_non_finite_values(tmp_path):
    state = LeNet5().state_dict()
    state["c1.bias"][0] = float("nan")
    torch.save(state, tmp_path / "w.pt")
    with pytest.raises(WeightsError, match="non-finite"):
        load_model(tmp_path / "w.pt")


def test_a_plain_tensor_is_not_a_state_dict(tmp_path):
    torch.save(torch.zeros(3), tmp_path / "w.pt")
    with pytest.raises(WeightsError, match="not a state_dict"):
        load_model(tmp_path / "w.pt")


class _RunsCode:
    """Unpickling this calls ``open(marker, "w")``: a stand-in for malware."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (open, (str(self.marker), "w"))


def test_a_malicious_pickle_never_runs(tmp_path):
    marker = tmp_path / "code-ran"
    state = dict(LeNet5().state_dict())
    state["payload"] = _RunsCode(marker)
    torch.save(state, tmp_path / "evil.pt")
    # Prove the file really runs code when loaded without protection...
    assert not marker.exists()
    torch.load(tmp_path / "evil.pt", weights_only=False)["payload"].close()
    assert marker.exists()
    marker.unlink()
    # ...and that loading it as weights refuses it without running anything.
    with pytest.raises(WeightsError, match="refused"):
        load_model(tmp_path / "evil.pt")
    assert not marker.exists()


def test_a_raw_pickle_that_runs_code(tmp_path):
    marker = tmp_path / "code-ran"
    (tmp_path / "evil.pt").write_bytes(pickle.dumps(_RunsCode(marker)))
    with pytest.raises(WeightsError):
        load_model(tmp_path / "evil.pt")
    assert not marker.exists()


def test_unreadable_metadata_still_loads(tmp_path):
    save_weights(LeNet5(), tmp_path / "w.pt", {})
    (tmp_path / "w.json").write_text("{not json")
    _, metadata = load_model(tmp_path / "w.pt")
    assert metadata == {}


@pytest.mark.parametrize(
    ("recorded", "used"),
    [
        (1.6, 1.6),
        (0.5, 0.5),
        ("2", 1.0),
        (float("nan"), 1.0),
        (0.0, 1.0),
        (-1, 1.0),
        (1e9, 1.0),
        (True, 1.0),
        (None, 1.0),
    ],
)
def test_a_recorded_temperature_is_used_only_when_sensible(tmp_path, recorded, used):

    from lenet_gui.network.classifier import Classifier
    from lenet_gui.network.weights import BUNDLED_WEIGHTS, metadata_path

    path = tmp_path / "w.pt"
    shutil.copy(BUNDLED_WEIGHTS, path)
    metadata = {} if recorded is None else {"temperature": recorded}
    metadata_path(path).write_text(json.dumps(metadata))
    classifier = Classifier.load(path)
    assert classifier.temperature == used
    image = np.zeros((28, 28))
    image[4:24, 12:16] = 1.0
    result = classifier.predict(image)
    logits = result.activations["output"].astype(np.float64) / used
    expected = np.exp(logits - logits.max())
    np.testing.assert_allclose(result.probabilities, expected / expected.sum())
