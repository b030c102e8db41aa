"""The H5 liveness page (Sources/Liveness/Web/h5) in a headless Chromium, against a mock
server in this file: no `veriface serve` is needed.

1. Frame encryption: Web/h5/frame-crypto.js, run in the page, must produce byte for byte the
   envelope of the known-answer vector that Tests/LivenessTests/FrameCryptoKnownAnswerTests
   pins the Swift side to (computed independently with pyca/cryptography; see there). A key
   pair the page generates itself must also open with pyca/cryptography on the server side.
2. The page: a session error shows its code; a browser without a camera shows 3001; a whole
   session with Chromium's fake camera (hello, ready, hints, progress, result, redirect), where
   the mock server decrypts every frame and checks counters, capture times and JPEG size.

The mock serves the h5 folder at /h5/ with the strict CSP the real server uses, so a CSP
violation (inline script or style) shows up as a browser log error and fails the test.
Pages are read only through data-testid attributes:
  screen-intro start-button screen-camera instruction-text (data-action) instruction-icon
  preview progress (data-done, data-total) progress-text hint hint-text (data-hint) hint-icon
  status result (data-passed) result-title result-code result-message result-redirect
  result-icon retry-button

Run: cd Tests/Integration && python -m unittest -v test_h5_crypto
"""

from __future__ import annotations

import base64
import hashlib
import json
import mimetypes
import os
import queue
import struct
import sys
import threading
import time
import unittest
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import REPO_ROOT  # noqa: E402

from cryptography.hazmat.primitives import hashes  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ec  # noqa: E402
from cryptography.hazmat.primitives.ciphers.aead import AESGCM  # noqa: E402
from cryptography.hazmat.primitives.kdf.hkdf import HKDF  # noqa: E402
from selenium import webdriver  # noqa: E402
from selenium.common.exceptions import StaleElementReferenceException  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

H5_ROOT = REPO_ROOT / "Sources/Liveness/Web/h5"
WAIT_SECONDS = 20

# The known-answer vector; the same numbers are in FrameCryptoKnownAnswerTests.swift.
VECTOR = {
    "serverPrivateScalar": "7d3b5b0c2b7f3c4a1e9d8f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e0f1a2b3c",
    "serverPublicRaw": "0457899e5c5d959d741d56a498c0b1ed07e0ccbe732eccde51feeb480c049e7710"
                       "c4f671bee551e117d4c3fecfdd270fdcf75cc9ff0c2ab42bd6892a25d8b9777c",
    # The client private scalar 1c2b3a49…5f60 as a JWK: WebCrypto cannot import a raw
    # private scalar, and a generated key (as the page makes) could not be fixed.
    "clientJWK": {"kty": "EC", "crv": "P-256", "x": "lJ4ZRSkdSIk9UvYO0H3srT2ovD7iAzTI3tcFqaFfH2Q",
                  "y": "ZQ8XDWA-lHBykBNA_2JpUZxfu0tWMfSOyL1S8nl2Nu0",
                  "d": "HCs6SVhndoWUChssPU5fYHGCk6S1xtfo-QobLD1OX2A"},
    "sessionId": "0123456789abcdef0123456789abcdef",
    "payload": "ffd8ffe07665726966616365206b6e6f776e20616e73776572ffd9",
    "counter": 1,
    "captureMillis": 1795000000000,
    "envelope": "0000000000000001000001a1ee565e00"
                "27a28de091b835ed0941b6a38e34254e2388b513d5337e44c15cddcf78381de779685236e06c4e8f51b674",
}
# The policy Sources/WebAPI/Liveness/H5Routes.swift serves the page with (connect-src 'self'
# covers ws:// to the same host in CSP 3).
PAGE_CSP = ("default-src 'self'; img-src 'self' data: blob:; media-src 'self' blob: mediastream:; "
            "style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; "
            "base-uri 'none'; form-action 'self'")
SERVER_KEY = ec.derive_private_key(int(VECTOR["serverPrivateScalar"], 16), ec.SECP256R1())
SERVER_PUBLIC_B64 = base64.b64encode(bytes.fromhex(VECTOR["serverPublicRaw"])).decode()


def frame_key(client_public_raw: bytes, session_id: str) -> bytes:
    """The server's derivation, written from the protocol text with pyca/cryptography."""
    client = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), client_public_raw)
    shared = SERVER_KEY.exchange(ec.ECDH(), client)
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=session_id.encode(),
                info=b"veriface-h5-frames-v1").derive(shared)


