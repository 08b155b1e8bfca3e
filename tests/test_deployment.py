"""The production shape: compose file, environment documentation, deploy checks,
and the real processes (gunicorn, Celery worker and beat) started directly."""

import json
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_ENV = {
    "DJANGO_SETTINGS_MODULE": "smartclusters.settings.production",
    "SECRET_KEY": "a-sample-secret-for-the-deploy-check-" + "x" * 40,
    "ALLOWED_HOSTS": "smartclusters.example.eu",
    "SECURE_SSL_REDIRECT": "true",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "SITE_URL": "https://smartclusters.example.eu",
}


def _env(**extra) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests for their process
    env.update(extra)
    return env


def test_compose_file_names_the_production_services_with_health_checks():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"web", "worker", "beat", "db", "redis"} <= set(services)
    for name in ("web", "worker", "beat", "db", "redis"):
        assert "healthcheck" in services[name], name
    assert "gunicorn" in services["web"]["command"]
    assert "celery -A smartclusters worker" in services["worker"]["command"]
    assert "celery -A smartclusters beat" in services["beat"]["command"]
    assert services["db"]["image"].startswith("postgres:15")
    assert services["redis"]["image"].startswith("redis:7")
    for name in ("web", "worker", "beat"):
        assert services[name]["depends_on"]["db"]["condition"] == "service_healthy"


# Read from the environment yet never meant for .env: set by bin/build for collectstatic.
# Set by the build step or by pytest-xdist in its workers, never by an operator.
NOT_FOR_ENV_FILE = {"DJANGO_BUILD_COLLECTSTATIC", "PYTEST_XDIST_WORKER"}


def test_env_example_documents_every_setting_read_from_the_environment():
    lines = (ROOT / ".env.example").read_text().splitlines()
    # "NAME=value", or "# NAME=default" for an optional setting.
    documented = {
        match.group(1) for line in lines if (match := re.match(r"^(?:# )?([A-Z][A-Z0-9_]*)=", line))
    }
    read = {"DJANGO_SETTINGS_MODULE"}
    for path in (ROOT / "smartclusters").rglob("*.py"):
        source = path.read_text()
        read |= set(re.findall(r'\benv(?:\.\w+)?\(\s*"([A-Z][A-Z0-9_]*)"', source))
        read |= set(re.findall(r'os\.environ\.get\(\s*"([A-Z][A-Z0-9_]*)"', source))
    for name in ("DATABASE_URL", "REDIS_URL", "EMAIL_URL", "SECRET_KEY", "SITE_URL"):
        assert name in read  # the scan finds what the settings read
    assert read - NOT_FOR_ENV_FILE <= documented, sorted(read - NOT_FOR_ENV_FILE - documented)
    required = {"SECRET_KEY", "ALLOWED_HOSTS", "REDIS_URL", "SITE_URL", "DATABASE_URL"}
    assert required <= set(_env_example())


def test_production_settings_pass_the_deploy_check():
    result = _python(
        "manage.py", "check", "--deploy", "--fail-level", "WARNING", env=_env(**SAMPLE_ENV)
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("SECRET_KEY", "SECRET_KEY must be set"),
        ("ALLOWED_HOSTS", "ALLOWED_HOSTS must name"),
        ("REDIS_URL", "REDIS_URL must be set in production"),
        ("SITE_URL", "SITE_URL must be set"),
    ],
)
def test_production_settings_refuse_to_start_without(missing, message):
    env = _env(**SAMPLE_ENV)
    env.pop(missing)
    result = _python("manage.py", "check", env=env)
    assert result.returncode != 0
    assert message in result.stderr


