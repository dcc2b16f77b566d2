#!/usr/bin/env python3
"""Relais's one entry point for developers: set up, run the demo, run the tests.

    python3 dev.py demo     set everything up and serve the demo on http://127.0.0.1:8000
    python3 dev.py test     set everything up and run the whole suite (browser tests included)
    python3 dev.py setup    only set up (.venv, pinned dependencies, catalogues, migrations),
                            with the environment as it is: production uses it too

Needs only python3 (Debian, as root, for the system packages it installs when missing).
Every step is idempotent and skipped when nothing changed, so a second run is quick.
Only the standard library may be imported here: this file runs before the .venv exists.
"""

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
PY = VENV / "bin" / "python"
STAMP = VENV / ".relais-installed"

# Debian packages each command needs, checked by the file that proves they are there.
# WeasyPrint (the PDF documents) draws with Pango and HarfBuzz, CairoSVG with Cairo, and both
# need fonts that hold Arabic; the browser tests drive Debian's Chromium; the reports' tests
# render PDF pages to PNG with poppler's pdftoppm.
PDF_PACKAGES = {
    "libpango-1.0-0": "/usr/share/doc/libpango-1.0-0",
    "libpangoft2-1.0-0": "/usr/share/doc/libpangoft2-1.0-0",
    "libharfbuzz-subset0": "/usr/share/doc/libharfbuzz-subset0",
    "libcairo2": "/usr/share/doc/libcairo2",  # CairoSVG: the charts as PNG in Word files
    "fonts-dejavu-core": "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "fonts-hosny-amiri": "/usr/share/doc/fonts-hosny-amiri",
}
SYSTEM_PACKAGES = {
    "setup": PDF_PACKAGES,
    "test": {**PDF_PACKAGES, "chromium": "/usr/bin/chromium", "poppler-utils": "/usr/bin/pdftoppm"},
}


def say(msg):
    print(f"\033[1m» {msg}\033[0m", flush=True)


def run(*cmd, env=None, check=True, **kwargs):
    result = subprocess.run([str(c) for c in cmd], env=env, **kwargs)
    if check and result.returncode != 0:
        sys.exit(result.returncode)
    return result


def apt_install(packages):
    missing = [name for name, path in packages.items() if not Path(path).exists()]
    if not missing:
        return
    if not shutil.which("apt-get"):
        sys.exit(f"Please install these packages: {', '.join(missing)}")
    say(f"Installing Debian packages: {' '.join(missing)}")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    run("apt-get", "update", "-qq", env=env)
    run("apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing, env=env)


def requirements(extras):
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    deps = list(project["dependencies"])
    for extra in extras:
        deps += project["optional-dependencies"][extra]
    return deps


def ensure_venv(extras=()):
    if not PY.exists():
        say("Creating .venv")
        if run(sys.executable, "-m", "venv", VENV, check=False).returncode != 0:
            # Debian's python3 ships venv separately.
            shutil.rmtree(VENV, ignore_errors=True)
            version = f"{sys.version_info.major}.{sys.version_info.minor}"
            apt_install({f"python{version}-venv": f"/usr/lib/python{version}/ensurepip"})
            run(sys.executable, "-m", "venv", VENV)
    deps = requirements(extras)
    wanted = hashlib.sha256("\n".join(sorted(deps)).encode()).hexdigest()
    installed = STAMP.read_text().split() if STAMP.exists() else []
    if wanted in installed:
        return
    say(f"Installing {len(deps)} pinned Python packages into .venv")
    run(PY, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *deps)
    # The test set includes the demo set: remember both so neither reinstalls.
    STAMP.write_text("\n".join({*installed, wanted, *_subsets(extras)}))


def _subsets(extras):
    if not extras:
        return []
    return [hashlib.sha256("\n".join(sorted(requirements(()))).encode()).hexdigest()]


def manage(*args, env=None, check=True):
    return run(PY, ROOT / "manage.py", *args, env=env, check=check, cwd=ROOT)


def setup(extras=(), env=None):
    apt_install(SYSTEM_PACKAGES["setup"])
    ensure_venv(extras)
    manage("compile_catalogues", env=env)
    manage("migrate", "--no-input", "-v", "0", env=env)


def demo_env():
    env = dict(os.environ)
    env.setdefault("RELAIS_DEBUG", "1")
    env.setdefault("RELAIS_DEMO", "1")
    return env


def cmd_setup(args):
    # Production uses this too: it takes the environment as it is (docs/deploy.md).
    setup(env=dict(os.environ))


def cmd_demo(args):
    env = demo_env()
    setup(env=env)
    manage("seed_demo", env=env)
    manage("schedule_digest", env=env)  # the coordinators' weekly email of alerts
    say("Starting the background worker and the web server on http://127.0.0.1:8000")
    worker = subprocess.Popen([PY, ROOT / "manage.py", "db_worker"], env=env, cwd=ROOT)
    server = subprocess.Popen(
        [PY, ROOT / "manage.py", "runserver", "127.0.0.1:8000", *args], env=env, cwd=ROOT
    )
    try:
        while server.poll() is None and worker.poll() is None:
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        for proc in (server, worker):
            if proc.poll() is None:
                proc.send_signal(signal.SIGINT)
        for proc in (server, worker):
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


def cmd_test(args):
    apt_install(SYSTEM_PACKAGES["test"])
    env = dict(os.environ)
    env.pop("RELAIS_DEBUG", None)
    env["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    ensure_venv(("test",))
    manage("compile_catalogues", env=env)
    say("Lint: ruff format --check, ruff check")
    ruff = VENV / "bin" / "ruff"
    run(ruff, "format", "--check", "--quiet", ROOT, cwd=ROOT)
    run(ruff, "check", "--quiet", ROOT, cwd=ROOT)
    say("Django checks: system checks, missing migrations")
    manage("check", "--fail-level", "WARNING", env=env)
    manage("makemigrations", "--check", "--dry-run", "-v", "0", env=env)
    say("pytest")
    code = run(PY, "-m", "pytest", *args, env=env, check=False, cwd=ROOT).returncode
    if code == 5:
        print("pytest collected no tests: that is a failure.", file=sys.stderr)
        code = 1
    sys.exit(code)


COMMANDS = {"demo": cmd_demo, "test": cmd_test, "setup": cmd_setup}


def main():
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        print(__doc__)
        sys.exit(2)
    os.chdir(ROOT)
    COMMANDS[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    main()
