"""Load a page with wrk (Debian's package) and read its report.

``run_wrk`` runs ``wrk -t<threads> -c<connections> -d<seconds>s --latency`` against one URL
with the given headers and returns what ``parse_wrk`` reads from its output: requests per
second, the latency percentiles, the responses that were neither 2xx nor 3xx and the
socket errors (connect, read, write, timeout).
"""

import os
import re
import shutil
import subprocess
from dataclasses import asdict, dataclass, field

WRK_MISSING = "wrk is not installed and `apt-get install -y wrk` did not install it"


class WrkError(RuntimeError):
    """wrk did not produce a report (it could not connect, say)."""


@dataclass
class WrkResult:
    requests: int
    seconds: float
    requests_per_second: float
    latency_ms: dict[str, float] = field(default_factory=dict)  # "50", "75", "90", "99"
    non_2xx_3xx: int = 0
    socket_errors: dict[str, int] = field(default_factory=dict)  # connect, read, write, timeout

    @property
    def p50_ms(self) -> float:
        return self.latency_ms.get("50", float("nan"))

    @property
    def p99_ms(self) -> float:
        return self.latency_ms.get("99", float("nan"))

    @property
    def errors(self) -> int:
        return self.non_2xx_3xx + sum(self.socket_errors.values())

    def as_dict(self) -> dict:
        return {**asdict(self), "errors": self.errors}


_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}
_PERCENTILE = re.compile(r"^\s*(\d+(?:\.\d+)?)%\s+([\d.]+)(us|ms|s|m|h)\s*$")
_REQUESTS = re.compile(r"^\s*(\d+) requests in ([\d.]+)(us|ms|s|m|h),")
_RPS = re.compile(r"^Requests/sec:\s+([\d.]+)")
_NON_2XX = re.compile(r"^\s*Non-2xx or 3xx responses:\s+(\d+)")
_SOCKET = re.compile(r"^\s*Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")


def parse_wrk(text: str) -> WrkResult:
    """What wrk's ``--latency`` report says; ``WrkError`` when it is not a report."""
    requests = seconds = rps = None
    latency: dict[str, float] = {}
    non_2xx = 0
    sockets: dict[str, int] = {}
    in_distribution = False
    for line in text.splitlines():
        if line.strip() == "Latency Distribution":
            in_distribution = True
            continue
        if in_distribution:
            match = _PERCENTILE.match(line)
            if match:
                value, unit = float(match[2]), match[3]
                latency[_percentile_key(match[1])] = value * _UNITS_MS[unit]
                continue
            in_distribution = False
        if match := _REQUESTS.match(line):
            requests = int(match[1])
            seconds = float(match[2]) * _UNITS_MS[match[3]] / 1000
        elif match := _RPS.match(line):
            rps = float(match[1])
        elif match := _NON_2XX.match(line):
            non_2xx = int(match[1])
        elif match := _SOCKET.match(line):
            names = ("connect", "read", "write", "timeout")
            sockets = dict(zip(names, map(int, match.groups()), strict=True))
    if requests is None or seconds is None or rps is None:
        raise WrkError(f"not a wrk report: {text.strip()[:300]!r}")
    return WrkResult(
        requests=requests,
        seconds=seconds,
        requests_per_second=rps,
        latency_ms=latency,
        non_2xx_3xx=non_2xx,
        socket_errors=sockets,
    )


def _percentile_key(text: str) -> str:
    number = float(text)
    return str(int(number)) if number.is_integer() else str(number)


def ensure_wrk() -> str:
    """wrk's path; installs Debian's package when it is missing (as root, or with sudo)."""
    found = shutil.which("wrk")
    if found:
        return found
    command = ["apt-get", "install", "-y", "wrk"]
    if os.geteuid() != 0 and shutil.which("sudo"):
        command = ["sudo", *command]
    print("wrk not found: " + " ".join(command), flush=True)
    subprocess.run(command, check=False)  # noqa: S603
    found = shutil.which("wrk")
    if not found:
        raise SystemExit(WRK_MISSING)
    return found


def wrk_command(
    url: str,
    *,
    seconds: int,
    threads: int = 2,
    connections: int = 16,
    headers: dict[str, str] | None = None,
    timeout: int = 10,
    wrk: str = "wrk",
) -> list[str]:
    """wrk takes whole seconds only."""
    command = [wrk, f"-t{threads}", f"-c{connections}", f"-d{seconds}s"]
    command += [f"--timeout={timeout}s", "--latency"]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    return [*command, url]


def run_wrk(url: str, **options) -> WrkResult:
    command = wrk_command(url, **options)
    done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    return parse_wrk(done.stdout + done.stderr)