def _python(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    """Run this Python in the repository with ``env``; its output is kept for the test."""
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _django_setup(env: dict[str, str]) -> subprocess.CompletedProcess:
    """Load the settings and the apps in a new process, as every server process does."""
    return _python("-c", "import django; django.setup()", env=env)


def _env_example() -> dict[str, str]:
    return dict(
        line.split("=", 1)
        for line in (ROOT / ".env.example").read_text().splitlines()
        if line and not line.startswith("#")
    )


@pytest.mark.parametrize(
    "secret_key",
    [
        pytest.param(None, id="the-one-in-env-example"),
        pytest.param("insecure-local-development-key-change-me", id="the-laptop-default"),
        pytest.param("x" * 64, id="one-character-repeated"),
    ],
)
def test_production_settings_refuse_a_placeholder_secret_key(secret_key):
    secret_key = secret_key or _env_example()["SECRET_KEY"]
    result = _django_setup(_env(**{**SAMPLE_ENV, "SECRET_KEY": secret_key}))
    assert result.returncode != 0
    assert "django.core.exceptions.ImproperlyConfigured: SECRET_KEY is a placeholder" in (
        result.stderr
    )


@pytest.mark.parametrize(
    ("site_url", "message"),
    [
        ("http://127.0.0.1:8000", "SITE_URL's host must be one of ALLOWED_HOSTS"),
        ("https://smartclusters.example.eu/", "SITE_URL must be the scheme and host only"),
        ("smartclusters.example.eu", "SITE_URL must be set to the site's public address"),
    ],
)
def test_production_settings_refuse_a_site_url_that_is_not_the_public_address(site_url, message):
    result = _django_setup(_env(**{**SAMPLE_ENV, "SITE_URL": site_url}))
    assert result.returncode != 0
    assert f"ImproperlyConfigured: {message}" in result.stderr


def test_production_settings_start_with_a_complete_environment():
    """The refusals above fail for the reason they name, not for any missing piece."""
    result = _django_setup(_env(**SAMPLE_ENV))
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("command", "with_secrets"),
    [
        pytest.param(["-c", "import django; django.setup()"], False, id="server-no-secrets"),
        pytest.param(["-c", "import django; django.setup()"], True, id="server-with-secrets"),
        pytest.param(["manage.py", "migrate", "--check"], False, id="manage-py-migrate"),
    ],
)
def test_the_build_placeholders_serve_collectstatic_only(command, with_secrets):
    env = _env(**(SAMPLE_ENV if with_secrets else {}))
    env.update(
        DJANGO_SETTINGS_MODULE="smartclusters.settings.production", DJANGO_BUILD_COLLECTSTATIC="1"
    )
    if not with_secrets:
        for name in ("SECRET_KEY", "ALLOWED_HOSTS", "REDIS_URL", "SITE_URL"):
            env.pop(name, None)
    result = _python(*command, env=env)
    assert result.returncode != 0
    assert "ImproperlyConfigured: DJANGO_BUILD_COLLECTSTATIC is set" in result.stderr


def test_the_build_flag_never_reaches_the_running_image():
    compose = (ROOT / "docker-compose.yml").read_text()
    env_lines = [
        line for line in _dockerfile_instructions() if line.split(" ", 1)[0] in ("ENV", "ARG")
    ]
    assert "DJANGO_BUILD_COLLECTSTATIC" not in compose
    assert "DJANGO_BUILD_COLLECTSTATIC" not in "\n".join(env_lines)
    assert "DJANGO_BUILD_COLLECTSTATIC" not in (ROOT / ".env.example").read_text()


def _dockerfile_instructions() -> list[str]:
    """The Dockerfile's instructions, continuation lines joined, comments dropped."""
    text = (ROOT / "Dockerfile").read_text()
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    return [
        " ".join(instruction.split())
        for instruction in "\n".join(lines).replace("\\\n", " ").splitlines()
        if instruction.strip()
    ]


def _image_env(path_map: dict[str, str]) -> dict[str, str]:
    """The Dockerfile's ENV, with the image's paths mapped to the test's."""
    env: dict[str, str] = {}
    for instruction in _dockerfile_instructions():
        keyword, _, rest = instruction.partition(" ")
        if keyword != "ENV":
            continue
        for pair in shlex.split(rest):
            name, value = pair.split("=", 1)
            for image_path, test_path in path_map.items():
                value = value.replace(image_path, test_path)
            value = value.replace("$PATH", os.environ["PATH"])
            env[name] = value
    return env


def _image_cmd() -> list[str]:
    [cmd] = [i for i in _dockerfile_instructions() if i.startswith("CMD ")]
    return json.loads(cmd.removeprefix("CMD "))


