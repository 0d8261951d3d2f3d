"""Redraw training digits as a screen pen would: even strokes of one width.

MNIST digits were written with real pens on paper: strokes swell and thin
with pressure. A digit drawn in the app has strokes of exactly one width,
anti-aliased. To train on both, a digit is thinned to its skeleton (Zhang
and Suen's thinning, batched in torch) and redrawn along it with a round pen,
as the canvas would draw it.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor

__all__ = ["draw_with_pen", "skeletonize"]


def skeletonize(ink: Tensor, threshold: float = 0.5) -> Tensor:
    """Thin (N, 1, H, W) ink images to one-pixel-wide skeletons (Zhang-Suen).

    Returns a bool tensor of the same shape.
    """
    x = (ink > threshold).to(torch.uint8)
    height, width = x.shape[-2:]
    while True:
        changed = False
        for deletable in _DELETABLE:
            padded = F.pad(x, (1, 1, 1, 1))
            code = torch.zeros_like(x)
            for bit, (dy, dx) in enumerate(_NEIGHBOURS):
                shifted = padded[..., 1 + dy : 1 + dy + height, 1 + dx : 1 + dx + width]
                code |= shifted << bit
            delete = (x == 1) & deletable[code.long()]
            if delete.any():
                x = x.masked_fill(delete, 0)
                changed = True
        if not changed:
            return x.bool()


def _zhang_suen_tables() -> tuple[Tensor, Tensor]:
    """Return, for each of the 256 neighbourhoods, may the centre go in steps 1, 2.

    Neighbour ``i`` (P2 ... P9, clockwise from north) is bit ``i`` of the code.
    """
    tables = torch.zeros(2, 256, dtype=torch.bool)
    for code in range(256):
        p = [(code >> i) & 1 for i in range(8)]
        count = sum(p)
        transitions = sum(p[i] == 0 and p[(i + 1) % 8] == 1 for i in range(8))
        if not (2 <= count <= 6 and transitions == 1):
            continue
        p2, p4, p6, p8 = p[0], p[2], p[4], p[6]
        tables[0, code] = p2 * p4 * p6 == 0 and p4 * p6 * p8 == 0
        tables[1, code] = p2 * p4 * p8 == 0 and p2 * p6 * p8 == 0
    return tables[0], tables[1]


_DELETABLE = _zhang_suen_tables()
# (row, column) offsets of P2 ... P9, clockwise from north; P2 is bit 0.
_NEIGHBOURS = ((-1, 0), (-1, 1), (0, 1), (1, 1), (1, 0), (1, -1), (0, -1), (-1, -1))


def draw_with_pen(skeletons: Tensor, width: Tensor) -> Tensor:
    """Stroke (N, 1, H, W) skeletons with round pens of per-digit ``width``.

    Drawn at twice the resolution and averaged down, so edges are anti-aliased
    as on the canvas. Returns ink in [0, 1], the shape of ``skeletons``.
    """
    fine = F.interpolate(skeletons.float(), scale_factor=2, mode="nearest")
    radius = width  # at twice the resolution, radius in fine pixels = width
    reach = int(torch.ceil(radius.max()).item()) + 1
    grid = torch.arange(-reach, reach + 1, dtype=torch.float32)
    distance = torch.sqrt(grid[:, None] ** 2 + grid[None, :] ** 2)  # (K, K)
    # Each digit's pen as a soft-edged disc, applied as a grouped convolution
    # so every digit gets its own width in one call.
    discs = (radius[:, None, None] + 0.5 - distance).clamp(0, 1)  # (N, K, K)
    n, _, h, w = fine.shape
    stroked = F.conv2d(
        fine.reshape(1, n, h, w), discs[:, None], padding=reach, groups=n
    ).reshape(n, 1, h, w)
    return F.avg_pool2d(stroked.clamp(0, 1), 2)
