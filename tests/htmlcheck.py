"""The Nu Html Checker (vnu.jar from the npm package vnu-jar, run on Debian's Java).

Starting a JVM per page costs about two seconds, so the checker runs as a local HTTP
service, started once per test session, and each page's HTML is POSTed to it (tens of
milliseconds a page once the service is up).

    checker = HtmlChecker.start(log_dir)  # CheckerUnavailable without java or the jar
    errors = checker.errors(html)  # [Message(line, column, message, extract)]
    checker.stop()
"""

from __future__ import annotations

import ctypes
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
HEADERS = {"Content-Type": "text/html; charset=utf-8", "User-Agent": "smartclusters-tests"}
STARTUP_TIMEOUT = 90  # seconds: reading the spec takes a few seconds on a busy machine


class CheckerUnavailable(Exception):
    """java or vnu.jar is missing, or the service did not start."""


@dataclass(frozen=True)
class Message:
    line: int | None
    column: int | None
    message: str
    extract: str

    def __str__(self) -> str:
        extract = " ".join(self.extract.split())
        return f"line {self.line}, column {self.column}: {self.message} [{extract}]"


try:  # loaded here: the child of a fork only calls it
    _LIBC = ctypes.CDLL("libc.so.6")
except OSError:  # not Linux: the session's teardown stops the service
    _LIBC = None


def _die_with_parent() -> None:
    """In the child, before java starts: Linux ends it when the test run dies."""
    if _LIBC is not None:
        _LIBC.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class HtmlChecker:
    def __init__(self, process: subprocess.Popen, port: int, log_path: Path):
        self.process = process
        self.port = port
        self.log_path = log_path
        self._ready = False

    @classmethod
    def start(cls, log_dir: Path) -> HtmlChecker:
        """Start the service in the background; ``errors()`` waits until it answers."""
        java = shutil.which("java")
        if java is None:
            raise CheckerUnavailable("java not found (apt-get install default-jre-headless)")
        if not JAR.exists():
            raise CheckerUnavailable(f"{JAR} not found (make install runs npm ci)")
        port = _free_port()
        log_path = log_dir / "vnu.log"
        with open(log_path, "wb") as log:
            process = subprocess.Popen(
                [
                    java,
                    "-Dnu.validator.servlet.bind-address=127.0.0.1",
                    "-cp",
                    str(JAR),
                    "nu.validator.servlet.Main",
                    str(port),
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                preexec_fn=_die_with_parent,
            )
        return cls(process, port, log_path)

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                log = self.log_path.read_text()[-2000:]
                raise CheckerUnavailable(f"vnu exited with {self.process.returncode}: {log}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    self._ready = True
                    return
            except OSError:
                time.sleep(0.2)
        raise CheckerUnavailable(f"vnu did not answer on port {self.port} in {STARTUP_TIMEOUT}s")

    def errors(self, html: str | bytes) -> list[Message]:
        """The checker's errors for one HTML document (warnings and info left out)."""
        if not self._ready:
            self._wait_ready()
        body = html.encode() if isinstance(html, str) else html
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.request("POST", "/?out=json", body, HEADERS)
            response = connection.getresponse()
            if response.status != 200:
                raise CheckerUnavailable(f"vnu answered {response.status}")
            result = json.load(response)
        finally:
            connection.close()
        return [
            Message(
                line=item.get("lastLine"),
                column=item.get("firstColumn"),
                message=item.get("message", ""),
                extract=item.get("extract", ""),
            )
            for item in result.get("messages", [])
            # "non-document-error": the checker could not read the input at all.
            if item.get("type") in ("error", "non-document-error")
        ]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def required() -> bool:
    """Where a missing checker fails the run instead of skipping its checks."""
    return os.environ.get("REQUIRE_SERVICES") == "1" or os.environ.get("CI") == "true"
