"""Colour-flash liveness end to end: a real `veriface serve`, Chromium with a fake camera,
Selenium (issue: colour flash and near-far liveness).

A bona fide session is modelled the way a phone's screen lights a face: the test reads the
colour sequence the server drew (StartVerification answers it), and tints the face of a
real clip (source_s18, a calm face) with each colour for the time the page will show it.
The page starts the flash 3 s after its camera opens (`startAfter`), and Chromium's fake
camera starts playing its file when it opens, so file time 3 s + the sequence's own times
is when the page paints each colour (give or take the page's start-up, which the server's
search over camera delays absorbs).

  tinted in time          -> 0
  not tinted              -> 1301  (a screen replay or an injected video takes on no colour)
  another sequence        -> 1301  (the same colours in another order)
  tinted out of time      -> 1301  (the right sequence 1.2 s late)
  still photo             -> 1301 or a precise code (no light follows the screen)

Run: cd Tests/Integration && python -m unittest -v test_h5_colour_flash
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
import unittest
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import ConsoleSession, VerifaceServer, base64_file, chromium_driver, data_file, sign_tc3  # noqa: E402

CLIP = "videos/liveportrait/source_s18.mp4"
COLOURS = {"red": "0xFF0000", "green": "0x00FF00", "blue": "0x0000FF", "yellow": "0xFFFF00",
           "magenta": "0xFF00FF", "cyan": "0x00FFFF", "white": "0xFFFFFF"}
# How strongly the screen's light shows on the skin (alpha of the colour over the face).
TINT = 0.25
# The page paints a colour a little after its camera opened; the tint follows by this much.
TINT_DELAY = 0.2


def run(command: list[str]) -> None:
    completed = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if completed.returncode != 0:
        raise AssertionError(f"{command[0]} failed: {completed.stderr[-2000:]}")


class ColourFlashTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = VerifaceServer().start()
        cls.folder = Path(tempfile.mkdtemp(prefix="veriface-colour-"))
        console = ConsoleSession(cls.server)
        organisation = console.login_admin()["user"]["organisationId"]
        created = console.post("/console/api/applications", {"name": "colour", "organisationId": organisation,
                                                               "qpsLimit": 1000, "ipAllowList": []})
        assert created.status_code == 200, created.text
        cls.credential = created.json()["credential"]
        cls.clock = int(time.time()) - 250
        reply = cls.call("/v1/scenes", {"sceneId": "colour", "name": "Colour", "mode": "colour_flash", "attemptLimit": 1})
        assert reply.status_code == 200, reply.text
        # The camera: the clip at 640x480, 15 fps, and where its face is.
        cls.camera = cls.folder / "clip.y4m"
        run(["ffmpeg", "-v", "error", "-y", "-i", str(data_file(CLIP)),
             "-vf", "scale=640:480:force_original_aspect_ratio=increase,crop=640:480,fps=15", "-pix_fmt", "yuv420p", str(cls.camera)])
        still = cls.folder / "still.png"
        run(["ffmpeg", "-v", "error", "-y", "-ss", "3", "-i", str(cls.camera), "-frames:v", "1", str(still)])
        cls.still = still
        reply = cls.call("/v1/faces/detect", {"image": base64_file(still)})
        assert reply.status_code == 200, reply.text
        cls.box = reply.json()["faces"][0]["box"]

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        subprocess.run(["rm", "-rf", str(cls.folder)])

    @classmethod
    def call(cls, path: str, body: dict):
        import requests

        payload = json.dumps(body)
        cls.clock = max(cls.clock + 1, int(time.time()) - 200)
        headers = sign_tc3(cls.credential["secretId"], cls.credential["secretKey"], cls.server.host, "Liveness", payload,
                           path=path, timestamp=cls.clock)
        return requests.post(cls.server.url(path), data=payload.encode(), headers=headers, timeout=60)

    def start(self) -> dict:
        reply = self.call("/v1/verifications", {"sceneId": "colour"})
        self.assertEqual(reply.status_code, 200, reply.text)
        started = reply.json()["result"]
        self.assertIn("colourFlash", started, started)
        return started

    def tinted(self, source: Path, steps: list[dict], start: float, name: str) -> Path:
        """`source` with the face tinted by each step's colour from `start` seconds on."""
        box = self.box
        # The middle of the face, where the server reads the skin (and a little more).
        x, y = int(box["x"] + 0.1 * box["width"]), int(box["y"] + 0.2 * box["height"])
        w, h = int(0.8 * box["width"]), int(0.7 * box["height"])
        filters, at = [], start
        for step in steps:
            end = at + step["millis"] / 1000
            filters.append(f"drawbox=x={x}:y={y}:w={w}:h={h}:color={COLOURS[step['colour']]}@{TINT}:t=fill"
                           f":enable='between(t,{at:.3f},{end:.3f})'")
            at = end
        out = self.folder / f"{name}.y4m"
        run(["ffmpeg", "-v", "error", "-y", "-i", str(source), "-vf", ",".join(filters), "-pix_fmt", "yuv420p", str(out)])
        return out

    def run_page(self, started: dict, camera: Path) -> tuple[str, dict]:
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support import expected_conditions as ready
        from selenium.webdriver.support.ui import WebDriverWait

        driver = chromium_driver("412,915", ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
                                             f"--use-file-for-fake-video-capture={camera}"])
        try:
            driver.get(started["url"] + "&lang=en")
            start = WebDriverWait(driver, 20).until(ready.element_to_be_clickable((By.CSS_SELECTOR, '[data-testid="start-button"]')))
            self.assertTrue(driver.find_element(By.CSS_SELECTOR, '[data-testid="flash-warning"]').is_displayed(),
                            "the page warns of the flashing before it starts")
            start.click()
            colours_seen = set()
            deadline = time.time() + 60
            while time.time() < deadline:
                if driver.find_element(By.CSS_SELECTOR, '[data-testid="result"]').is_displayed():
                    code = driver.find_element(By.CSS_SELECTOR, '[data-testid="result-code"]').text.strip()
                    record = self.call("/v1/verifications/result", {"bizToken": started["bizToken"]}).json()["result"]
                    record["coloursSeen"] = colours_seen
                    print(f"\n  {self._testMethodName}: code {code}; {self.flash_detail(record)}", flush=True)
                    return code, record
                flash = driver.find_element(By.CSS_SELECTOR, '[data-testid="flash"]')
                if flash.is_displayed():
                    colours_seen.add(flash.value_of_css_property("background-color"))
                time.sleep(0.1)
            self.fail("no result within 60 s")
        finally:
            driver.quit()

    def flash_detail(self, record: dict) -> str:
        return next((e["detail"] for e in record.get("timeline", []) if e["kind"] == "colour_flash"), "no colour-flash verdict")

    def test_a_face_lit_by_the_shown_colours_passes(self):
        started = self.start()
        flash = started["colourFlash"]
        camera = self.tinted(self.camera, flash["steps"], flash["startAfter"] + TINT_DELAY, "bona-fide")
        code, record = self.run_page(started, camera)
        self.assertEqual(code, "0", self.flash_detail(record))
        self.assertEqual(record["state"], "passed")
        self.assertGreaterEqual(len(record["coloursSeen"]), 3, "the page showed the colours")

    def test_an_untinted_clip_fails(self):
        started = self.start()
        code, record = self.run_page(started, self.camera)
        self.assertEqual(code, "1301", self.flash_detail(record))

    def test_a_clip_tinted_with_another_sequence_fails(self):
        started = self.start()
        steps = started["colourFlash"]["steps"]
        # The same colours, each two places later: no step has its own colour.
        other = [{"colour": steps[(i - 2) % len(steps)]["colour"], "millis": step["millis"]} for i, step in enumerate(steps)]
        camera = self.tinted(self.camera, other, started["colourFlash"]["startAfter"] + TINT_DELAY, "other-sequence")
        code, record = self.run_page(started, camera)
        self.assertEqual(code, "1301", self.flash_detail(record))

    def test_a_clip_tinted_out_of_time_fails(self):
        started = self.start()
        flash = started["colourFlash"]
        camera = self.tinted(self.camera, flash["steps"], flash["startAfter"] + TINT_DELAY + 1.2, "late")
        code, record = self.run_page(started, camera)
        self.assertEqual(code, "1301", self.flash_detail(record))

    def test_a_still_photo_fails(self):
        started = self.start()
        still = self.folder / "still.y4m"
        run(["ffmpeg", "-v", "error", "-y", "-loop", "1", "-i", str(self.still), "-t", "12", "-vf", "fps=15",
             "-pix_fmt", "yuv420p", str(still)])
        code, record = self.run_page(started, still)
        self.assertEqual(code, "1301", self.flash_detail(record))


if __name__ == "__main__":
    unittest.main()
