"""The distortions draw the same random numbers and give the same images, bit for bit.

The distortions are computed with fewer, larger operations than the plain
formulation (six random numbers a digit in one call, the affine matrices
stacked at once, the pixel centres made once, the thickness changed in
place). The plain formulation is kept here, as it was written first, and
both must give identical tensors and leave the generator in the same state,
so that training gives the same weights.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest
import torch
import torch.nn.functional as F

from lenet_gui.files.idx import load_mnist
from lenet_gui.training.distortions import Distortion
from lenet_gui.training.learning import ink_tensor

DATA = Path(__file__).parent / "data" / "mnist"


def _plain_affine(d: Distortion, n: int, size: int, g: torch.Generator):
    def uniform(limit: float) -> torch.Tensor:
        return (torch.rand(n, generator=g) * 2 - 1) * limit

    scale = 1 + uniform(d.scale)
    squeeze = 1 + uniform(d.squeeze)
    sx, sy = scale * squeeze, scale / squeeze
    angle = uniform(math.radians(d.rotate))
    cos, sin = torch.cos(angle), torch.sin(angle)
    shear = uniform(d.shear)
    forward = torch.zeros(n, 3, 3)
    forward[:, 0, 0] = sx * (cos + shear * sin)
    forward[:, 0, 1] = sx * (-sin + shear * cos)
    forward[:, 1, 0] = sy * sin
    forward[:, 1, 1] = sy * cos
    forward[:, 0, 2] = uniform(d.translate) * 2 / size
    forward[:, 1, 2] = uniform(d.translate) * 2 / size
    forward[:, 2, 2] = 1
    return torch.linalg.inv(forward)[:, :2, :]


def _plain_thickness(d: Distortion, ink: torch.Tensor, g: torch.Generator):
    choice = torch.rand(ink.shape[0], generator=g)
    p = d.thickness_probability
    thicker = choice < p
    thinner = (choice >= p) & (choice < 2 * p)
    out = ink.clone()
    if thicker.any():
        sub = ink[thicker]
        out[thicker] = (sub + F.max_pool2d(sub, 3, 1, 1)) / 2
    if thinner.any():
        sub = ink[thinner]
        sub = (sub - F.max_pool2d(-sub, 3, 1, 1)) / 2
        peak = sub.amax(dim=(1, 2, 3), keepdim=True).clamp_min(0.25)
        out[thinner] = (sub / peak).clamp(max=1) * ink[thinner].amax(
            dim=(1, 2, 3), keepdim=True
        )
    return out


def _plain(d: Distortion, ink: torch.Tensor, g: torch.Generator) -> torch.Tensor:
    n, _, height, width = ink.shape
    grid = F.affine_grid(_plain_affine(d, n, height, g), list(ink.shape), False)
    if d.elastic_alpha > 0:
        nodes = max(2, round(height / d.elastic_sigma))
        coarse = torch.rand(n, 2, nodes, nodes, generator=g) * 2 - 1
        field = F.interpolate(
            coarse, size=(height, width), mode="bicubic", align_corners=True
        )
        field = field * (d.elastic_alpha * 2 / height)
        grid = grid + field.permute(0, 2, 3, 1)
    out = F.grid_sample(ink, grid, align_corners=False)
    if d.thickness_probability > 0:
        out = _plain_thickness(d, out, g)
    return out


@pytest.fixture(scope="module")
def ink():
    images, _ = load_mnist(DATA, "test")
    return ink_tensor(images[:640])


@pytest.mark.parametrize(
    "distortion",
    [
        Distortion(),
        Distortion(elastic_alpha=0.0, thickness_probability=0.0),
        Distortion(thickness_probability=0.45, rotate=30.0, translate=3.0),
    ],
)
def test_the_distortions_are_the_plain_arithmetic(ink, distortion):
    for seed, n in enumerate((128, 128, 1, 7, 100, 128)):
        batch = ink[seed * 100 : seed * 100 + n]
        ours, plain = torch.Generator(), torch.Generator()
        ours.manual_seed(seed)
        plain.manual_seed(seed)
        before = batch.clone()
        got = distortion(batch, ours)
        assert torch.equal(got, _plain(distortion, batch, plain))
        assert torch.equal(batch, before)  # the digits themselves are untouched
        assert torch.equal(
            torch.rand(8, generator=ours), torch.rand(8, generator=plain)
        )


def test_some_digits_of_a_batch_are_thickened_and_some_thinned(ink):
    # The check above means something only if both changes happen.
    d = Distortion(thickness_probability=0.3)
    generator = torch.Generator().manual_seed(4)
    batch = ink[:128].clone()
    changed = batch.clone()
    d._change_thickness(changed, generator)
    more = (changed.sum((1, 2, 3)) > batch.sum((1, 2, 3)) + 1e-3).sum()
    less = (changed.sum((1, 2, 3)) < batch.sum((1, 2, 3)) - 1e-3).sum()
    assert more > 10 and less > 10
