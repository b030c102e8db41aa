"""Durability of the gallery: a server killed with SIGKILL in the middle of a stream of
enrolments keeps every write it acknowledged, and after the restart its search index holds
exactly what the database holds (issue: person groups and 1:N search).
"""

import json
import os
import signal
import threading
import time
import unittest
from pathlib import Path

import requests

from harness import ConsoleSession, VerifaceServer, base64_file, data_file, sign_tc3

GROUP = "durability"


def identities(count: int) -> list[tuple[str, Path]]:
    """(person id, first photo) of `count` LFW identities, in a stable order."""
    root = data_file("lfw/pairs.txt").parent / "images"
    names = sorted(os.listdir(root))[:count]
    return [(name.lower().replace("_", "-")[:60], root / name / sorted(os.listdir(root / name))[0]) for name in names]


class GalleryDurabilityTest(unittest.TestCase):
    def call(self, server, credential, method, path, body=None):
        payload = json.dumps(body) if body is not None else ""
        self.clock += 1  # each request its own timestamp: equal bodies are not replays
        headers = sign_tc3(credential["secretId"], credential["secretKey"], server.host, "Gallery", payload,
                           path=path, method=method, timestamp=self.clock)
        return requests.request(method, server.url(path), data=payload.encode(), headers=headers, timeout=120)

    def test_sigkill_during_writes_loses_no_acknowledged_write(self):
        self.clock = int(time.time()) - 250
        people = identities(40)
        first = VerifaceServer().start()
        data_dir = first.data_dir
        self.addCleanup(lambda: __import__("shutil").rmtree(data_dir, ignore_errors=True))
        first._owns_data_dir = False  # the restarted server reads the same folder
        try:
            console = ConsoleSession(first)
            organisation = console.login_admin()["user"]["organisationId"]
            created = console.post("/console/api/applications", {"name": "durability", "organisationId": organisation,
                                                                   "qpsLimit": 1000, "ipAllowList": []})
            self.assertEqual(created.status_code, 200, created.text)
            credential = created.json()["credential"]
            reply = self.call(first, credential, "POST", "/v1/groups", {"groupId": GROUP, "name": "Durability"})
            self.assertEqual(reply.status_code, 200, reply.text)

            acknowledged: list[tuple[str, Path]] = []

            def enrol():
                for person_id, photo in people:
                    try:
                        answer = self.call(first, credential, "POST", "/v1/persons", {
                            "groupId": GROUP, "personId": person_id, "personName": person_id, "image": base64_file(photo)})
                    except requests.RequestException:
                        return  # the server is gone
                    if answer.status_code == 200:
                        acknowledged.append((person_id, photo))

            writer = threading.Thread(target=enrol)
            writer.start()
            deadline = time.monotonic() + 120
            while len(acknowledged) < 12 and writer.is_alive() and time.monotonic() < deadline:
                time.sleep(0.05)
            first.process.send_signal(signal.SIGKILL)  # mid-stream: a request is usually in flight
            writer.join(60)
        finally:
            first.stop()
        self.assertGreaterEqual(len(acknowledged), 12, "the server acknowledged too few writes before the kill")
        self.assertLess(len(acknowledged), len(people), "the kill came after the last write: nothing was in flight")

        with VerifaceServer(data_dir=data_dir) as second:
            group = self.call(second, credential, "GET", f"/v1/groups/{GROUP}")
            self.assertEqual(group.status_code, 200, group.text)
            info = group.json()["result"]
            # Every acknowledged person is there; a write in flight may or may not be.
            self.assertIn(info["personCount"], (len(acknowledged), len(acknowledged) + 1), info)
            self.assertEqual(info["indexedFaces"], info["faceCount"], "the index differs from the database")
            for person_id, photo in acknowledged:
                person = self.call(second, credential, "GET", f"/v1/persons/{person_id}")
                self.assertEqual(person.status_code, 200, f"{person_id}: {person.text}")
                found = self.call(second, credential, "POST", "/v1/search", {"groupIds": [GROUP], "image": base64_file(photo)})
                self.assertEqual(found.status_code, 200, found.text)
                candidates = found.json()["results"][0]["candidates"]
                self.assertTrue(candidates and candidates[0]["personId"] == person_id, f"{person_id}: {candidates[:2]}")


if __name__ == "__main__":
    unittest.main()
