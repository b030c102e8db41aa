"""What the H5 browser suites share: a real `veriface serve` with one signed application,
signed calls, ffmpeg, and one run of the H5 page in Chromium with a file as the camera."""

from __future__ import annotations

import subprocess
import tempfile
import time
import unittest
from pathlib import Path

from harness import ConsoleSession, SignedApplication, VerifaceServer, chromium_driver


def ffmpeg(arguments: list[str]) -> None:
    completed = subprocess.run(["ffmpeg", "-v", "error", "-y"] + arguments, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if completed.returncode != 0:
        raise AssertionError(f"ffmpeg failed: {completed.stderr[-2000:]}")


class H5BrowserCase(unittest.TestCase):
    """Subclasses set SCENE (the /v1/scenes body) and get `cls.server`, `cls.folder`, `call`,
    `start` and `run_page`."""

    SCENE: dict = {}

    @classmethod
    def setUpClass(cls):
        cls.server = VerifaceServer().start()
        cls.folder = Path(tempfile.mkdtemp(prefix="veriface-h5-"))
        console = ConsoleSession(cls.server)
        organisation = console.login_admin()["user"]["organisationId"]
        cls.application = SignedApplication(cls.server, console, organisation, "h5")
        reply = cls.call("/v1/scenes", cls.SCENE)
        assert reply.status_code == 200, reply.text

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        subprocess.run(["rm", "-rf", str(cls.folder)])

    @classmethod
    def call(cls, path: str, body: dict):
        return cls.application.post(path, body)

    def start(self) -> dict:
        reply = self.call("/v1/verifications", {"sceneId": self.SCENE["sceneId"]})
        self.assertEqual(reply.status_code, 200, reply.text)
        return reply.json()["result"]

    def run_page(self, started: dict, camera: Path, watch=None, seconds: float = 60,
                 init_script: str | None = None) -> tuple[str, dict, list[str]]:
        """Opens the H5 link with `camera` as the webcam and presses start; the result code
        shown, the verification's record and the instructions seen. `watch(driver)` runs
        before start and then every 0.1 s while the page runs; `init_script` runs in the
        page before its own scripts."""
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support import expected_conditions as ready
        from selenium.webdriver.support.ui import WebDriverWait

        driver = chromium_driver("412,915", ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
                                             f"--use-file-for-fake-video-capture={camera}"])
        try:
            if init_script:
                driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": init_script})
            driver.get(started["url"] + "&lang=en")
            start = WebDriverWait(driver, 20).until(ready.element_to_be_clickable((By.CSS_SELECTOR, '[data-testid="start-button"]')))
            if watch:
                watch(driver)
            start.click()
            instructions: list[str] = []
            deadline = time.time() + seconds
            while time.time() < deadline:
                if driver.find_element(By.CSS_SELECTOR, '[data-testid="result"]').is_displayed():
                    code = driver.find_element(By.CSS_SELECTOR, '[data-testid="result-code"]').text.strip()
                    record = self.call("/v1/verifications/result", {"bizToken": started["bizToken"]}).json()["result"]
                    return code, record, instructions
                text = driver.find_element(By.CSS_SELECTOR, '[data-testid="instruction-text"]').text.strip()
                if text and (not instructions or instructions[-1] != text):
                    instructions.append(text)
                if watch:
                    watch(driver)
                time.sleep(0.1)
            self.fail(f"no result within {seconds} s; instructions seen: {instructions}")
        finally:
            driver.quit()

    @staticmethod
    def timeline_detail(record: dict, kind: str) -> str:
        return next((e["detail"] for e in record.get("timeline", []) if e["kind"] == kind), f"no {kind} verdict")