def open_envelope(key: bytes, envelope: bytes) -> tuple[int, int, bytes]:
    header = envelope[:16]
    counter, capture = struct.unpack(">QQ", header)
    payload = AESGCM(key).decrypt(b"VFH5" + header[:8], envelope[16:], header)
    return counter, capture, payload


def jpeg_size(data: bytes) -> tuple[int, int]:
    """(width, height) from the first SOFn marker."""
    i = 2
    while i + 9 < len(data):
        if data[i] != 0xFF:
            raise ValueError("not a JPEG marker")
        marker, length = data[i + 1], struct.unpack(">H", data[i + 2:i + 4])[0]
        if marker in (0xC0, 0xC1, 0xC2):
            height, width = struct.unpack(">HH", data[i + 5:i + 9])
            return width, height
        i += 2 + length
    raise ValueError("no SOF marker")


# -- a minimal WebSocket (RFC 6455) over the handler's socket: unfragmented frames only --------
WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


class WebSocketConnection:
    def __init__(self, handler: BaseHTTPRequestHandler):
        self.rfile, self.wfile = handler.rfile, handler.wfile
        self.socket = handler.connection
        self.lock = threading.Lock()

    def receive(self) -> tuple[int, bytes]:
        first, second = self.rfile.read(2)
        opcode, length = first & 0x0F, second & 0x7F
        if length == 126:
            length = struct.unpack(">H", self.rfile.read(2))[0]
        elif length == 127:
            length = struct.unpack(">Q", self.rfile.read(8))[0]
        mask = self.rfile.read(4) if second & 0x80 else bytes(4)
        data = bytearray(self.rfile.read(length))
        for i in range(length):
            data[i] ^= mask[i % 4]
        return opcode, bytes(data)

    def _send(self, opcode: int, payload: bytes) -> None:
        n = len(payload)
        head = bytes([0x80 | opcode]) + (bytes([n]) if n < 126 else
                                         bytes([126]) + struct.pack(">H", n) if n < 65536 else
                                         bytes([127]) + struct.pack(">Q", n))
        with self.lock:
            self.wfile.write(head + payload)
            self.wfile.flush()

    def send_json(self, value) -> None:
        self._send(0x1, json.dumps(value).encode())

    def close(self, code: int = 1000) -> None:
        try:
            self._send(0x8, struct.pack(">H", code))
        except OSError:
            pass


class MockH5Server:
    """Serves the h5 folder at /h5/ (index.html at /h5/verify), a scripted /h5/api/session,
    /blank and /done pages, and /h5/ws driven by `ws_script(conn, hello)` of the test."""

    def __init__(self):
        self.session_body: dict = {}
        self.ws_script = None
        mock = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep the test output readable
                pass

            def do_GET(self):
                url = urlsplit(self.path)
                if url.path == "/h5/ws":
                    return mock.websocket(self)
                if url.path == "/h5/api/session":
                    return self.reply(200, "application/json", json.dumps(mock.session_body).encode())
                if url.path == "/favicon.ico":  # asked for by the blank pages
                    return self.reply(204, "image/x-icon", b"")
                if url.path in ("/blank", "/done"):
                    return self.reply(200, "text/html; charset=utf-8", b"<!doctype html><title>t</title>")
                name = "index.html" if url.path == "/h5/verify" else url.path.removeprefix("/h5/")
                file = (H5_ROOT / name).resolve()
                if not url.path.startswith("/h5/") or H5_ROOT.resolve() not in file.parents or not file.is_file():
                    return self.reply(404, "text/plain", b"not found")
                kind = "text/javascript" if file.suffix == ".js" else mimetypes.guess_type(file.name)[0]
                return self.reply(200, kind or "application/octet-stream", file.read_bytes())

            def reply(self, status: int, kind: str, body: bytes):
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "no-store")
                self.send_header("Content-Security-Policy", PAGE_CSP)
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        self.base_url = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def websocket(self, handler: BaseHTTPRequestHandler) -> None:
        key = handler.headers["Sec-WebSocket-Key"]
        accept = base64.b64encode(hashlib.sha1((key + WS_GUID).encode()).digest()).decode()
        handler.send_response(101)
        handler.send_header("Upgrade", "websocket")
        handler.send_header("Connection", "Upgrade")
        handler.send_header("Sec-WebSocket-Accept", accept)
        handler.end_headers()
        handler.wfile.flush()
        handler.close_connection = True
        conn = WebSocketConnection(handler)
        opcode, data = conn.receive()
        if opcode != 0x1 or self.ws_script is None:
            conn.close(1002)
            return
        try:
            self.ws_script(conn, json.loads(data))
        finally:
            conn.close()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def make_driver(*arguments: str):
    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("VERIFACE_CHROMIUM", "/usr/bin/chromium")
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     "--window-size=390,844", "--lang=en-US", *arguments):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = Service(executable_path=os.environ.get("VERIFACE_CHROMEDRIVER", "/usr/bin/chromedriver"))
    return webdriver.Chrome(options=options, service=service)


