"""TC3-HMAC-SHA256 request signing of the /v1 API, end to end.

Integrators sign with Tencent Cloud's SDKs, so the server's verifier is checked against
the official signer (harness.sign_tc3), not against our own reading of the algorithm:
a correctly signed request must pass, and each way of getting it wrong must be refused
with its own code (SPEC section 8 / docs/console-api.md):
4100 unsigned, 4101 unknown or disabled SecretId, 4102 bad signature, 4103 timestamp
outside the window, 4104 replay, 18 over the application's QPS limit.
"""

import json
import time
import unittest
from concurrent.futures import ThreadPoolExecutor

import requests

from harness import ConsoleSession, VerifaceServer, base64_file, lfw_image, sign_tc3, signed_post

COMPARE = "/v1/faces/compare"
DETECT = "/v1/faces/detect"

# Two photos of one person that the engines score far above 70 (96.5 with SFace).
SAME_PERSON = (lfw_image("William_Macy", 3), lfw_image("William_Macy", 4))
# Small (250x250) photos for cheap requests; distinct so that no two signed bodies are equal
# (equal bodies signed in the same second would be replays, 4104, not what a test wants).
SMALL_PHOTOS = [lfw_image("Colin_Powell", n) for n in (40, 49, 71, 95, 133, 170)]


class SigningTests(unittest.TestCase):
    server: VerifaceServer
    console: ConsoleSession

    @classmethod
    def setUpClass(cls):
        cls.server = VerifaceServer().start()
        cls.addClassCleanup(cls.server.stop)
        cls.console = ConsoleSession(cls.server)
        cls.organisation_id = cls.console.login_admin()["user"]["organisationId"]
        cls.compare_body = json.dumps({"imageA": base64_file(SAME_PERSON[0]),
                                       "imageB": base64_file(SAME_PERSON[1])})
        cls.app, cls.credential = cls.create_application("signing-test", qps_limit=50)

    # -- helpers ---------------------------------------------------------------------------
    @classmethod
    def create_application(cls, name, qps_limit):
        """A new application; returns (application, {"secretId", "secretKey"})."""
        response = cls.console.post("/console/api/applications", {
            "name": name, "organisationId": cls.organisation_id,
            "qpsLimit": qps_limit, "ipAllowList": []})
        if response.status_code != 200:
            raise AssertionError(f"creating application {name}: HTTP {response.status_code} {response.text}")
        body = response.json()
        return body["application"], body["credential"]

    def post_compare(self, secret_id=None, secret_key=None, timestamp=None):
        return signed_post(self.server, COMPARE, "CompareFace", self.compare_body,
                           secret_id or self.credential["secretId"],
                           secret_key or self.credential["secretKey"], timestamp=timestamp)

    def assertRefused(self, response, status, code):
        """An error answer: the HTTP status and {"RequestId", "Error": {"Code", "Message"}}."""
        detail = f"HTTP {response.status_code} {response.text[:500]}"
        self.assertEqual(response.status_code, status, detail)
        body = response.json()
        self.assertIsInstance(body.get("RequestId"), str, detail)
        self.assertEqual(body.get("Error", {}).get("Code"), code, detail)
        self.assertIsInstance(body["Error"].get("Message"), str, detail)

    # -- tests -----------------------------------------------------------------------------
    def test_signed_compare_succeeds(self):
        response = self.post_compare()
        self.assertEqual(response.status_code, 200, response.text[:500])
        self.assertGreater(response.json()["score"], 70)

    def test_unsigned_request_is_refused(self):
        response = requests.post(self.server.url(COMPARE), data=self.compare_body,
                                 headers={"Content-Type": "application/json"}, timeout=60)
        self.assertRefused(response, 401, 4100)

    def test_changed_signature_is_refused(self):
        headers = sign_tc3(self.credential["secretId"], self.credential["secretKey"], self.server.host,
                           "CompareFace", self.compare_body, path=COMPARE)
        authorization = headers["Authorization"]
        last = authorization[-1]
        headers["Authorization"] = authorization[:-1] + ("0" if last != "0" else "1")
        response = requests.post(self.server.url(COMPARE), data=self.compare_body, headers=headers, timeout=60)
        self.assertRefused(response, 401, 4102)

    def test_unknown_secret_id_is_refused(self):
        response = self.post_compare(secret_id="AKIDunknownunknownunknownunknown00",
                                     secret_key="not-a-key-of-this-server")
        self.assertRefused(response, 401, 4101)

    def test_old_timestamp_is_refused(self):
        response = self.post_compare(timestamp=int(time.time()) - 600)
        self.assertRefused(response, 401, 4103)

    def test_replayed_request_is_refused(self):
        # A timestamp of its own: another test's request with the same body in the same second
        # would carry the very same signature.
        headers = sign_tc3(self.credential["secretId"], self.credential["secretKey"], self.server.host,
                           "CompareFace", self.compare_body, path=COMPARE, timestamp=int(time.time()) - 30)
        first = requests.post(self.server.url(COMPARE), data=self.compare_body, headers=headers, timeout=60)
        self.assertEqual(first.status_code, 200, first.text[:500])
        second = requests.post(self.server.url(COMPARE), data=self.compare_body, headers=headers, timeout=60)
        self.assertRefused(second, 401, 4104)

    def test_disabled_credential_is_refused(self):
        app, credential = self.create_application("signing-disabled", qps_limit=50)
        response = self.console.post(
            f"/console/api/applications/{app['id']}/credentials/{credential['secretId']}/disable")
        self.assertIn(response.status_code, (200, 204), response.text[:500])
        response = self.post_compare(credential["secretId"], credential["secretKey"])
        self.assertRefused(response, 401, 4101)

    def test_qps_limit_answers_code_18(self):
        _, credential = self.create_application("signing-qps", qps_limit=1)
        bodies = [{"image": base64_file(photo)} for photo in SMALL_PHOTOS[:5]]

        def detect(body):
            return signed_post(self.server, DETECT, "DetectFace", body,
                               credential["secretId"], credential["secretKey"])

        with ThreadPoolExecutor(max_workers=5) as pool:
            responses = list(pool.map(detect, bodies))
        limited = [r for r in responses if r.status_code == 429]
        self.assertTrue(limited, f"no 429 among {[r.status_code for r in responses]}")
        for response in limited:
            self.assertRefused(response, 429, 18)
        for response in responses:
            self.assertIn(response.status_code, (200, 429), response.text[:500])


if __name__ == "__main__":
    unittest.main()
