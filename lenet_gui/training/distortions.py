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
        grid = F.affine_grid(
            self._random_affine(n, height, generator), list(ink.shape), False
        )
        if self.elastic_alpha > 0:
            grid = grid + self._elastic_field(n, height, width, generator)
        out = F.grid_sample(ink, grid, align_corners=False)
        if self.thickness_probability > 0:
            out = self._change_thickness(out, generator)
        return out

    def _random_affine(self, n: int, size: int, generator: torch.Generator) -> Tensor:
        """Return (N, 2, 3) matrices mapping output to input coordinates."""

        def uniform(limit: float) -> Tensor:
            return (torch.rand(n, generator=generator) * 2 - 1) * limit

        scale = 1 + uniform(self.scale)
        squeeze = 1 + uniform(self.squeeze)
        sx, sy = scale * squeeze, scale / squeeze
        angle = uniform(math.radians(self.rotate))
        cos, sin = torch.cos(angle), torch.sin(angle)
        shear = uniform(self.shear)
        # Forward map: rotate, shear, scale. affine_grid wants its inverse,
        # in coordinates where the image spans [-1, 1].
        forward = torch.zeros(n, 3, 3)
        forward[:, 0, 0] = sx * (cos + shear * sin)
        forward[:, 0, 1] = sx * (-sin + shear * cos)
        forward[:, 1, 0] = sy * sin
        forward[:, 1, 1] = sy * cos
        forward[:, 0, 2] = uniform(self.translate) * 2 / size
        forward[:, 1, 2] = uniform(self.translate) * 2 / size
        forward[:, 2, 2] = 1
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
        coarse = torch.rand(n, 2, nodes, nodes, generator=generator) * 2 - 1
        field = F.interpolate(
            coarse, size=(height, width), mode="bicubic", align_corners=True
        )
        field = field * (self.elastic_alpha * 2 / height)  # pixels -> [-1, 1] units
        return field.permute(0, 2, 3, 1)

    def _change_thickness(self, ink: Tensor, generator: torch.Generator) -> Tensor:
        """Thicken or thin the strokes of a random subset by about one pixel.

        Half way between the image and its 3x3 grey dilation (or erosion)
        moves each edge by about half a pixel on either side.
        """
        choice = torch.rand(ink.shape[0], generator=generator)
        thicker = choice < self.thickness_probability
        thinner = (choice >= self.thickness_probability) & (
            choice < 2 * self.thickness_probability
        )
        out = ink.clone()
        if thicker.any():
            sub = ink[thicker]
            out[thicker] = (sub + F.max_pool2d(sub, 3, 1, 1)) / 2
        if thinner.any():
            sub = ink[thinner]
            sub = (sub - F.max_pool2d(-sub, 3, 1, 1)) / 2
            # Thinning also dims the strokes; bring the darkest ink back to
            # where it was, as a thin pen would still draw full ink.
            peak = sub.amax(dim=(1, 2, 3), keepdim=True).clamp_min(0.25)
            out[thinner] = (sub / peak).clamp(max=1) * ink[thinner].amax(
                dim=(1, 2, 3), keepdim=True
            )
        return out