def css(testid: str) -> tuple[str, str]:
    return By.CSS_SELECTOR, f'[data-testid="{testid}"]'


class H5Case(unittest.TestCase):
    server: MockH5Server
    browser_arguments: tuple[str, ...] = ()

    @classmethod
    def setUpClass(cls):
        cls.server = MockH5Server()
        cls.addClassCleanup(cls.server.stop)

    def setUp(self):
        self.driver = make_driver(*self.browser_arguments)
        self.addCleanup(self.driver.quit)

    def wait(self, timeout: float = WAIT_SECONDS) -> WebDriverWait:
        return WebDriverWait(self.driver, timeout, ignored_exceptions=(StaleElementReferenceException,))

    def text_of(self, testid: str) -> str:
        elements = self.driver.find_elements(*css(testid))
        return elements[0].text if elements else ""

    def wait_text(self, testid: str, expected: str, timeout: float = WAIT_SECONDS) -> None:
        self.wait(timeout).until(lambda d: self.text_of(testid) == expected,
                                 f"{testid} never read {expected!r} (last: {self.text_of(testid)!r})")

    def assert_no_browser_errors(self, allowed: tuple[str, ...] = ()) -> None:
        errors = [entry["message"] for entry in self.driver.get_log("browser")
                  if entry["level"] == "SEVERE" and not any(a in entry["message"] for a in allowed)]
        self.assertEqual(errors, [], "the page logged errors (a CSP violation?)")

    def run_async(self, script: str, *args):
        self.driver.set_script_timeout(WAIT_SECONDS)
        result = self.driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            f"(async () => {{ {script} }})().then(done, (e) => done({{error: String(e && e.stack || e)}}));",
            *args)
        if isinstance(result, dict) and "error" in result:
            self.fail(f"page script failed: {result['error']}")
        return result


class FrameCryptoInBrowserTests(H5Case):
    """frame-crypto.js agrees with the protocol, with Swift (same vector) and with pyca."""

    def setUp(self):
        super().setUp()
        self.driver.get(self.server.base_url + "/blank")

    def test_envelope_matches_the_known_answer(self):
        envelope = self.run_async("""
            const [jwk, serverHex, sessionId, payloadHex, counter, captureMillis] = arguments;
            const fc = await import('/h5/frame-crypto.js');
            const hex = (s) => Uint8Array.from(s.match(/../g), (b) => parseInt(b, 16));
            const toHex = (b) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
            const priv = await crypto.subtle.importKey('jwk', jwk, {name: 'ECDH', namedCurve: 'P-256'}, false, ['deriveBits']);
            const key = await fc.deriveFrameKey(priv, hex(serverHex), sessionId);
            const direct = await fc.sealFrame(key, counter, captureMillis, hex(payloadHex));
            const viaSealer = await new fc.FrameSealer(key).seal(hex(payloadHex), captureMillis);
            return [toHex(direct), toHex(viaSealer)];
        """, VECTOR["clientJWK"], VECTOR["serverPublicRaw"], VECTOR["sessionId"], VECTOR["payload"],
            VECTOR["counter"], VECTOR["captureMillis"])
        self.assertEqual(envelope, [VECTOR["envelope"], VECTOR["envelope"]])

    def test_a_page_generated_channel_opens_on_the_server_side(self):
        result = self.run_async("""
            const [serverB64, sessionId] = arguments;
            const fc = await import('/h5/frame-crypto.js');
            const keys = await fc.generateClientKeys();
            const channel = await fc.openFrameChannel(serverB64, sessionId);
            const payload = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 0xff, 0xd9]);
            const first = await channel.sealer.seal(payload, 1700000000123);
            const second = await channel.sealer.seal(payload, 1700000000206);
            return {publicKey: channel.publicKeyBase64, frames: [fc.bytesToBase64(first), fc.bytesToBase64(second)],
                    generatedLength: keys.publicKeyRaw.length, extractable: keys.privateKey.extractable};
        """, SERVER_PUBLIC_B64, "session-for-pyca")
        self.assertEqual(result["generatedLength"], 65)
        self.assertFalse(result["extractable"], "the page's private key must not be extractable")
        client_raw = base64.b64decode(result["publicKey"])
        self.assertEqual((len(client_raw), client_raw[0]), (65, 4))
        key = frame_key(client_raw, "session-for-pyca")
        opened = [open_envelope(key, base64.b64decode(f)) for f in result["frames"]]
        self.assertEqual([(c, t) for c, t, _ in opened], [(1, 1700000000123), (2, 1700000000206)])
        self.assertEqual(opened[0][2], bytes([0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3, 0xFF, 0xD9]))
        self.assert_no_browser_errors()


