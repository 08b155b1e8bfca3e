"""Serve the product, and a bare Django project made on the fly, with gunicorn.

``write_bare_project`` runs Django's own ``startproject`` in a directory (the settings,
with startproject's default MIDDLEWARE, come from the installed Django as they are) and
adds one view that returns a small HTML page at ``/``: the yardstick, what Django and
gunicorn allow on this machine with nothing of the product in the way.

``write_product_settings`` writes a settings module that is the production settings
(``smartclusters.settings.production``) with the static files collected to a temporary
directory. ``Gunicorn`` starts ``gunicorn`` (sync workers) on a free port and waits until
it answers.
"""

import os
import secrets
import socket
import subprocess
import sys
import time
from http.client import HTTPConnection
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

BARE_PROJECT = "bareproject"
BARE_PAGE = (
    '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
    "<title>Bare Django view</title></head>\n<body><h1>Bare Django view</h1>"
    "<p>One view, Django's default middleware, nothing else.</p></body></html>\n"
)
BARE_URLS = f"""

# Added by bench/serve.py: one view returning a small HTML page.
from django.http import HttpResponse  # noqa: E402


def bare(request):
    return HttpResponse({BARE_PAGE!r})


urlpatterns = [path("", bare)]
"""
BARE_SETTINGS = """

# Added by bench/serve.py: served like production (no debug), on any local host name.
DEBUG = False
ALLOWED_HOSTS = ["*"]
"""

PRODUCT_SETTINGS_MODULE = "bench_production_settings"
PRODUCT_SETTINGS = '''"""Written by bench/serve.py: production settings, static files elsewhere."""

from smartclusters.settings.production import *  # noqa: F403

STATIC_ROOT = {static_root!r}
'''

# A request as the production proxy forwards it (SECURE_PROXY_SSL_HEADER): over HTTPS.
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}
# What every browser asks for: a compressed response where the site gives one.
BROWSER_HEADERS = {"Accept-Encoding": "gzip"}
HOST = "localhost"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_bare_project(directory: Path) -> str:
    """Django's ``startproject`` in ``directory`` plus one view at ``/``; the WSGI module."""
    directory.mkdir(parents=True, exist_ok=True)
    subprocess.run(  # noqa: S603
        [sys.executable, "-m", "django", "startproject", BARE_PROJECT, str(directory)],
        check=True,
        env={k: v for k, v in bare_env().items() if k != "DJANGO_SETTINGS_MODULE"},
    )
    package = directory / BARE_PROJECT
    with (package / "settings.py").open("a") as settings:
        settings.write(BARE_SETTINGS)
    with (package / "urls.py").open("a") as urls:
        urls.write(BARE_URLS)
    return f"{BARE_PROJECT}.wsgi:application"


def bare_env() -> dict[str, str]:
    """This environment without the product's settings: the bare project's own."""
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "PYTHONPATH")}
    return {**env, "DJANGO_SETTINGS_MODULE": f"{BARE_PROJECT}.settings"}


def write_product_settings(directory: Path, static_root: Path) -> str:
    """A settings module in ``directory``: production's, static files in ``static_root``."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{PRODUCT_SETTINGS_MODULE}.py"
    path.write_text(PRODUCT_SETTINGS.format(static_root=str(static_root)))
    return PRODUCT_SETTINGS_MODULE


def production_env(
    *,
    database_url: str,
    redis_url: str,
    settings_dir: Path,
    page_cache: bool = True,
) -> dict[str, str]:
    """The environment production needs, for this machine (see smartclusters.settings.production).

    The searches' rate limit (60 a minute per address) would answer most of the load's
    requests with 429: the limiter still counts each request, at a rate no test reaches.
    """
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": PRODUCT_SETTINGS_MODULE,
        "PYTHONPATH": os.pathsep.join([str(settings_dir), str(ROOT)]),
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": f"{HOST},127.0.0.1",
        "SITE_URL": f"https://{HOST}",
        "RATELIMIT_SEARCH": "1000000/s",
        "DEBUG": "false",
    }
    env.pop("DJANGO_BUILD_COLLECTSTATIC", None)
    if page_cache:
        env.pop("PAGE_CACHE", None)
    else:
        env["PAGE_CACHE"] = "off"
    return env


class Gunicorn:
    """``gunicorn <app>`` with sync workers on a free port of 127.0.0.1, as a context manager."""

    def __init__(
        self,
        app: str,
        *,
        workers: int = 2,
        chdir: Path = ROOT,
        env: dict[str, str] | None = None,
        log: Path | None = None,
        ready_path: str = "/",
        headers: dict[str, str] | None = None,
    ):
        self.app = app
        self.workers = workers
        self.chdir = chdir
        self.env = env if env is not None else dict(os.environ)
        self.log = log
        self.ready_path = ready_path
        self.headers = {"Host": HOST, **(headers or {})}
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def command(self) -> list[str]:
        command = [sys.executable, "-m", "gunicorn", self.app, "--chdir", str(self.chdir)]
        command += ["--bind", f"127.0.0.1:{self.port}", "--workers", str(self.workers)]
        command += ["--worker-class", "sync", "--timeout", "120", "--log-level", "warning"]
        if self.log is not None:
            command += ["--error-logfile", str(self.log)]
        return command

    def start(self, wait: float = 120.0) -> "Gunicorn":
        self.process = subprocess.Popen(self.command(), env=self.env)  # noqa: S603
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn {self.app} exited: {self._log_tail()}")
            if self._answers():
                return self
            time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"gunicorn {self.app} did not answer in {wait:g}s: {self._log_tail()}")

    def _answers(self) -> bool:
        # A worker's first request loads the project: seconds on a busy machine.
        connection = HTTPConnection("127.0.0.1", self.port, timeout=90)
        try:
            connection.request("GET", self.ready_path, headers=self.headers)
            connection.getresponse().read()
            return True  # it answers, whatever it says
        except OSError:
            return False
        finally:
            connection.close()

    def drain(self, timeout: float = 300.0) -> float:
        """Wait until the requests a load left queued are served; the seconds it took.

        wrk stops with its connections' requests still queued in gunicorn's backlog: the
        workers serve each of them (to a closed socket) before anything else, and a slow
        page's backlog would be measured as the next page's time. One request per worker,
        each waiting its turn behind that backlog, tells it is gone."""
        started = time.monotonic()
        for _ in range(self.workers):
            connection = HTTPConnection("127.0.0.1", self.port, timeout=timeout)
            try:
                connection.request("GET", self.ready_path, headers=self.headers)
                connection.getresponse().read()
            except OSError:
                pass
            finally:
                connection.close()
        return time.monotonic() - started

    def _log_tail(self) -> str:
        if self.log is None or not self.log.exists():
            return ""
        return self.log.read_text(errors="replace")[-3000:]

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        self.process = None

    def __enter__(self) -> "Gunicorn":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
