"""Silent liveness in the browser: a real `veriface serve`, Chromium with a fake camera,
Selenium (issue: colour flash and near-far liveness; silent mode's passive signals).

Silent mode asks nothing: it waits for a natural blink, and the blink counts only if the
frames' static liveness (the colour-texture and moire detectors, README "Static
liveness") clears its floor. The camera plays driving_d18, who blinks:

  as filmed                                 -> code 0
  replayed on a simulated phone screen       -> 1301 (the blink is still there; the
  (screen gamma and the moire of its grid)      passive check rejects the frames)

Run: cd Tests/Integration && python -m unittest -v test_h5_silent
"""

from __future__ import annotations

import os
import sys
import unittest
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from h5_support import H5BrowserCase, ffmpeg  # noqa: E402
from harness import data_file  # noqa: E402

CLIP = "videos/liveportrait/driving_d18.mp4"
BASE = "scale=640:480:force_original_aspect_ratio=increase,crop=640:480,fps=15"
# The filters of `veriface eval static-liveness`'s simulated screen replay.
SCREEN = ("eq=gamma=1.25:saturation=1.15,geq=lum='lum(X,Y)*(0.92+0.08*sin(0.8*X+0.35*Y))':cb='cb(X,Y)':cr='cr(X,Y)',"
          "gblur=sigma=0.6")


class SilentTest(H5BrowserCase):
    SCENE = {"sceneId": "silent", "name": "Silent", "mode": "silent", "attemptLimit": 1}

    def camera(self, name: str, screen: bool) -> Path:
        out = self.folder / f"{name}.y4m"
        ffmpeg(["-i", str(data_file(CLIP)), "-t", "8", "-vf", BASE + ("," + SCREEN if screen else ""), "-pix_fmt", "yuv420p", str(out)])
        return out

    def attempt(self, name: str, screen: bool) -> tuple[str, dict]:
        started = self.start()
        code, record, _ = self.run_page(started, self.camera(name, screen))
        print(f"\n  {self._testMethodName}: code {code}; {self.timeline_detail(record, 'static_liveness')}", flush=True)
        return code, record

    def test_live_clip_passes(self):
        code, record = self.attempt("d18", screen=False)
        self.assertEqual(code, "0", record.get("message"))
        self.assertIn("static liveness median", self.timeline_detail(record, "static_liveness"))

    def test_screen_replay_fails_on_the_passive_check(self):
        code, record = self.attempt("d18-screen", screen=True)
        self.assertEqual(code, "1301", record.get("message"))
        self.assertIn("static liveness median", self.timeline_detail(record, "static_liveness"))


if __name__ == "__main__":
    unittest.main()