def session_body(**overrides) -> dict:
    body = {"sessionId": "a" * 32, "mode": "action", "actions": ["blink", "turn_left"], "actionTimeLimit": 8,
            "expiresAt": "2030-01-01T00:00:00Z", "serverPublicKey": SERVER_PUBLIC_B64, "frameInterval": 83,
            "redirectUrl": None}
    body.update(overrides)
    return body


class PageWithoutCameraTests(H5Case):
    """Headless Chromium without fake-camera flags has no camera: getUserMedia fails."""

    def test_a_session_error_shows_its_code_and_message(self):
        self.server.session_body = {"Error": {"Code": 15, "Message": "BizToken expired"}}
        self.driver.get(self.server.base_url + "/h5/verify?token=T1&lang=en")
        self.wait_text("result-code", "15")
        self.assertEqual(self.text_of("result-message"), "This verification link has expired; please start again")
        self.assertEqual(self.driver.find_element(*css("result")).get_attribute("data-passed"), "false")
        self.driver.get(self.server.base_url + "/h5/verify?token=T1&lang=zh")
        self.wait_text("result-message", "核验链接已过期，请重新发起")
        self.assertEqual(self.driver.execute_script("return document.documentElement.lang"), "zh-CN")
        self.assert_no_browser_errors()

    def test_no_camera_shows_3001_and_offers_a_retry(self):
        self.server.session_body = session_body()
        self.driver.get(self.server.base_url + "/h5/verify?token=T2&lang=en")
        self.wait().until(lambda d: d.find_element(*css("start-button")).is_enabled(), "start never enabled")
        self.assertEqual(self.text_of("start-button"), "Start")
        self.driver.find_element(*css("start-button")).click()
        self.wait_text("result-code", "3001")
        self.assertIn("camera", self.text_of("result-message"))
        self.assertTrue(self.driver.find_element(*css("retry-button")).is_displayed())
        self.assert_no_browser_errors()


