"""The console's records of H5 liveness verifications, in a headless Chromium.

Two verifications are started through the signed API (POST /v1/scenes, /v1/verifications);
the administrator opens the verifications view, sees both, filters by external user id to
one and opens its detail. data-testids:

  nav-verifications view-verifications verifications-filter verifications-state
  verifications-code verifications-scene verifications-user verifications-from
  verifications-to verifications-filter-submit verifications-filter-reset
  verification-table verification-row (data-id, data-state, data-code)
  verification-scene-cell verification-user-cell verification-state-cell
  verification-code-cell verification-open | verification-detail verification-summary
  verification-detail-state verification-detail-code verification-detail-user
  verification-best-frame verification-no-best-frame verification-audit-frame
  verification-missing-frames verification-detected verification-timeline
  verification-event (data-kind, data-attempt) verification-device
  verification-detail-close

Run: cd Tests/Integration && python -m unittest -v test_console_verifications
"""

from __future__ import annotations

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import ConsoleSession, SignedApplication, VerifaceServer  # noqa: E402
from test_console_browser import make_driver  # noqa: E402  (harness.chromium_driver plus the browser log)

from selenium.common.exceptions import StaleElementReferenceException  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


def css(testid: str) -> tuple[str, str]:
    return By.CSS_SELECTOR, f'[data-testid="{testid}"]'


class ConsoleVerificationsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = VerifaceServer().start()
        cls.addClassCleanup(cls.server.stop)
        console = ConsoleSession(cls.server)
        organisation = console.login_admin()["user"]["organisationId"]
        cls.application = SignedApplication(cls.server, console, organisation, "records")
        reply = cls.call("/v1/scenes", {"sceneId": "records", "name": "Counter KYC", "actionPool": ["blink", "nod"], "actionCount": 1})
        assert reply.status_code == 200, reply.text
        for user in ("alice-1", "bob-2"):
            reply = cls.call("/v1/verifications", {"sceneId": "records", "externalUserId": user, "extra": f"order of {user}"})
            assert reply.status_code == 200, reply.text

    @classmethod
    def call(cls, path: str, body: dict):
        return cls.application.post(path, body)

    def setUp(self):
        self.driver = make_driver()
        self.addCleanup(self.driver.quit)

    def wait(self) -> WebDriverWait:
        return WebDriverWait(self.driver, 20, ignored_exceptions=(StaleElementReferenceException,))

    def visible(self, testid: str):
        return self.wait().until(EC.visibility_of_element_located(css(testid)), f"{testid} never became visible")

    def rows(self, count: int) -> list:
        def found(driver):
            rows = driver.find_elements(*css("verification-row"))
            return rows if len(rows) == count else False
        return self.wait().until(found, f"the table never showed {count} verification rows")

    def test_list_filter_and_detail(self):
        driver = self.driver
        driver.get(self.server.url("/console/"))
        self.visible("login-username").send_keys(self.server.admin_username)
        self.visible("login-password").send_keys(self.server.admin_password)
        self.visible("login-submit").click()
        self.visible("nav-verifications").click()
        self.visible("view-verifications")

        rows = self.rows(2)
        users = sorted(r.find_element(*css("verification-user-cell")).text for r in rows)
        self.assertEqual(users, ["alice-1", "bob-2"])
        self.assertTrue(all(r.get_attribute("data-state") == "created" for r in rows))
        self.assertEqual(rows[0].find_element(*css("verification-scene-cell")).text, "Counter KYC")

        self.visible("verifications-user").send_keys("bob-2")
        self.visible("verifications-filter-submit").click()
        self.wait().until(lambda d: [r.find_element(*css("verification-user-cell")).text
                                     for r in d.find_elements(*css("verification-row"))] == ["bob-2"],
                          "the filter did not narrow the list to bob-2")

        self.visible("verification-open").click()
        detail = self.visible("verification-detail")
        self.assertEqual(detail.find_element(*css("verification-detail-user")).text, "bob-2")
        self.assertEqual(detail.find_element(*css("verification-detail-state")).get_attribute("data-state"), "created")
        self.assertIn("order of bob-2", detail.find_element(*css("verification-summary")).text)
        detail.find_element(*css("verification-timeline"))
        detail.find_element(*css("verification-detected"))
        detail.find_element(*css("verification-no-best-frame"))
        self.visible("verification-detail-close").click()
        self.wait().until(EC.invisibility_of_element_located(css("verification-detail")))

        severe = [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"
                  and not ("/console/api/" in e["message"] and "Failed to load resource" in e["message"])]
        self.assertEqual(severe, [], "the browser logged errors")


if __name__ == "__main__":
    unittest.main()
