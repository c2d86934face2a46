"""Read one uploaded file the way a shared server can afford: in a child process bounded by the OS
in memory and CPU, so a reader that expands the file dies instead of passing slowly.

The children are forked from a server process that has imported the reader once (multiprocessing's
"forkserver"), so each costs a fork, not a new Python with pandas to import; the bounds count from
the fork, as they counted from after the imports in a fresh interpreter.
"""

from __future__ import annotations

import json
import multiprocessing
import resource
import sys
import time
import traceback
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from lib.errors import SourceError
from lib.normalize import normalize
from lib.sources.files import read_bytes

_FORKS = multiprocessing.get_context("forkserver")
_FORKS.set_forkserver_preload([__name__])  # "tests.bounded_read", found from the repository's root


def _read(path: str, name: str, memory: int, cpu_seconds: int, answer: Connection) -> None:
    """In the child: set the bounds, read and normalise, send back what happened (as JSON)."""
    data = Path(path).read_bytes()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    limit = int(usage.ru_utime + usage.ru_stime) + cpu_seconds
    resource.setrlimit(resource.RLIMIT_CPU, (limit, limit))
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    started = time.perf_counter()
    result: dict[str, Any]
    try:
        try:
            table = read_bytes(data, name)
            result = {"rows": len(table), "width": max(map(len, table), default=0)}
            result["table"] = table if sum(map(len, table)) <= 100 else None
            try:
                result["frame_rows"] = len(normalize(table).frame)
            except SourceError as error:
                result["normalize_error"] = str(error)
        except SourceError as error:
            result = {"error": str(error), "kind": error.kind}
        result["seconds"] = round(time.perf_counter() - started, 3)
        status = Path("/proc/self/status").read_text()
        result["peak_mb"] = int(status.split("VmHWM:")[1].split()[0]) // 1024
        answer.send(json.dumps(result))
    except BaseException:
        answer.send(json.dumps({"crash": traceback.format_exc()}))
        sys.exit(1)


def read_bounded(path: str, name: str, memory: int, cpu_seconds: int, wall_seconds: float) -> tuple[int, dict]:
    """The child's exit code (negative: the signal that killed it) and what it sent back ({} if nothing)."""
    receive, send = _FORKS.Pipe(duplex=False)
    child = _FORKS.Process(target=_read, args=(path, name, memory, cpu_seconds, send), daemon=True)
    child.start()
    send.close()
    try:
        if not receive.poll(wall_seconds):
            child.kill()
            child.join()
            raise TimeoutError(f"reading {name} took more than {wall_seconds} s")
        try:
            sent = json.loads(receive.recv())
        except EOFError:  # died without a word (killed)
            sent = {}
    finally:
        receive.close()
    child.join(wall_seconds)
    if child.is_alive():
        child.kill()
        child.join()
    assert child.exitcode is not None
    return child.exitcode, sent