class PageSessionTests(H5Case):
    """A whole session with Chromium's fake camera against the scripted socket."""

    browser_arguments = ("--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream")

    def test_a_passing_session_from_hello_to_redirect(self):
        session_id = "0f" * 16
        self.server.session_body = session_body(sessionId=session_id)
        steps: "queue.Queue[str]" = queue.Queue()   # the test says when it saw each step
        seen: dict = {"frames": [], "hello": None, "errors": []}

        def script(conn: WebSocketConnection, hello: dict) -> None:
            seen["hello"] = hello
            key = frame_key(base64.b64decode(hello["clientPublicKey"]), session_id)
            conn.send_json({"type": "ready", "actions": ["blink", "turn_left"], "current": 0})
            plan = [({"type": "hint", "hints": ["too_far"], "frame": 3}, 3),
                    ({"type": "progress", "current": 1, "done": [{"action": "blink", "startedAt": 0.2, "completedAt": 0.5}]}, 6),
                    ({"type": "hint", "hints": [], "frame": 9}, 9),
                    ({"type": "progress", "current": 2, "done": []}, 12),
                    ({"type": "result", "passed": True, "code": 0, "message": "ok",
                      "redirectUrl": self.server.base_url + "/done?token=T3"}, 15)]
            deadline = time.monotonic() + 60
            while plan and time.monotonic() < deadline:
                opcode, data = conn.receive()
                if opcode == 0x8:
                    return
                if opcode != 0x2:
                    continue
                try:
                    counter, capture, payload = open_envelope(key, data)
                    seen["frames"].append((counter, capture, time.time(), jpeg_size(payload), payload[:3], payload[-2:]))
                except Exception as error:  # noqa: BLE001 - reported by the test thread
                    seen["errors"].append(repr(error))
                    return
                message, after = plan[0]
                if len(seen["frames"]) >= after and (after == 3 or not steps.empty()):
                    if after != 3:
                        steps.get()
                    conn.send_json(message)
                    plan.pop(0)

        self.server.ws_script = script
        self.driver.get(self.server.base_url + "/h5/verify?token=T3&lang=en")
        self.wait().until(lambda d: d.find_element(*css("start-button")).is_enabled(), "start never enabled")
        self.driver.find_element(*css("start-button")).click()

        self.wait_text("hint-text", "Move closer")
        self.assertEqual(self.text_of("instruction-text"), "Blink your eyes")
        self.assertEqual(self.text_of("progress-text"), "0/2")
        # The preview is mirrored for the user; the frames (checked below) come from the video.
        transform = self.driver.execute_script(
            "return getComputedStyle(document.querySelector('[data-testid=preview]')).transform")
        self.assertEqual(transform, "matrix(-1, 0, 0, 1, 0, 0)")
        steps.put("hint")
        self.wait_text("instruction-text", "Turn your head to the left")
        progress = self.driver.find_element(*css("progress"))
        self.assertEqual((progress.get_attribute("data-done"), progress.get_attribute("data-total")), ("1", "2"))
        steps.put("progress")
        self.wait_text("hint-text", "Good, hold it there")
        steps.put("hint cleared")
        self.wait_text("progress-text", "2/2")
        steps.put("all done")
        self.wait_text("result-code", "0")
        self.assertEqual(self.text_of("result-title"), "Verified")
        self.assertEqual(self.text_of("result-message"), "Verification succeeded")
        self.assertTrue(self.driver.find_element(*css("result-redirect")).is_displayed())
        self.wait(10).until(lambda d: d.current_url.endswith("/done?token=T3"), "no redirect after the result")

        self.assertEqual(seen["errors"], [])
        hello = seen["hello"]
        self.assertEqual(hello["type"], "hello")
        self.assertRegex(hello["device"]["screen"], r"^\d+x\d+$")
        self.assertTrue(hello["device"]["userAgent"])
        frames = seen["frames"]
        self.assertGreaterEqual(len(frames), 15)
        self.assertEqual([f[0] for f in frames], list(range(1, len(frames) + 1)), "counters must run 1, 2, 3, …")
        captures = [f[1] for f in frames]
        self.assertEqual(captures, sorted(captures), "capture times must not go back")
        for counter, capture, received, size, head, tail in frames:
            self.assertLess(abs(received * 1000 - capture), 5000, f"frame {counter} is stale")
            self.assertIn(size, [(640, 480), (480, 640)])
            self.assertEqual((head, tail), (b"\xff\xd8\xff", b"\xff\xd9"))
        mean_gap = (captures[-1] - captures[0]) / (len(captures) - 1)
        self.assertGreaterEqual(mean_gap, 83 * 0.8, "frames come faster than frameInterval")
        self.assert_no_browser_errors()

    def test_a_refused_frame_ends_the_session_with_its_code(self):
        self.server.session_body = session_body(redirectUrl="https://example.invalid/back")
        frames_after_error: list = []

        def script(conn: WebSocketConnection, hello: dict) -> None:
            conn.send_json({"type": "ready", "actions": ["nod"], "current": 0})
            for _ in range(2):
                conn.receive()
            conn.send_json({"type": "error", "code": 4103, "message": "stale frame"})
            # Anything that still arrives (before the page's close frame) is a frame too many.
            conn.socket.settimeout(1.5)
            try:
                while True:
                    opcode, _ = conn.receive()
                    if opcode == 0x8:
                        break
                    frames_after_error.append(opcode)
            except (OSError, ValueError):
                pass

        self.server.ws_script = script
        self.driver.get(self.server.base_url + "/h5/verify?token=T4&lang=en")
        self.wait().until(lambda d: d.find_element(*css("start-button")).is_enabled(), "start never enabled")
        self.driver.find_element(*css("start-button")).click()
        self.wait_text("result-code", "4103")
        self.assertEqual(self.text_of("result-title"), "Not verified")
        self.assertEqual(self.text_of("result-message"),
                         "The frames' time is wrong: check your phone's clock and try again")
        self.assertFalse(self.driver.find_element(*css("result-redirect")).is_displayed(),
                         "an error has no redirect: only a result carries one")
        time.sleep(2.5)
        self.assertIn("/h5/verify", self.driver.current_url)
        self.assertLessEqual(len(frames_after_error), 2, "the page kept streaming after the error")
        self.assert_no_browser_errors()


if __name__ == "__main__":
    unittest.main(verbosity=2)
