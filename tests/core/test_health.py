import pytest
from django.db import OperationalError
from django.urls import reverse

from core import health


def test_healthz_answers_without_touching_the_database(client):
    # No django_db mark: any database access here would raise.
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_is_ok_when_database_and_cache_answer(client):
    response = client.get(reverse("readyz"))
    body = response.json()
    assert response.status_code == 200
    assert body["status"] == "ok"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["cache"] == "ok"
    # The test settings run tasks in-process: there is no broker to reach.
    assert body["checks"]["broker"] == "in-process"


@pytest.mark.django_db
def test_readyz_names_the_database_when_it_is_unreachable(client, monkeypatch):
    def broken():
        raise OperationalError("connection refused")

    monkeypatch.setattr(health, "check_database", broken)
    response = client.get(reverse("readyz"))
    assert response.status_code == 503
    assert response.json()["failing"] == ["database"]


@pytest.mark.django_db
def test_readyz_names_the_broker_when_it_is_unreachable(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get(reverse("readyz"))
    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["broker"]
    assert body["checks"]["database"] == "ok"


@pytest.mark.django_db
def test_readyz_names_the_cache_when_it_is_unreachable(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    response = client.get(reverse("readyz"))
    assert response.status_code == 503
    assert "cache" in response.json()["failing"]


@pytest.mark.services
@pytest.mark.django_db
def test_readyz_reaches_the_real_broker_and_cache(client, settings, redis_url):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = redis_url
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url}
    }
    response = client.get(reverse("readyz"))
    assert response.status_code == 200, response.json()
    assert response.json()["checks"] == {"database": "ok", "cache": "ok", "broker": "ok"}
