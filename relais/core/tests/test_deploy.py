"""Production configuration: `check --deploy` is clean, headers and policy are strict."""

import os
import re
import subprocess
import sys
from pathlib import Path

from django.urls import reverse

ROOT = Path(__file__).resolve().parents[3]
PRODUCTION_ENV = {
    "RELAIS_SECRET_KEY": "x" * 20 + "a-long-random-production-secret-key-0123456789",
    "RELAIS_HTTPS": "1",
    "RELAIS_ALLOWED_HOSTS": "relais.example.org",
    "RELAIS_EMAIL_HOST": "smtp.example.org",
}


def test_check_deploy_is_clean_with_production_environment(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        # pytest-playwright sets DJANGO_ALLOW_ASYNC_UNSAFE, which the deploy check rejects.
        if not key.startswith("RELAIS_")
        and key not in {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(PRODUCTION_ENV, RELAIS_VAR_DIR=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_pages_carry_a_strict_content_security_policy(client, make_user, mali):
    client.force_login(make_user("coordinator", mali))
    response = client.get(reverse("countries:detail", args=["ML"]))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


def test_pages_have_no_inline_script_or_style(client, make_user, mali):
    client.force_login(make_user("coordinator", mali))
    html = client.get(reverse("countries:detail", args=["ML"])).content.decode()
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag, tag
    assert "<style" not in html
    assert " style=" not in html
