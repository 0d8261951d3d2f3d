"""Images as the network reads them: ink levels, resampling, framing, photo cleaning.

numpy only; never Qt or torch. May import ``spec``.
"""
