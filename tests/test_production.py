"""Production settings (DEBUG=false): `check --deploy` is clean, logs are JSON with request ids."""

from __future__ import annotations

import json
import logging
import os
import secrets
import subprocess
import sys

import pytest
from django.urls import reverse

from verify.logs import JsonFormatter, RequestIdFilter

from .conftest import BASE_DIR

PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "verify.example.org",
}


def check_deploy(tmp_path, **extra: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VERIFY_", "SECURE_", "DJANGO_"))}
    env.pop("DATABASE_URL", None)
    env.pop("TLS_PROXY", None)
    env.update(PRODUCTION, VERIFY_VAR_DIR=str(tmp_path), **extra)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    "extra",
    [
        pytest.param({}, id="django-terminates-tls"),
        pytest.param({"TLS_PROXY": "true", "SECURE_SSL_REDIRECT": "false"}, id="behind-a-tls-proxy"),
    ],
)
def test_check_deploy_reports_nothing_under_production_settings(tmp_path, extra):
    result = check_deploy(tmp_path, **extra)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    ("extra", "check_id"),
    [
        # Only a TLS proxy that redirects itself may turn the redirect off.
        ({"SECURE_SSL_REDIRECT": "false"}, "security.W008"),
        ({"VERIFY_REQUIRE_ADMIN_OTP": "false"}, "verify.W001"),
        ({"SECURE_HSTS_SECONDS": "0"}, "security.W004"),
    ],
)
def test_check_deploy_still_fails_on_a_weakened_setting(tmp_path, extra, check_id):
    result = check_deploy(tmp_path, **extra)
    assert result.returncode != 0
    assert check_id in result.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = check_deploy(tmp_path, SECRET_KEY="")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


# --- request ids and JSON logs ---------------------------------------------


def test_each_response_carries_a_new_request_id(client, db):
    first = client.get(reverse("health"))["X-Request-ID"]
    second = client.get(reverse("health"))["X-Request-ID"]
    assert len(first) == 32
    assert first != second


def test_the_proxys_request_id_is_kept_and_a_forged_one_replaced(client, db):
    assert client.get(reverse("health"), headers={"X-Request-ID": "abc-123"})["X-Request-ID"] == "abc-123"
    forged = client.get(reverse("health"), headers={"X-Request-ID": 'x"\n{"level": "ERROR"}'})
    assert forged["X-Request-ID"] != 'x"\n{"level": "ERROR"}'
    assert len(forged["X-Request-ID"]) == 32


def test_log_lines_are_json_with_the_request_id(client, db):
    lines: list[str] = []
    handler = logging.Handler()
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    handler.emit = lambda record: lines.append(handler.format(record))
    logger = logging.getLogger("verify.request")
    logger.addHandler(handler)
    try:
        client.get(reverse("health"), headers={"X-Request-ID": "req-42"})
    finally:
        logger.removeHandler(handler)
    entry = json.loads(lines[-1])
    assert entry["request_id"] == "req-42"
    assert entry["logger"] == "verify.request"
    assert (entry["method"], entry["path"], entry["status"]) == ("GET", "/health/", 200)
    assert entry["level"] == "INFO"
    assert isinstance(entry["duration_ms"], float)


def test_a_log_line_outside_a_request_has_no_id():
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "boom %s", ("now",), None)
    RequestIdFilter().filter(record)
    entry = json.loads(JsonFormatter().format(record))
    assert entry["message"] == "boom now"
    assert entry["request_id"] == "-"
