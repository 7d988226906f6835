"""Give freed memory back to the operating system between the steps of a run.

CPython and glibc keep freed heap memory for reuse, so a process's resident memory stays at
its highest point even after the objects of a finished stage are gone, and the next stage's
peak stacks on top. ``release_memory()`` collects garbage, asks glibc to return free heap pages
(``malloc_trim``; Linux) and pyarrow's allocator to release unused memory. It changes no
result; it is called after each stage and after each analysis batch (docs/scale.md).
"""

from __future__ import annotations

import ctypes
import gc
import sys

_LIBC: list = []


def release_memory(collect: bool = True) -> None:
    """Free what can be freed now (no-op where the allocator offers no trim); ``collect``
    runs the cycle collector first (skip it in tight loops: reference counting has already
    freed what was deleted)."""
    if collect:
        gc.collect()
    if sys.platform.startswith("linux"):
        if not _LIBC:
            try:
                _LIBC.append(ctypes.CDLL("libc.so.6"))
            except OSError:
                _LIBC.append(None)
        libc = _LIBC[0]
        if libc is not None and hasattr(libc, "malloc_trim"):
            libc.malloc_trim(0)
    try:
        import pyarrow as pa

        pa.default_memory_pool().release_unused()
    except (ImportError, AttributeError):
        pass
