# The production image: one image for web, worker and beat.
# Every build step is in bin/build, which tests/test_deployment.py replays in a fresh
# clone with this environment, then starts this CMD with the production settings.
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    UV_PROJECT_ENVIRONMENT=/opt/venv UV_COMPILE_BYTECODE=1 PATH=/opt/venv/bin:$PATH \
    MEDIA_ROOT=/var/lib/smartclusters/media \
    PRIVATE_MEDIA_ROOT=/var/lib/smartclusters/private-media
# The media directories belong to the app user: compose mounts named volumes there,
# and a new volume takes the directory's owner.
RUN pip install --no-cache-dir uv && useradd --create-home --uid 1000 app \
    && mkdir -p /var/lib/smartclusters/media /var/lib/smartclusters/private-media \
    && chown -R app:app /var/lib/smartclusters
WORKDIR /app
# The dependencies first: this layer is reused while uv.lock is unchanged.
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project
COPY . .
RUN bin/build
USER app
EXPOSE 8000
# The access log names the path without the query string (%(U)s, not the request line):
# the private calendar address carries its token there.
CMD ["gunicorn", "smartclusters.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", \
     "--access-logfile", "-", \
     "--access-logformat", "%(h)s %(l)s %(u)s %(t)s \"%(m)s %(U)s %(H)s\" %(s)s %(b)s %(L)s"]
