"""Random distortions of training digits, as the paper used for its best result.

The paper (section III-C) trained on digits randomly translated, scaled,
squeezed (one axis compressed, the other stretched) and sheared
horizontally. Two more, milder ones help with digits people draw on a
screen: small rotations, smooth elastic warps (Simard et al., 2003) and
stroke-thickness changes.

Everything works on whole batches of (N, 1, 32, 32) ink images (0 background,
1 ink) with one ``grid_sample`` call, so a pass over 60,000 digits costs
about as much as the network's own forward pass.
"""

from __future__ import annotations

import functools
import math
from dataclasses import asdict, dataclass

import torch
import torch.nn.functional as F
from torch import Tensor

__all__ = ["Distortion"]


@dataclass(frozen=True)
class Distortion:
    """Ranges of the random distortions; each sample draws its own values.

    Attributes
    ----------
    translate : float
        Largest shift in pixels along each axis.
    scale : float
        Largest relative change of size (0.15: from 0.85 to 1.15 times).
    squeeze : float
        Largest relative compression of one axis with stretch of the other.
    shear : float
        Largest horizontal shear (x moves by ``shear * y``).
    rotate : float
        Largest rotation in degrees.
    elastic_alpha : float
        Strength of the elastic warp in pixels (0 turns it off).
    elastic_sigma : float
        Smoothness of the elastic warp in pixels.
    thickness_probability : float
        Chance that a digit's strokes are made thicker, and, separately,
        chance that they are made thinner, by about one pixel.
    """

    translate: float = 2.0
    scale: float = 0.15
    squeeze: float = 0.15
    shear: float = 0.3
    rotate: float = 10.0
    elastic_alpha: float = 1.5
    elastic_sigma: float = 6.0
    thickness_probability: float = 0.15

    def describe(self) -> dict[str, float]:
        """Return the ranges as a plain dict, for the weights' metadata."""
        return asdict(self)

    def __call__(self, ink: Tensor, generator: torch.Generator) -> Tensor:
        """Return a randomly distorted copy of a batch of ink images.

        Parameters
        ----------
        ink : Tensor
            (N, 1, H, W) images, background 0 and ink 1.
        generator : torch.Generator
            Source of randomness, so that training is repeatable.
        """
        n, _, height, width = ink.shape
        grid = _affine_grid(self._random_affine(n, height, generator), height, width)
        if self.elastic_alpha > 0:
            grid = grid + self._elastic_field(n, height, width, generator)
        out = F.grid_sample(ink, grid, align_corners=False)
        if self.thickness_probability > 0:
            self._change_thickness(out, generator)
        return out

    def _random_affine(self, n: int, size: int, generator: torch.Generator) -> Tensor:
        """Return (N, 2, 3) matrices mapping output to input coordinates.

        The six random numbers of each digit (scale, squeeze, angle, shear,
        shift across, shift down) are drawn in one call, in the order six
        calls would draw them, and scaled to their ranges together.
        """
        limits = torch.tensor(
            [
                self.scale,
                self.squeeze,
                math.radians(self.rotate),
                self.shear,
                self.translate,
                self.translate,
            ]
        )
        uniform = (torch.rand(6, n, generator=generator) * 2 - 1) * limits[:, None]
        scale = 1 + uniform[0]
        squeeze = 1 + uniform[1]
        sx, sy = scale * squeeze, scale / squeeze
        cos, sin = torch.cos(uniform[2]), torch.sin(uniform[2])
        shear = uniform[3]
        shift = uniform[4:] * 2 / size
        zero, one = torch.zeros(n), torch.ones(n)
        # Forward map: rotate, shear, scale. affine_grid wants its inverse,
        # in coordinates where the image spans [-1, 1].
        forward = torch.stack(
            [
                sx * (cos + shear * sin),
                sx * (-sin + shear * cos),
                shift[0],
                sy * sin,
                sy * cos,
                shift[1],
                zero,
                zero,
                one,
            ],
            dim=1,
        ).view(n, 3, 3)
        return torch.linalg.inv(forward)[:, :2, :]

    def _elastic_field(
        self, n: int, height: int, width: int, generator: torch.Generator
    ) -> Tensor:
        """Return a smooth random displacement field, (N, H, W, 2).

        Random displacements on a coarse grid, one node every
        ``elastic_sigma`` pixels, interpolated smoothly to every pixel: the
        same kind of warp as blurring per-pixel noise, at a fraction of the cost.
        """
        nodes = max(2, round(height / self.elastic_sigma))
        coarse = torch.rand(n, 2, nodes, nodes, generator=generator).mul_(2).sub_(1)
        field = F.interpolate(
            coarse, size=(height, width), mode="bicubic", align_corners=True
        )
        field = field.mul_(self.elastic_alpha * 2 / height)  # pixels -> [-1, 1]
        return field.permute(0, 2, 3, 1)

    def _change_thickness(self, ink: Tensor, generator: torch.Generator) -> None:
        """Thicken or thin the strokes of a random subset by about one pixel.

        In place. Half way between the image and its 3x3 grey dilation (or
        erosion) moves each edge by about half a pixel on either side.
        """
        choice = torch.rand(ink.shape[0], generator=generator)
        thicker = choice < self.thickness_probability
        thinner = (choice >= self.thickness_probability) & (
            choice < 2 * self.thickness_probability
        )
        # The two sets are apart: writing one leaves the other as it was.
        rows = thicker.nonzero().squeeze(1)
        if len(rows):
            sub = ink.index_select(0, rows)
            ink.index_copy_(0, rows, (sub + F.max_pool2d(sub, 3, 1, 1)) / 2)
        rows = thinner.nonzero().squeeze(1)
        if len(rows):
            sub = ink.index_select(0, rows)
            thin = (sub - F.max_pool2d(-sub, 3, 1, 1)) / 2
            # Thinning also dims the strokes; bring the darkest ink back to
            # where it was, as a thin pen would still draw full ink.
            peak = thin.amax(dim=(1, 2, 3), keepdim=True).clamp_min(0.25)
            darkest = sub.amax(dim=(1, 2, 3), keepdim=True)
            ink.index_copy_(0, rows, (thin / peak).clamp(max=1) * darkest)


@functools.lru_cache(maxsize=4)
def _base_grid(n: int, height: int, width: int) -> Tensor:
    """Return the (N, H * W, 3) pixel centres that ``affine_grid`` transforms.

    As ``torch.nn.functional.affine_grid`` (``align_corners=False``) makes
    them on every call: x and y across [-1, 1], then a column of ones. Made
    once for a batch size; never written to.
    """

    def centres(count: int) -> Tensor:
        step = torch.linspace(-1, 1, count)
        return step * (count - 1) / count

    grid = torch.empty(n, height, width, 3)
    grid.select(-1, 0).copy_(centres(width))
    grid.select(-1, 1).copy_(centres(height).unsqueeze(-1))
    grid.select(-1, 2).fill_(1)
    return grid.view(n, height * width, 3)


def _affine_grid(theta: Tensor, height: int, width: int) -> Tensor:
    """Return ``F.affine_grid(theta, (N, 1, H, W), align_corners=False)``.

    The same product of the pixel centres and the matrices, without making
    the centres again for every batch.
    """
    n = theta.shape[0]
    return torch.bmm(_base_grid(n, height, width), theta.transpose(1, 2)).view(
        n, height, width, 2
    )
