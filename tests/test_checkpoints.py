"""Checkpoints of a training run: the schedule, the folder, its index, loading."""

import json

import pytest
import torch

from lenet_gui.network.checkpoints import (
    INDEX,
    CheckpointPlan,
    checkpoint_folder,
    checkpoint_schedule,
    list_checkpoints,
    save_checkpoint,
    start_checkpoint_folder,
    write_index,
)
from lenet_gui.network.classifier import Classifier
from lenet_gui.network.model import LeNet5
from lenet_gui.network.weights import WeightsError, save_weights


def test_the_schedule_of_a_twenty_pass_run():
    plans = checkpoint_schedule(20, 938)
    assert [plan.label for plan in plans] == [
        "start",
        "after 35 batches",
        "after 104 batches",
        "after 313 batches",
        *(f"pass {n}" for n in (1, 2, 3, 5, 8, 12, 16, 20)),
    ]
    assert [plan.batches for plan in plans[:4]] == [0, 35, 104, 313]
    assert plans[-1].batches == 20 * 938 and plans[-1].passes == 20.0
    assert plans[4].passes == 1.0
    assert plans[1].passes == pytest.approx(35 / 938)


@pytest.mark.parametrize(
    ("epochs", "batches"), [(1, 10), (1, 1), (3, 469), (10, 100), (50, 938)]
)
def test_shorter_and_longer_runs_get_a_sensible_schedule(epochs, batches):
    plans = checkpoint_schedule(epochs, batches)
    done = [plan.batches for plan in plans]
    assert done == sorted(set(done))
    assert done[0] == 0 and done[-1] == epochs * batches
    assert 2 <= len(plans) <= 12
    assert len({plan.label for plan in plans}) == len(plans)


def test_bad_schedules_are_refused():
    with pytest.raises(ValueError, match="epochs must be a positive integer"):
        checkpoint_schedule(0, 100)
    with pytest.raises(ValueError, match="batches_per_pass must be a positive"):
        checkpoint_schedule(20, 12.5)


def _train_a_little(model):
    """Move every weight a little, as a training step would (but cheaply)."""
    with torch.no_grad():
        for parameter in model.parameters():
            parameter.add_(torch.randn_like(parameter), alpha=0.01)


@pytest.fixture
def run(tmp_path):
    """A tiny "training run" that saved six checkpoints beside its weights."""
    weights = tmp_path / "lenet5.pt"
    folder = start_checkpoint_folder(weights)
    torch.manual_seed(0)
    model = LeNet5()
    plans = checkpoint_schedule(2, 27)
    saved, states = [], []
    for number, plan in enumerate(plans):
        if number:
            _train_a_little(model)
        accuracy = None if number == 0 else 0.5 + number / 10
        saved.append(save_checkpoint(model, folder, number, plan, accuracy))
        write_index(folder, saved)
        states.append({k: v.clone() for k, v in model.state_dict().items()})
    save_weights(model, weights, {"test_accuracy": 0.9})
    return weights, folder, saved, states


def test_a_run_lists_and_loads_each_checkpoint(run):
    weights, folder, saved, states = run
    assert folder == checkpoint_folder(weights) == weights.parent / "lenet5.checkpoints"
    listed = list_checkpoints(weights)
    assert listed == saved
    assert [info.label for info in listed] == [
        "start",
        "after 1 batch",
        "after 3 batches",
        "after 9 batches",
        "pass 1",
        "pass 2",
    ]
    assert [info.path.name for info in listed] == [f"0{n}.pt" for n in range(6)]
    assert listed[0].test_accuracy is None and listed[1].test_accuracy == 0.6
    for info, state in zip(listed, states, strict=True):
        classifier = Classifier.load(info.path)
        for name, tensor in classifier.model.state_dict().items():
            assert torch.equal(tensor, state[name]), (info.label, name)
    # The checkpoints differ: training moved the weights.
    assert not torch.equal(states[0]["c1.weight"], states[-1]["c1.weight"])


def test_the_index_is_plain_json(run):
    _, folder, _, _ = run
    document = json.loads((folder / INDEX).read_text())
    assert document["format"] == "lenet5-checkpoints" and document["version"] == 1
    first = document["checkpoints"][1]
    assert set(first) == {"file", "label", "pass", "batches", "test_accuracy"}
    assert first["file"] == "01.pt" and first["batches"] == 1
    assert not list(folder.glob(".index-*"))  # no temporary file left


def test_no_folder_means_no_checkpoints(tmp_path):
    assert list_checkpoints(tmp_path / "lenet5.pt") == []


def test_starting_again_clears_only_the_earlier_run(run):
    weights, folder, _, _ = run
    (folder / "notes.txt").write_text("mine")
    assert start_checkpoint_folder(weights) == folder
    assert sorted(path.name for path in folder.iterdir()) == ["notes.txt"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", r"not valid JSON \(line 1"),
        ("[]", "not an index of LeNet-5 checkpoints"),
        ('{"format": "lenet5-checkpoints", "version": 9}', "version 9"),
        ('{"format": "lenet5-checkpoints", "version": 1}', "no list of checkpoints"),
    ],
)
def test_a_damaged_index_is_named(run, text, message):
    weights, folder, _, _ = run
    (folder / INDEX).write_text(text)
    with pytest.raises(WeightsError, match=f"lenet5.checkpoints/index.json: {message}"):
        list_checkpoints(weights)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("file", "../lenet5.pt", "has file '../lenet5.pt'"),
        ("file", 3, "has file 3"),
        ("label", "", "has no label"),
        ("pass", -1, "has pass -1"),
        ("pass", "one", "has pass 'one'"),
        ("batches", 1.5, "has batches 1.5"),
        ("batches", True, "has batches True"),
        ("test_accuracy", 99.1, "has test_accuracy 99.1"),
    ],
)
def test_a_damaged_entry_is_named(run, field, value, message):
    weights, folder, _, _ = run
    document = json.loads((folder / INDEX).read_text())
    document["checkpoints"][2][field] = value
    (folder / INDEX).write_text(json.dumps(document))
    with pytest.raises(WeightsError, match=f"index.json: checkpoint 2 {message}"):
        list_checkpoints(weights)


def test_a_missing_index_or_checkpoint_is_named(run):
    weights, folder, _, _ = run
    (folder / "02.pt").unlink()
    with pytest.raises(WeightsError, match="lenet5.checkpoints/02.pt: no such file"):
        list_checkpoints(weights)
    (folder / INDEX).unlink()
    with pytest.raises(WeightsError, match="lenet5.checkpoints/index.json: no such"):
        list_checkpoints(weights)


def test_a_damaged_checkpoint_fails_to_load_by_name(run):
    weights, folder, _, _ = run
    data = (folder / "01.pt").read_bytes()
    (folder / "01.pt").write_bytes(data[: len(data) // 2])
    info = list_checkpoints(weights)[1]
    with pytest.raises(WeightsError, match="01.pt: not a readable PyTorch weights"):
        Classifier.load(info.path)
    # The others still load.
    Classifier.load(list_checkpoints(weights)[2].path)


def test_a_checkpoint_that_would_run_code_is_refused(run):
    weights, folder, _, _ = run
    torch.save({"evil": CheckpointPlan(0, 0.0, "x")}, folder / "03.pt")
    with pytest.raises(WeightsError, match="03.pt: refused"):
        Classifier.load(list_checkpoints(weights)[3].path)
