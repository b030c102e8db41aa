"""Colour-flash liveness end to end: a real `veriface serve`, Chromium with a fake camera,
Selenium (issue: colour flash and near-far liveness).

A bona fide session is modelled the way a phone's screen lights a face: Chromium's fake
camera plays a real clip (source_s18, a calm face), and screen_light.js, run in the page
before its own scripts, tints the face in every camera frame with the colour the page's
flash layer showed a camera delay earlier. The tint follows what the page painted and
when, as light does; a tint drawn into the file in advance would have to guess when the
page paints, and on a loaded machine Chromium's file camera and the page's clock drift
apart.

  tinted as shown            -> 0
  not tinted                 -> 1301  (a screen replay or an injected video takes on no colour)
  another sequence           -> 1301  (each colour shown tints the face with the one two steps earlier)
  tinted out of time         -> 1301  (the right colours 1.2 s late)
  still photo                -> 1301  (no light follows the screen)

Run: cd Tests/Integration && python -m unittest -v test_h5_colour_flash
"""

from __future__ import annotations

import json
import os
import sys
import unittest
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from h5_support import H5BrowserCase, ffmpeg  # noqa: E402
from harness import base64_file, data_file  # noqa: E402

CLIP = "videos/liveportrait/source_s18.mp4"
SCREEN_LIGHT = (Path(__file__).resolve().parent / "screen_light.js").read_text()
# Each colour as the page's flash layer reports it (its style.backgroundColor).
COLOURS = {"red": "rgb(255, 0, 0)", "green": "rgb(0, 255, 0)", "blue": "rgb(0, 0, 255)",
           "yellow": "rgb(255, 255, 0)", "magenta": "rgb(255, 0, 255)", "cyan": "rgb(0, 255, 255)",
           "white": "rgb(255, 255, 255)"}
# How strongly the screen's light shows on the skin (alpha of the colour over the face).
TINT = 0.25
# A phone camera's pipeline delay: the frame showing the light comes this much later.
CAMERA_DELAY = 0.15


class ColourFlashTest(H5BrowserCase):
    SCENE = {"sceneId": "colour", "name": "Colour", "mode": "colour_flash", "attemptLimit": 1}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The camera: the clip at 640x480, 15 fps, and where its face is.
        cls.camera = cls.folder / "clip.y4m"
        ffmpeg(["-i", str(data_file(CLIP)), "-vf", "scale=640:480:force_original_aspect_ratio=increase,crop=640:480,fps=15",
                "-pix_fmt", "yuv420p", str(cls.camera)])
        cls.still = cls.folder / "still.png"
        ffmpeg(["-ss", "3", "-i", str(cls.camera), "-frames:v", "1", str(cls.still)])
        reply = cls.call("/v1/faces/detect", {"image": base64_file(cls.still)})
        assert reply.status_code == 200, reply.text
        cls.box = reply.json()["faces"][0]["box"]

    def start(self) -> dict:
        started = super().start()
        self.assertIn("colourFlash", started, started)
        return started

    def screen_light(self, delay: float = CAMERA_DELAY, recolour: dict | None = None) -> str:
        """The page script that tints the face in each camera frame with the colour shown
        `delay` seconds earlier (mapped through `recolour`, by colour name, if given)."""
        box = self.box
        # The middle of the face, where the server reads the skin (and a little more).
        config = {"box": {"x": int(box["x"] + 0.1 * box["width"]), "y": int(box["y"] + 0.2 * box["height"]),
                          "width": int(0.8 * box["width"]), "height": int(0.7 * box["height"])},
                  "alpha": TINT, "delayMs": delay * 1000,
                  "recolour": {COLOURS[a]: COLOURS[b] for a, b in (recolour or {}).items()}}
        return f"window.screenLight = {json.dumps(config)};\n{SCREEN_LIGHT}"

    def flash(self, started: dict, camera: Path, light: str | None = None) -> tuple[str, dict, set]:
        """Runs the page; its code, the record and the colours the page was seen showing."""
        from selenium.webdriver.common.by import By

        seen: set = set()

        def watch(driver):
            if not seen:
                self.assertTrue(driver.find_element(By.CSS_SELECTOR, '[data-testid="flash-warning"]').is_displayed(),
                                "the page warns of the flashing before it starts")
                seen.add("warned")
            flash = driver.find_element(By.CSS_SELECTOR, '[data-testid="flash"]')
            if flash.is_displayed():
                seen.add(flash.value_of_css_property("background-color"))

        code, record, _ = self.run_page(started, camera, watch, init_script=light)
        print(f"\n  {self._testMethodName}: code {code}; {self.timeline_detail(record, 'colour_flash')}", flush=True)
        return code, record, seen - {"warned"}

    def test_a_face_lit_by_the_shown_colours_passes(self):
        code, record, colours = self.flash(self.start(), self.camera, self.screen_light())
        self.assertEqual(code, "0", self.timeline_detail(record, "colour_flash"))
        self.assertEqual(record["state"], "passed")
        self.assertGreaterEqual(len(colours), 3, "the page showed the colours")

    def test_an_untinted_clip_fails(self):
        code, record, _ = self.flash(self.start(), self.camera)
        self.assertEqual(code, "1301", self.timeline_detail(record, "colour_flash"))

    def test_a_clip_tinted_with_another_sequence_fails(self):
        started = self.start()
        shown = [step["colour"] for step in started["colourFlash"]["steps"]]
        # The same colours, each two places later: no step has its own colour.
        recolour = {colour: shown[(i - 2) % len(shown)] for i, colour in enumerate(shown)}
        code, record, _ = self.flash(started, self.camera, self.screen_light(recolour=recolour))
        self.assertEqual(code, "1301", self.timeline_detail(record, "colour_flash"))

    def test_a_clip_tinted_out_of_time_fails(self):
        code, record, _ = self.flash(self.start(), self.camera, self.screen_light(delay=CAMERA_DELAY + 1.2))
        self.assertEqual(code, "1301", self.timeline_detail(record, "colour_flash"))

    def test_a_still_photo_fails(self):
        still = self.folder / "still.y4m"
        # With a camera's sensor noise, so the light check, not the still-picture check, decides.
        ffmpeg(["-loop", "1", "-i", str(self.still), "-t", "12", "-vf", "fps=15,noise=alls=3:allf=t", "-pix_fmt", "yuv420p", str(still)])
        code, record, _ = self.flash(self.start(), still)
        self.assertEqual(code, "1301", self.timeline_detail(record, "colour_flash"))


if __name__ == "__main__":
    unittest.main()
