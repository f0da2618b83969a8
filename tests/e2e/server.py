"""Real servers for the web tests: uvicorn in a thread, or ``fogwatch serve`` in a subprocess."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import uvicorn

from fogwatch.api import create_app

# Seconds to wait for a server to accept connections: uvicorn starts in well under
# a second here; a loaded 2-core CI box can be ten times slower.
STARTUP_TIMEOUT_S = 20.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_until_up(url: str, deadline: float, proc: subprocess.Popen[bytes] | None = None) -> None:
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            httpx.get(url + "/api/counts", timeout=1.0)
            return
        except httpx.TransportError:
            time.sleep(0.05)
    raise RuntimeError(f"server at {url} did not start within {STARTUP_TIMEOUT_S} s")


@contextmanager
def thread_server(db: Path) -> Iterator[str]:
    """``create_app(db)`` under uvicorn on a free loopback port; yields the base URL."""
    port = free_port()
    config = uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, time.monotonic() + STARTUP_TIMEOUT_S)
        yield url
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@contextmanager
def serve_process(db: Path) -> Iterator[str]:
    """``fogwatch --db DB serve --port PORT`` (the CLI) in its own process; yields the base URL."""
    port = free_port()
    command = [sys.executable, "-m", "fogwatch.cli", "--db", str(db), "serve", "--port", str(port)]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(command, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, time.monotonic() + STARTUP_TIMEOUT_S, proc)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
