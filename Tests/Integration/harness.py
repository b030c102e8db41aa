"""Shared helpers of the Python integration suites (Tests/Integration/test_*.py).

They test Veriface from the outside, the way integrators and browsers meet it: a real
`veriface serve` process on a free port with its own data folder, requests signed by
Tencent Cloud's official SDK code (so our TC3 verifier is checked against theirs, not
against a second copy of our own understanding), and a headless Chromium.

Run by scripts/test with the test venv's Python (scripts/test-venv):
    python Tests/Integration/harness.py [PATTERN]   # unittest discover -v, plus a count line
One suite by hand: cd Tests/Integration && python -m unittest -v test_signing

Environment:
    VERIFACE_BINARY          server binary (default: .build/debug/veriface)
    VERIFACE_TEST_DATA       the shared photos (default: ../shared/data)
    VERIFACE_TEST_SERVER_OUTPUT=1   echo the server's output to stderr while it runs
    VERIFACE_CHROMIUM, VERIFACE_CHROMEDRIVER   browser and driver (Debian's by default)
"""

from __future__ import annotations

import atexit
import base64
import ctypes
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Mapping, Sequence

REPO_ROOT = Path(__file__).resolve().parents[2]
DATA_ROOT = Path(os.environ.get("VERIFACE_TEST_DATA") or REPO_ROOT.parent / "shared" / "data")

# The server prints this once, when it creates the first administrator in a new data folder.
ONE_TIME_PASSWORD = re.compile(r"one-time password: (\S+)")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def data_file(relative: str) -> Path:
    """A file of the shared evaluation data (never copied into the repository)."""
    path = DATA_ROOT / relative
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing (set VERIFACE_TEST_DATA to the shared data folder)")
    return path


def lfw_image(name: str, number: int) -> Path:
    """An LFW photo, e.g. lfw_image("William_Macy", 3): lfw/images/<Name>/<Name>_<NNNN>.jpg."""
    return data_file(f"lfw/images/{name}/{name}_{number:04d}.jpg")


def base64_file(path: Path) -> str:
    return base64.b64encode(path.read_bytes()).decode("ascii")


