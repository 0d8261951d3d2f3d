"""Imports after PySide6 at their own cost: without its per-module source check.

Importing ``PySide6.QtCore`` puts a hook in front of Python's ``__import__``
for PySide's opt-in ``from __feature__ import snake_case, true_property``.
After every later import, that hook reads the new module's whole source
file (``inspect.getsource``) to see whether it names PySide6, and keeps the
lines in :mod:`linecache` for the rest of the run. Started as a window, the
app imports pyqtgraph and torch after Qt, about 1,100 modules: the check
costs about 0.2 s of CPU on the way to a loaded model and about 45 MB of
memory for as long as the app runs.

The app uses no ``__feature__`` switch, so it gives Python's import back
the hook PySide6 wrapped (``__orig_import__``, which still loads PySide6's
classes lazily) and skips the check. Only the feature hook is removed, and
only when it is the one in place.
"""

from __future__ import annotations

import builtins

__all__ = ["skip_feature_check"]


def skip_feature_check() -> bool:
    """Let later imports skip PySide6's ``__feature__`` source check.

    Imports ``PySide6.QtCore`` first (which installs the hook), so the
    check is gone whatever is imported next. Without ``from __feature__``
    in the app, nothing else changes: PySide6's classes, signals and lazy
    loading behave as before.

    Returns
    -------
    bool
        Whether the hook was in place and is now gone (False when another
        PySide6 version or another import hook is in front).
    """
    import PySide6.QtCore  # noqa: F401  (installs the hook this removes)

    hook = getattr(builtins, "__feature_import__", None)
    wrapped = getattr(builtins, "__orig_import__", None)
    if hook is None or wrapped is None or builtins.__import__ is not hook:
        return False
    builtins.__import__ = wrapped
    return True
