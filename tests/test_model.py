"""LeNet-5's structure against the paper's layer table and Table I."""

import pytest
import torch

from lenet_gui.network.model import LeNet5, ScaledTanh
from lenet_gui.spec.lenet5 import C3_TABLE, LENET5

LAYER_NAMES = ("C1", "S2", "C3", "S4", "C5", "F6", "output")

# The seed's table, with its C1 typo corrected (28 x 28 x 156 = 122,304).
EXPECTED = {
    # name: (output shape, trainable parameters, connections)
    "C1": ((6, 28, 28), 156, 122_304),
    "S2": ((6, 14, 14), 12, 5_880),
    "C3": ((16, 10, 10), 1_516, 151_600),
    "S4": ((16, 5, 5), 32, 2_000),
    "C5": ((120,), 48_120, 48_120),
    "F6": ((84,), 10_164, 10_164),
    "output": ((10,), 850, 850),
}


@pytest.fixture
def model():
    torch.manual_seed(0)
    return LeNet5()


def test_summary_equals_the_seed_table(model):
    summary = {row.name: row for row in model.summary()}
    assert list(summary) == list(LAYER_NAMES)
    for name, (shape, params, connections) in EXPECTED.items():
        row = summary[name]
        assert row.output_shape == shape, name
        assert row.trainable_parameters == params, name
        assert row.connections == connections, name


def test_c1_to_f6_hold_the_papers_60000_parameters(model):
    rows = model.summary()
    assert sum(r.trainable_parameters for r in rows if r.name != "output") == 60_000


def test_summary_counts_follow_the_structure(model):
    """Counts come from the modules: the C3 count changes with its table."""
    sparse_total = sum(p.numel() for p in model.c3.parameters())
    assert sparse_total == 16 * 6 * 25 + 16  # a masked full kernel is stored...
    assert model.c3.trainable_parameters() == 1_516  # ...but only 1,516 count


def test_activation_shapes_for_a_batch(model):
    logits, acts = model.forward_with_activations(torch.zeros(3, 1, 32, 32))
    assert logits.shape == (3, 10)
    assert list(acts) == list(LAYER_NAMES)
    for name, (shape, _, _) in EXPECTED.items():
        assert tuple(acts[name].shape) == (3, *shape), name
    assert torch.equal(acts["output"], logits)
    assert torch.equal(model(torch.zeros(3, 1, 32, 32)), logits)


def test_squashing_is_the_papers_scaled_tanh():
    f = ScaledTanh(LENET5.amplitude, LENET5.slope)
    a = torch.tensor([-1.0, 0.0, 1.0, 100.0])
    out = f(a)
    assert torch.allclose(out[:3], torch.tensor([-1.0, 0.0, 1.0]), atol=1e-4)
    assert out[3] == pytest.approx(1.7159, abs=1e-4)


def test_hidden_activations_stay_in_the_squashing_range(model):
    _, acts = model.forward_with_activations(torch.randn(4, 1, 32, 32) * 5)
    for name in ("C1", "S2", "C3", "S4", "C5", "F6"):
        assert acts[name].abs().max() <= 1.7159 + 1e-5, name


def test_c3_reads_only_the_maps_of_table_one(model):
    mask = model.c3.mask[:, :, 0, 0]
    for out_map, in_maps in enumerate(C3_TABLE):
        assert set(torch.nonzero(mask[out_map]).flatten().tolist()) == set(in_maps)
    # Six read 3 maps, nine read 4, one reads all six.
    assert sorted(len(t) for t in C3_TABLE) == [3] * 6 + [4] * 9 + [6]


def test_c3_output_ignores_unconnected_s2_maps(model):
    """Changing S2 map 5 must not change C3 map 0, which reads maps 0-2."""
    x = torch.randn(1, 6, 14, 14)
    y = x.clone()
    y[:, 5] += 3.0
    assert torch.equal(model.c3(x)[:, 0], model.c3(y)[:, 0])
    assert not torch.equal(model.c3(x)[:, 3], model.c3(y)[:, 3])


def test_c3_mask_holds_after_optimiser_steps(model):
    absent = model.c3.mask.expand_as(model.c3.weight) == 0
    assert (model.c3.weight[absent] == 0).all()
    optimizer = torch.optim.Adam(model.parameters(), lr=0.05)
    for _ in range(5):
        x = torch.randn(16, 1, 32, 32)
        loss = torch.nn.functional.cross_entropy(model(x), torch.randint(0, 10, (16,)))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    assert (model.c3.weight[absent] == 0).all()
    assert (model.c3.weight[~absent] != 0).all()


def test_initialisation_is_uniform_within_2_4_over_fan_in(model):
    assert model.c1.weight.abs().max() <= 2.4 / 25
    assert model.c5.weight.abs().max() <= 2.4 / 400
    assert model.f6.weight.abs().max() <= 2.4 / 120
    assert model.output.weight.abs().max() <= 2.4 / 84
    for out_map, in_maps in enumerate(C3_TABLE):
        assert model.c3.weight[out_map].abs().max() <= 2.4 / (25 * len(in_maps))


def test_the_spec_gives_every_layers_shape_and_the_model_follows_it(model):
    assert LENET5.names == LAYER_NAMES
    _, acts = model.forward_with_activations(torch.zeros(1, 1, 32, 32))
    for layer in LENET5.layers:
        assert tuple(acts[layer.name].shape[1:]) == layer.shape, layer.name
        assert model.layer(layer.name) is getattr(model, layer.name.lower())
    assert [layer.name for layer in LENET5.feature_layers] == ["C1", "S2", "C3", "S4"]


def test_state_dict_keys_are_the_papers_layer_names(model):
    layers = {key.split(".")[0] for key in model.state_dict()}
    assert layers == {"c1", "s2", "c3", "s4", "c5", "f6", "output"}
