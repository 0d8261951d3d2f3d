"""Memory a training step frees is kept for the next step, not handed back.

A step of training allocates and frees the same few dozen buffers every
time, many of them megabytes (a batch's C1 maps are 2.4 MB). The C library's
allocator gives blocks that large their own pages from the system and
returns them when freed, so the next step asks for them again, and every
page's first touch is a page fault: 20,000 to 150,000 faults each 100 steps
of 128 digits, as measured, up to a tenth of their processor time spent in
the kernel. Raising the size above which a block gets its own pages, and the
free memory kept before any is returned, lets those buffers be reused
instead: the same arithmetic on the same numbers (torch aligns every buffer
the same way wherever it lies), so the same weights.

Only for the process that trains (the training command, the benchmarks):
the app keeps the allocator's defaults.
"""

from __future__ import annotations

import ctypes
import sys

__all__ = ["KEPT_BLOCK_BYTES", "KEPT_FREE_BYTES", "keep_freed_memory"]

#: Blocks up to this size come from the heap, so a freed one is reused: the
#: largest the C library allows (32 MiB on 64-bit machines), above every
#: buffer of a step (a batch of 128 digits).
KEPT_BLOCK_BYTES = 32 << 20
#: Free memory at the heap's top kept for the next step before any is given
#: back to the system.
KEPT_FREE_BYTES = 256 << 20

# mallopt's parameter numbers (malloc.h).
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3


def keep_freed_memory() -> bool:
    """Ask the C library's allocator to keep and reuse a step's buffers.

    Returns
    -------
    bool
        Whether the allocator took the settings: False on a system without
        the GNU C library's ``mallopt`` (training is then as before, only
        slower).
    """
    if not sys.platform.startswith("linux"):
        return False
    try:
        # The symbols the process already has, the C library's among them.
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):  # a C library without mallopt (musl)
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    # mallopt returns 1 on success, 0 on error.
    blocks = mallopt(_M_MMAP_THRESHOLD, KEPT_BLOCK_BYTES) == 1
    free = mallopt(_M_TRIM_THRESHOLD, KEPT_FREE_BYTES) == 1
    return blocks and free
