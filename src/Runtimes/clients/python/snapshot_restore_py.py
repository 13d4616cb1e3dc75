"""SnapStart runtime hooks, importable as AWS's snapshot_restore_py (https://pypi.org/project/snapshot-restore-py/).

Code written for Lambda registers hooks with the decorators or the functions below; the runtime client runs the
before-snapshot hooks in reverse order of registration once Init is done, and the after-restore hooks in order of
registration in each environment restored from the snapshot.
"""

_before_snapshot = []
_after_restore = []


def register_before_snapshot(func, *args, **kwargs):
    """Registers func(*args, **kwargs) to run before the snapshot is taken; returns func, so it serves as a decorator."""
    _before_snapshot.append((func, args, kwargs))
    return func


def register_after_restore(func, *args, **kwargs):
    """Registers func(*args, **kwargs) to run in each environment restored from the snapshot; returns func."""
    _after_restore.append((func, args, kwargs))
    return func


def get_before_snapshot():
    """The before-snapshot hooks in registration order, as (func, args, kwargs)."""
    return list(_before_snapshot)


def get_after_restore():
    """The after-restore hooks in registration order, as (func, args, kwargs)."""
    return list(_after_restore)
