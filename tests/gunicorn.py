"""The site under gunicorn on a free port, for the tests and benchmarks that need real
servers (tests/test_several_servers.py, tests/bench/scale.py)."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(env: dict[str, str], *, workers: int, timeout: int = 30) -> Iterator[int]:
    """gunicorn serving the site with `env` (settings and all), on a free port, once it
    answers; stopped afterwards. RuntimeError, with its log, when it does not start."""
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", str(workers), "--timeout", str(timeout)]
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True
        )
        try:
            _wait_for(process, log, port)
            yield port
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGINT)  # gunicorn's quick shutdown
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def _wait_for(process: subprocess.Popen, log, port: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn on {port} stopped:\n{_tail(log)}")
        try:
            status = _status(port, "/accounts/login/")
        except OSError:
            time.sleep(0.1)
            continue
        if status != 200:
            raise RuntimeError(f"gunicorn on {port} answered {status}:\n{_tail(log)}")
        return
    raise RuntimeError(f"gunicorn on {port} did not answer within 30 s:\n{_tail(log)}")


def _status(port: int, path: str) -> int:
    # The `X-Forwarded-Proto` a TLS-terminating proxy adds: production redirects plain HTTP.
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        host = {"Host": f"127.0.0.1:{port}", "X-Forwarded-Proto": "https"}
        connection.request("GET", path, headers=host)
        return connection.getresponse().status
    finally:
        connection.close()


def _tail(log) -> str:
    log.seek(0)
    return log.read().decode(errors="replace")[-3000:]