def _image_build_step() -> str:
    """The RUN instruction that builds the application (after ``COPY . .``)."""
    instructions = _dockerfile_instructions()
    copied = instructions.index("COPY . .")
    runs = [i.removeprefix("RUN ") for i in instructions[copied:] if i.startswith("RUN ")]
    assert runs == ["bin/build"], "after COPY . . the Dockerfile runs bin/build and nothing else"
    return runs[0]


def _database_url(db: dict) -> str:
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    credentials = quote(db["USER"] or "", safe="")
    if db.get("PASSWORD"):
        credentials += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(url: str, timeout: float = 30.0) -> tuple[int, str]:
    """GET ``url`` once the server answers; returns (status, body)."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            with exc:
                return exc.code, exc.read().decode()
        except OSError as exc:
            last = exc
            time.sleep(0.3)
    raise AssertionError(f"{url} did not answer: {last}")


@pytest.fixture
def process_env(redis_url, tmp_path):
    return _env(
        **{
            **SAMPLE_ENV,
            "SECURE_SSL_REDIRECT": "false",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SITE_URL": "http://127.0.0.1:8000",
            "REDIS_URL": redis_url,
            "DATABASE_URL": os.environ.get("DATABASE_URL", f"sqlite:///{tmp_path / 'db.sqlite3'}"),
        }
    )


def _stop(proc: subprocess.Popen) -> str:
    proc.terminate()
    try:
        out, _ = proc.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, _ = proc.communicate()
    return out or ""


@pytest.mark.services
def test_gunicorn_serves_health_and_readiness_with_real_redis(process_env):
    port = _free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "smartclusters.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
        ],
        cwd=ROOT,
        env=process_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        status, _body = _wait_for(f"http://127.0.0.1:{port}/healthz")
        assert status == 200
        status, body = _wait_for(f"http://127.0.0.1:{port}/readyz")
        assert status == 200, body
        assert '"broker": "ok"' in body
    finally:
        _stop(proc)


@pytest.mark.services
def test_celery_worker_and_beat_start_against_real_redis(process_env, redis_url, tmp_path):
    from celery import Celery

    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "smartclusters",
            "worker",
            "-l",
            "info",
            "--concurrency",
            "1",
            "--hostname",
            f"ci-{os.getpid()}@%h",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=process_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    beat = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "smartclusters",
            "beat",
            "-l",
            "info",
            "--schedule",
            str(tmp_path / "celerybeat-schedule"),
        ],
        cwd=ROOT,
        env=process_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    # Not the current app: shared tasks resolve to the current app, and a bare client
    # (not eager, default queue) left current sends every later .delay() nowhere.
    client = Celery(broker=redis_url, set_as_current=False)
    try:
        replies = []
        deadline = time.monotonic() + 60
        while not replies and time.monotonic() < deadline:
            replies = client.control.ping(timeout=1.0)
        assert any(f"ci-{os.getpid()}@" in name for reply in replies for name in reply), replies
        assert beat.poll() is None, "beat exited early"
    finally:
        worker_log = _stop(worker)
        beat_log = _stop(beat)
        client.close()
    assert "ready" in worker_log
    assert "beat: Starting" in beat_log


def _fetch(url: str, headers: dict[str, str]) -> tuple[int, str, str]:
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - loopback
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, response.headers["Content-Type"], response.read().decode()
    except urllib.error.HTTPError as exc:
        with exc:
            return exc.code, exc.headers["Content-Type"], exc.read().decode()


FEED_PATH = "/action-plan/calendar.ics"
FEED_TOKEN = "secret-feed-token-0123456789"


@pytest.mark.services
def test_the_image_build_replayed_in_a_fresh_clone_serves_pages_with_production_settings(
    transactional_db, redis_url, tmp_path
):
    """bin/build (what the Dockerfile runs) in a fresh clone, with the image's environment;
    then the image's CMD with the production settings serves every kind of page, and the
    hashed stylesheet the pages link to. The clone holds what is committed: commit a change
    to the build before running this. The test holds no transaction open (transactional_db),
    so the server processes can use the test database, SQLite's too."""
    from django.conf import settings

    app = tmp_path / "app"
    git = shutil.which("git")
    subprocess.run([git, "clone", "--quiet", str(ROOT), str(app)], check=True, timeout=120)
    uv = shutil.which("uv") or str(ROOT / ".uv" / "bin" / "uv")
    assert Path(uv).exists(), "uv is needed to replay the build (make install provides it)"
    image_env = _image_env(
        {
            "/opt/venv": str(tmp_path / "venv"),
            "/app": str(app),
            "/var/lib/smartclusters": str(tmp_path / "data"),
        }
    )
    base = _env()
    for name in ("VIRTUAL_ENV", "DATABASE_URL", "REDIS_URL", "SITE_URL", "MEDIA_ROOT"):
        base.pop(name, None)
    build_env = {**base, **image_env}
    build_env["PATH"] = f"{image_env['PATH']}{os.pathsep}{Path(uv).parent}"

    started = time.monotonic()
    build = subprocess.run(
        [shutil.which("sh"), "-c", _image_build_step()],
        cwd=app,
        env=build_env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert build.returncode == 0, build.stdout + build.stderr
    build_seconds = time.monotonic() - started
    assert (app / "staticfiles" / "staticfiles.json").exists()

    # The running container: the image's environment plus what compose and .env give it
    # (a deployer behind the proxy, which sends X-Forwarded-Proto).
    run_env = {
        **build_env,
        "DJANGO_SETTINGS_MODULE": "smartclusters.settings.production",
        "SECRET_KEY": SAMPLE_ENV["SECRET_KEY"],
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        # The test database's own SITE_URL, so that migrate leaves its Sites entry alone.
        "SITE_URL": settings.SITE_URL,
        "REDIS_URL": redis_url,
        "DATABASE_URL": _database_url(settings.DATABASES["default"]),
    }
    migrate = subprocess.run(
        [shutil.which("python", path=run_env["PATH"]), "manage.py", "migrate", "--noinput"],
        cwd=app,
        env=run_env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert migrate.returncode == 0, migrate.stdout + migrate.stderr

    port = _free_port()
    cmd = _image_cmd()
    assert cmd[cmd.index("--bind") + 1] == "0.0.0.0:8000"
    cmd[cmd.index("--bind") + 1] = f"127.0.0.1:{port}"
    assert shutil.which(cmd[0], path=run_env["PATH"]).startswith(str(tmp_path / "venv"))
    proc = subprocess.Popen(
        cmd, cwd=app, env=run_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    base_url = f"http://127.0.0.1:{port}"
    headers = {"X-Forwarded-Proto": "https"}
    stylesheets = set()
    try:
        assert _wait_for(f"{base_url}/healthz")[0] == 200
        for path in ("/", "/clusters/", "/practices/", "/accounts/login/"):
            status, content_type, body = _fetch(base_url + path, headers)
            assert status == 200, f"{path}: {status}\n{body[:2000]}"
            assert content_type.startswith("text/html"), path
            stylesheets.update(re.findall(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', body))
        assert len(stylesheets) == 1, stylesheets
        status, content_type, css = _fetch(base_url + stylesheets.pop(), headers)
        assert status == 200
        assert content_type.startswith("text/css")
        assert css.strip()
        # A private calendar address: its token must not reach the access log.
        status, _content_type, _body = _fetch(f"{base_url}{FEED_PATH}?token={FEED_TOKEN}", headers)
        assert status == 404
    finally:
        log = _stop(proc)
        print(log)  # shown by pytest when the test fails
    assert "Booting worker" in log, log
    # The access log names each request's path, never its query string.
    assert f'"GET {FEED_PATH} HTTP/1.1" 404' in log, log
    assert FEED_TOKEN not in log, log
    # The replay stays quick enough to run on every CI run (uv reuses its cache).
    assert build_seconds < 300, build_seconds


# -- The compose file, the proxy and the media volumes -------------------------------------


def _compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def _caddyfile(text: str) -> list[tuple[list[str], list]]:
    """The Caddyfile as a tree of (tokens, children) directives; comments dropped."""
    root: list = []
    stack = [root]
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line == "}":
            stack.pop()
            continue
        tokens = shlex.split(line.removesuffix("{"))
        node = (tokens, [])
        stack[-1].append(node)
        if line.endswith("{"):
            stack.append(node[1])
    assert len(stack) == 1, "unbalanced braces"
    return root


def _walk(tree):
    for tokens, children in tree:
        yield tokens, children
        yield from _walk(children)


def _mounts(service: dict) -> list[tuple[str, str, str]]:
    """(source, target, mode) of each volume of a service, short syntax."""
    mounts = []
    for volume in service.get("volumes", []):
        source, target, *mode = volume.split(":")
        mounts.append((source, target, mode[0] if mode else "rw"))
    return mounts


def test_the_image_leaves_out_what_the_repository_leaves_out():
    """The build test replays bin/build in a git clone; the image is built from the working
    directory. .dockerignore keeps out what .gitignore does (uploads, databases, .env), so
    both see the same files."""

    def entries(name: str) -> set[str]:
        lines = (ROOT / name).read_text().splitlines()
        return {line.strip().strip("/") for line in lines if line and not line.startswith("#")}

    docker = entries(".dockerignore")
    for entry in entries(".gitignore"):
        assert entry in docker or f"**/{entry}" in docker, entry
    assert ".git" in docker


def test_uploads_live_in_named_volumes_mounted_on_web_and_worker():
    image_env = _image_env({})
    compose = _compose()
    assert {"media", "private-media"} <= set(compose["volumes"])
    for name in ("web", "worker"):
        mounts = _mounts(compose["services"][name])
        assert ("media", image_env["MEDIA_ROOT"], "rw") in mounts, name
        assert ("private-media", image_env["PRIVATE_MEDIA_ROOT"], "rw") in mounts, name
    # The image owns the directories to the app user, so new volumes take that owner.
    build = " ".join(i for i in _dockerfile_instructions() if i.startswith("RUN "))
    assert f"mkdir -p {image_env['MEDIA_ROOT']} {image_env['PRIVATE_MEDIA_ROOT']}" in build
    assert "chown -R app:app /var/lib/smartclusters" in build
    assert "USER app" in _dockerfile_instructions()


def test_the_proxy_serves_public_media_read_only_and_never_private_media():
    image_env = _image_env({})
    compose = _compose()
    proxy, web = compose["services"]["proxy"], compose["services"]["web"]
    assert proxy["image"].startswith("caddy:2")
    assert "healthcheck" in proxy
    mounts = _mounts(proxy)
    [config] = [m for m in mounts if m[1] == "/etc/caddy/Caddyfile"]
    assert config[2] == "ro"
    caddyfile = (ROOT / config[0]).read_text()
    [media] = [m for m in mounts if m[0] == "media"]
    assert media[2] == "ro"
    for source, target, _mode in mounts:
        assert "private" not in source
        assert "private" not in target
        assert image_env["PRIVATE_MEDIA_ROOT"] not in (source, target)

    tree = _caddyfile(caddyfile)
    [(site, directives)] = tree
    assert site == ["{$SITE_URL}"]
    handlers = {tuple(tokens): children for tokens, children in directives}
    media_routes = handlers[("handle_path", "/media/*")]
    assert ["root", "*", media[1]] in [tokens for tokens, _ in media_routes]
    assert ["file_server"] in [tokens for tokens, _ in media_routes]
    assert ["reverse_proxy", "web:8000"] in [tokens for tokens, _ in handlers[("handle",)]]
    # Files are served from the public media volume only.
    served_roots = [tokens[-1] for tokens, _ in _walk(tree) if tokens[0] == "root"]
    assert served_roots == [media[1]]
    assert [tokens for tokens, _ in _walk(tree) if tokens[0] == "file_server"] == [["file_server"]]

    # The proxy is the only way in; web is reached on the compose network.
    assert {"80:80", "443:443"} <= set(proxy["ports"])
    assert "ports" not in web
    assert web["expose"] == ["8000"]
    assert proxy["depends_on"]["web"]["condition"] == "service_healthy"


def test_the_web_service_runs_migrations_then_exactly_the_image_cmd():
    command = _compose()["services"]["web"]["command"]
    sh, flag, script = shlex.split(command)
    assert (sh, flag) == ("sh", "-c")
    assert "\n" not in script, "a line break would end the shell command early"
    migrate, serve = script.split("&&")
    assert shlex.split(migrate) == ["python", "manage.py", "migrate", "--noinput"]
    assert shlex.split(serve) == ["exec", *_image_cmd()]
