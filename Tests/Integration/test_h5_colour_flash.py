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
  still photo             -> 1301  (no light follows the screen)

Run: cd Tests/Integration && python -m unittest -v test_h5_colour_flash
"""

from __future__ import annotations

import os
import sys
import unittest
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from h5_support import H5BrowserCase, ffmpeg  # noqa: E402
from harness import base64_file, data_file  # noqa: E402

CLIP = "videos/liveportrait/source_s18.mp4"
COLOURS = {"red": "0xFF0000", "green": "0x00FF00", "blue": "0x0000FF", "yellow": "0xFFFF00",
           "magenta": "0xFF00FF", "cyan": "0x00FFFF", "white": "0xFFFFFF"}
# How strongly the screen's light shows on the skin (alpha of the colour over the face).
TINT = 0.25
# The page paints a colour a little after its camera opened; the tint follows by this much.
TINT_DELAY = 0.2


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
        ffmpeg(["-i", str(source), "-vf", ",".join(filters), "-pix_fmt", "yuv420p", str(out)])
        return out

    def flash(self, started: dict, camera: Path) -> tuple[str, dict, set]:
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

        code, record, _ = self.run_page(started, camera, watch)
        print(f"\n  {self._testMethodName}: code {code}; {self.timeline_detail(record, 'colour_flash')}", flush=True)
        return code, record, seen - {"warned"}

    def test_a_face_lit_by_the_shown_colours_passes(self):
        started = self.start()
        flash = started["colourFlash"]
        camera = self.tinted(self.camera, flash["steps"], flash["startAfter"] + TINT_DELAY, "bona-fide")
        code, record, colours = self.flash(started, camera)
        self.assertEqual(code, "0", self.timeline_detail(record, "colour_flash"))
        self.assertEqual(record["state"], "passed")
        self.assertGreaterEqual(len(colours), 3, "the page showed the colours")

    def test_an_untinted_clip_fails(self):
        code, record, _ = self.flash(self.start(), self.camera)
        self.assertEqual(code, "1301", self.timeline_detail(record, "colour_flash"))

    def test_a_clip_tinted_with_another_sequence_fails(self):
        started = self.start()
        steps = started["colourFlash"]["steps"]
        # The same colours, each two places later: no step has its own colour.
        other = [{"colour": steps[(i - 2) % len(steps)]["colour"], "millis": step["millis"]} for i, step in enumerate(steps)]
        camera = self.tinted(self.camera, other, started["colourFlash"]["startAfter"] + TINT_DELAY, "other-sequence")
        code, record, _ = self.flash(started, camera)
        self.assertEqual(code, "1301", self.timeline_detail(record, "colour_flash"))

    def test_a_clip_tinted_out_of_time_fails(self):
        started = self.start()
        flash = started["colourFlash"]
        camera = self.tinted(self.camera, flash["steps"], flash["startAfter"] + TINT_DELAY + 1.2, "late")
        code, record, _ = self.flash(started, camera)
        self.assertEqual(code, "1301", self.timeline_detail(record, "colour_flash"))

    def test_a_still_photo_fails(self):
        still = self.folder / "still.y4m"
        # With a camera's sensor noise, so the light check, not the still-picture check, decides.
        ffmpeg(["-loop", "1", "-i", str(self.still), "-t", "12", "-vf", "fps=15,noise=alls=3:allf=t", "-pix_fmt", "yuv420p", str(still)])
        code, record, _ = self.flash(self.start(), still)
        self.assertEqual(code, "1301", self.timeline_detail(record, "colour_flash"))


if __name__ == "__main__":
    unittest.main()
