"""Near-far liveness in the browser: a real `veriface serve`, Chromium with a fake camera,
Selenium (issue: colour flash and near-far liveness).

The page asks for the start position for 2.5 s from its first frame, then for the move
for 3 s, then for a blink. The attacks make the face grow (or shrink) in the camera as
asked, at the time asked, by zooming digitally, so only the missing perspective of a
real face gives them away:

  a photo zoomed in step with the page   -> 1301
  a real clip zoomed in step with the page -> 1301

(Bona fide moves, which a fake camera cannot film, are real meshes projected with
perspective in Tests/LivenessTests/NearFarTests.swift.)

Run: cd Tests/Integration && python -m unittest -v test_h5_near_far
"""

from __future__ import annotations

import os
import sys
import unittest
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from h5_support import H5BrowserCase, ffmpeg  # noqa: E402
from harness import data_file  # noqa: E402

CLIP = "videos/liveportrait/source_s18.mp4"
BASE = "scale=640:480:force_original_aspect_ratio=increase,crop=640:480,fps=15"
# The move on the page begins about 0.3 s into the camera's file (camera, key agreement),
# plus the 2.5 s hold; the zoom takes the page's 3 s.
MOVE_FROM, MOVE_FOR, ZOOM = 2.8, 3.0, 0.6
# The far picture: the frame at 1/1.6 of its size on a grey card, so that the zoom about
# the centre brings the face back whole to its own size and place.
FAR = "scale=400:300,pad=640:480:120:90:color=gray"


class NearFarTest(H5BrowserCase):
    SCENE = {"sceneId": "near-far", "name": "Near-far", "mode": "near_far", "attemptLimit": 1}

    def zoomed(self, source: list[str], direction: str, name: str, grain: bool = False) -> Path:
        """The source at 640x480 with a digital zoom growing (far to near) or shrinking."""
        progress = f"min(max((t-{MOVE_FROM})/{MOVE_FOR},0),1)"
        factor = f"(1+{ZOOM}*{progress})" if direction == "far_to_near" else f"(1+{ZOOM}*(1-{progress}))"
        out = self.folder / f"{name}.y4m"
        ffmpeg(source + ["-t", "10", "-vf", f"{BASE},{FAR},scale=w='trunc(640*{factor}/2)*2':h=-2:eval=frame,crop=640:480" + (",noise=alls=3:allf=t" if grain else ""),
                         "-pix_fmt", "yuv420p", str(out)])
        return out

    def attempt(self, source: list[str], name: str, grain: bool = False) -> tuple[str, dict, list[str]]:
        started = self.start()
        self.assertIn(started["nearFar"]["direction"], {"far_to_near", "near_to_far"})
        code, record, instructions = self.run_page(started, self.zoomed(source, started["nearFar"]["direction"], name, grain))
        print(f"\n  {self._testMethodName} ({started['nearFar']['direction']}): code {code}; "
              f"{self.timeline_detail(record, 'near_far')}", flush=True)
        move = "Slowly bring the phone closer" if started["nearFar"]["direction"] == "far_to_near" else "Slowly move the phone away"
        self.assertIn(move, instructions, "the page asked for the move")
        return code, record, instructions

    def test_a_photo_zoomed_as_asked_fails(self):
        still = self.folder / "still.png"
        ffmpeg(["-ss", "3", "-i", str(data_file(CLIP)), "-frames:v", "1", str(still)])
        # With a camera's sensor noise, as a photo held to a real camera is (identical frames
        # would be refused as a still picture before the move: InjectionTests).
        code, record, _ = self.attempt(["-loop", "1", "-i", str(still)], "photo", grain=True)
        self.assertEqual(code, "1301", self.timeline_detail(record, "near_far"))

    def test_a_clip_zoomed_as_asked_fails(self):
        code, record, _ = self.attempt(["-i", str(data_file(CLIP))], "clip")
        self.assertEqual(code, "1301", self.timeline_detail(record, "near_far"))


if __name__ == "__main__":
    unittest.main()