def _die_with_parent() -> None:
    """Runs in the child before exec: the kernel kills the server when the test process dies,
    however it dies (even SIGKILL), so a crashed suite never leaves a server running."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except OSError:
        pass


_running: "set[VerifaceServer]" = set()


@atexit.register
def _stop_leftovers() -> None:
    """A suite whose setUpClass failed after start() may never call stop(): stop such servers
    (and delete their data folders) when the test process exits."""
    for server in list(_running):
        server.stop()


class VerifaceServer:
    """A `veriface serve` process on 127.0.0.1:<free port> with a fresh data folder.

    Use as a context manager (or call start() and stop()). Startup waits until GET /readyz
    answers 200 (the engines take a few seconds to load) and until the first administrator's
    one-time password has been printed, when the data folder is new.

    env adds to (or, with value None, removes from) the inherited environment, e.g. the
    VERIFACE_LDAP_* settings of a test. Pass data_dir to reuse a folder (a restart test); it is
    then kept, and no one-time password is expected. stdout and stderr are read together.
    """

    admin_username = "admin"

    def __init__(self, env: Mapping[str, str | None] | None = None, args: Sequence[str] = (),
                 data_dir: str | os.PathLike | None = None, ready_timeout: float = 120.0,
                 binary: str | None = None):
        self.binary = binary or os.environ.get("VERIFACE_BINARY") or str(REPO_ROOT / ".build/debug/veriface")
        self.extra_env = dict(env or {})
        self.extra_args = list(args)
        self.ready_timeout = ready_timeout
        self._owns_data_dir = data_dir is None
        self.data_dir = str(data_dir) if data_dir is not None else None
        self.port: int | None = None
        self.admin_password: str | None = None
        self.process: subprocess.Popen | None = None
        self._lines: list[str] = []
        self._lock = threading.Lock()
        self._password_seen = threading.Event()
        self._reader: threading.Thread | None = None
        self._ready = False

    # -- addresses -------------------------------------------------------------------------
    @property
    def host(self) -> str:
        """host:port as HTTP clients send it in the Host header (and as TC3 signs it)."""
        return f"127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        return f"http://{self.host}"

    def url(self, path: str) -> str:
        return self.base_url + path

    # -- output ----------------------------------------------------------------------------
    def stdout_text(self) -> str:
        """Everything the server has printed so far (stdout and stderr, in order)."""
        with self._lock:
            return "".join(self._lines)

    def _read_output(self, stream) -> None:
        echo = os.environ.get("VERIFACE_TEST_SERVER_OUTPUT") == "1"
        for raw in iter(stream.readline, b""):
            line = raw.decode("utf-8", errors="replace")
            with self._lock:
                self._lines.append(line)
            if echo:
                sys.stderr.write(f"[veriface:{self.port}] {line}")
            if self.admin_password is None and (match := ONE_TIME_PASSWORD.search(line)):
                self.admin_password = match.group(1)
                self._password_seen.set()
        stream.close()

    # -- life cycle ------------------------------------------------------------------------
    def start(self) -> "VerifaceServer":
        if not os.access(self.binary, os.X_OK):
            raise RuntimeError(f"{self.binary} is not an executable (build first: swift build)")
        if self.data_dir is None:
            self.data_dir = tempfile.mkdtemp(prefix="veriface-test-data-")
        self.port = free_port()
        env = dict(os.environ)
        for key, value in self.extra_env.items():
            if value is None:
                env.pop(key, None)
            else:
                env[key] = value
        command = [self.binary, "serve", "--host", "127.0.0.1", "--port", str(self.port),
                   "--data", self.data_dir, "--workers", "1", *self.extra_args]
        # stdbuf: a pipe makes C stdio buffer whole blocks; we want each line when printed.
        if shutil.which("stdbuf"):
            command = ["stdbuf", "-oL", "-eL", *command]
        self.process = subprocess.Popen(command, cwd=REPO_ROOT, env=env, stdin=subprocess.DEVNULL,
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                        preexec_fn=_die_with_parent)
        _running.add(self)
        self._reader = threading.Thread(target=self._read_output, args=(self.process.stdout,),
                                        name=f"veriface-{self.port}", daemon=True)
        self._reader.start()
        try:
            self._wait_until_ready()
            self._ready = True
            if self._owns_data_dir and not self._password_seen.wait(10):
                raise RuntimeError("the server is ready but printed no 'one-time password: ...' line "
                                   "for the first administrator (is its stdout flushed?)")
        except BaseException:
            self.stop()
            raise
        return self

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + self.ready_timeout
        last_error = "no answer yet"
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise RuntimeError(f"veriface serve exited with status {self.process.returncode} "
                                   f"before it was ready; its output:\n{self.stdout_text()[-4000:]}")
            try:
                with urllib.request.urlopen(self.url("/readyz"), timeout=2) as response:
                    if response.status == 200:
                        return
                    last_error = f"HTTP {response.status}"
            except urllib.error.HTTPError as error:
                last_error = f"HTTP {error.code}"
            except (urllib.error.URLError, OSError) as error:
                last_error = str(error)
            time.sleep(0.25)
        raise RuntimeError(f"GET /readyz did not answer 200 within {self.ready_timeout:.0f} s "
                           f"({last_error}); output:\n{self.stdout_text()[-4000:]}")

    def stop(self) -> None:
        """SIGTERM, then SIGKILL after 10 s; deletes the data folder if this object made it."""
        process, self.process = self.process, None
        _running.discard(self)
        if process is not None:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
            elif self._ready and process.returncode != 0:  # it died during the tests
                sys.stderr.write(f"veriface serve had exited with status {process.returncode}; "
                                 f"last output:\n{self.stdout_text()[-4000:]}\n")
        if self._reader is not None:
            self._reader.join(5)
            self._reader = None
        if self._owns_data_dir and self.data_dir and os.environ.get("VERIFACE_KEEP_TEST_DATA") != "1":
            shutil.rmtree(self.data_dir, ignore_errors=True)

    def __enter__(self) -> "VerifaceServer":
        return self.start()

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None:
            sys.stderr.write(f"--- veriface serve output (last 4000 characters) ---\n"
                             f"{self.stdout_text()[-4000:]}\n---\n")
        self.stop()


# -- console ---------------------------------------------------------------------------------
class ConsoleSession:
    """A signed-in console user (docs/console-api.md): keeps the vf_session cookie and sends
    the CSRF token on every request that changes something."""

    def __init__(self, server: VerifaceServer):
        import requests  # from the test venv

        self.server = server
        self.http = requests.Session()
        self.csrf_token: str | None = None
        self.user: dict[str, Any] | None = None

    def login(self, username: str, password: str, method: str = "local") -> dict[str, Any]:
        response = self.http.post(self.server.url("/console/api/login"),
                                  json={"username": username, "password": password, "method": method})
        if response.status_code != 200:
            raise AssertionError(f"login of {username} failed: HTTP {response.status_code} {response.text}")
        body = response.json()
        self.csrf_token, self.user = body["csrfToken"], body["user"]
        return body

    def login_admin(self) -> dict[str, Any]:
        """Signs in as the first administrator; if the server insists on a new password first,
        sets one (kept in server.admin_password) and signs in again."""
        body = self.login(self.server.admin_username, self.server.admin_password or "")
        if body["user"].get("mustChangePassword"):
            new = "Admin-" + base64.urlsafe_b64encode(os.urandom(12)).decode()
            self.post("/console/api/password", {"current": self.server.admin_password, "new": new}).raise_for_status()
            self.server.admin_password = new
            body = self.login(self.server.admin_username, new)
        return body

    def _headers(self) -> dict[str, str]:
        return {"X-CSRF-Token": self.csrf_token} if self.csrf_token else {}

    def get(self, path: str, **params: Any):
        return self.http.get(self.server.url(path), params=params)

    def post(self, path: str, body: Any = None):
        return self.http.post(self.server.url(path), json=body, headers=self._headers())

    def patch(self, path: str, body: Any):
        return self.http.patch(self.server.url(path), json=body, headers=self._headers())

    def delete(self, path: str):
        return self.http.delete(self.server.url(path), headers=self._headers())


# -- TC3-HMAC-SHA256 -------------------------------------------------------------------------
def sign_tc3(secret_id: str, secret_key: str, host: str, action: str, payload_json: str | bytes,
             service: str = "iai", timestamp: int | None = None, version: str = "2020-03-03",
             path: str = "/", method: str = "POST") -> dict[str, str]:
    """The headers of a POST signed exactly as Tencent Cloud's official Python SDK signs it.

    The canonical request, string to sign and HMAC chain come from the SDK itself
    (AbstractClient._get_tc3_signature -> Sign.sign_tc3 in tencentcloud-sdk-python-common);
    only the header values are put together here, as the SDK's _build_req_with_tc3_signature
    does. host is what the client sends as Host (127.0.0.1:PORT). path is the canonical URI:
    the SDK always posts to "/"; a request to /v1/faces/compare signs "/v1/faces/compare".
    Send payload_json byte for byte as the body.
    """
    from tencentcloud.common.abstract_client import AbstractClient
    from tencentcloud.common.http.request import RequestInternal

    timestamp = int(time.time()) if timestamp is None else int(timestamp)
    headers = {
        "Content-Type": "application/json",
        "Host": host,
        "X-TC-Action": action,
        "X-TC-Timestamp": str(timestamp),
        "X-TC-Version": version,
    }
    request = RequestInternal(host, method, path, dict(headers), payload_json)
    date = datetime.fromtimestamp(timestamp, timezone.utc).strftime("%Y-%m-%d")
    # _get_tc3_signature reads only its arguments; no client (and no network) is needed.
    signature = AbstractClient._get_tc3_signature(None, None, request, date, service, secret_key)
    headers["Authorization"] = (
        "TC3-HMAC-SHA256 Credential=%s/%s/%s/tc3_request, SignedHeaders=content-type;host, Signature=%s"
        % (secret_id, date, service, signature))
    return headers


def signed_post(server: VerifaceServer, path: str, action: str, body: Any, secret_id: str,
                secret_key: str, timestamp: int | None = None, service: str = "iai",
                version: str = "2020-03-03"):
    """POSTs body (a dict, or JSON text sent as is) to path, TC3-signed; the requests.Response."""
    import requests

    payload = body if isinstance(body, str) else json.dumps(body)
    headers = sign_tc3(secret_id, secret_key, server.host, action, payload, service=service,
                       timestamp=timestamp, version=version, path=path)
    return requests.post(server.url(path), data=payload.encode("utf-8"), headers=headers, timeout=60)


class SignedApplication:
    """An application made in the console (no QPS limit to speak of, any address) and its
    signed /v1 calls, each with its own timestamp so that equal bodies are not replays."""

    def __init__(self, server: VerifaceServer, console: "ConsoleSession", organisation: str, name: str):
        created = console.post("/console/api/applications", {"name": name, "organisationId": organisation,
                                                               "qpsLimit": 1000, "ipAllowList": []})
        assert created.status_code == 200, created.text
        self.server = server
        self.credential = created.json()["credential"]
        self.clock = int(time.time()) - 250

    def post(self, path: str, body: Any):
        # Never too far behind the server's clock (5 minutes).
        self.clock = max(self.clock + 1, int(time.time()) - 200)
        return signed_post(self.server, path, "Liveness", body, self.credential["secretId"], self.credential["secretKey"],
                           timestamp=self.clock)


# -- browser ---------------------------------------------------------------------------------
def chromium_driver(window_size: str = "1280,900", extra_arguments: Sequence[str] = ()):
    """A headless Chromium under Selenium, with Debian's chromium and chromedriver (or
    VERIFACE_CHROMIUM / VERIFACE_CHROMEDRIVER). --no-sandbox because CI runs as root.
    extra_arguments: e.g. a fake camera playing a .y4m file."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("VERIFACE_CHROMIUM", "/usr/bin/chromium")
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     f"--window-size={window_size}", "--lang=en-US", *extra_arguments):
        options.add_argument(argument)
    service = Service(executable_path=os.environ.get("VERIFACE_CHROMEDRIVER", "/usr/bin/chromedriver"))
    return webdriver.Chrome(options=options, service=service)


# -- running the suites ----------------------------------------------------------------------
def run_suites(pattern: str = "test_*.py") -> int:
    """Discovers and runs every suite here, as `python -m unittest discover -v` does, then
    prints `integration: P passed, F failed` for scripts/test. Only real successes count as
    passed: F is every discovered test that did not pass (failed, errored, skipped, or never
    run because its setUpClass failed, or a module that did not import)."""
    import unittest

    here = Path(__file__).resolve().parent
    suite = unittest.defaultTestLoader.discover(str(here), pattern=pattern, top_level_dir=str(here))
    total = suite.countTestCases()
    passed = 0

    class CountingResult(unittest.TextTestResult):
        def addSuccess(self, test):
            nonlocal passed
            passed += 1
            super().addSuccess(test)

    unittest.TextTestRunner(verbosity=2, resultclass=CountingResult).run(suite)
    failed = total - passed
    print(f"integration: {passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(run_suites(*sys.argv[1:2]))
