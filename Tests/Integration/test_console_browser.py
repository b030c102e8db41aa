"""The admin web console (Sources/Console/Web, served at /console) in a headless Chromium.

Each test class starts its own `veriface serve` with a fresh data folder (harness.py) and
every test its own browser. The pages are driven only through their data-testid attributes:

  Sign-in         login-card login-form login-username login-password login-method
                  (select local/ldap; only when GET /console/api/sso says ldap)
                  login-submit login-error login-sso (only when oidc) lang-toggle
  Password        pw-card pw-form pw-must-change pw-current pw-new pw-confirm pw-submit
                  pw-error; from the header: header-change-password -> pw-dialog
  Frame           header header-product header-user-name header-org-name lang-toggle
                  logout side-nav nav-toggle (phone only) nav-list nav-organisations
                  nav-users nav-roles nav-applications nav-verifications nav-calls
                  nav-audit content
                  view-<section> view-error no-sections toast
  Dialogs         dialog-save dialog-cancel dialog-error confirm-dialog confirm-message
                  confirm-ok confirm-cancel; tables: <table>-wrap table-empty pager
                  pager-prev pager-next pager-info
  Organisations   org-create org-tree org-node (data-org-id, data-name) org-node-name
                  org-node-kind org-add-child org-rename org-delete | org-dialog
                  org-parent org-name org-kind
  Users           user-search user-org-filter user-search-submit user-create user-table
                  user-row (data-username) user-username-cell user-display-name-cell
                  user-org-cell user-roles-cell user-status-cell user-edit user-unlock
                  user-delete | user-dialog user-username user-display-name
                  user-password user-org user-roles user-role (checkbox, data-role-name)
                  user-disabled user-new-password
  Roles           role-create role-table role-row (data-name) role-name-cell
                  role-built-in role-permissions-cell role-edit role-delete | role-dialog
                  role-name role-org role-permissions role-permission (checkbox,
                  value = permission name)
  Applications    app-search app-search-submit app-create app-table app-row (data-name)
                  app-name-cell app-qps-cell app-ips-cell app-status-cell app-edit
                  app-add-credential cred-row (data-secret-id, data-status)
                  cred-secret-id cred-status cred-rotate cred-disable cred-enable |
                  app-dialog app-name app-org app-qps app-ips app-disabled |
                  secret-dialog app-secret-warning app-secret-id app-secret-key
                  copy-secret-id copy-secret-key secret-close
  Call log        calls-filter calls-app calls-action calls-code calls-from calls-to
                  calls-filter-submit calls-filter-reset call-table call-row
                  (data-action, data-code) call-action-cell call-code-cell
  Audit log       audit-filter audit-q audit-action audit-from audit-to
                  audit-filter-submit audit-filter-reset audit-table audit-row
                  (data-action) audit-toggle audit-actor audit-action-cell audit-target
                  audit-detail audit-before audit-after
  Verifications   see test_console_verifications.py

Run: python -m unittest discover -s Tests/Integration -p 'test_console_browser.py' -v
(needs the built server, Debian's chromium + chromium-driver, and for the LDAP test the
server of scripts/test-services/ldap: VERIFACE_TEST_LDAP_URL).
"""

from __future__ import annotations

import json
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import VerifaceServer  # noqa: E402

from selenium import webdriver  # noqa: E402
from selenium.common.exceptions import NoAlertPresentException, StaleElementReferenceException  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

WAIT_SECONDS = 20
ORG_NAME = "村镇银行 A"
EVIL_ORG = "<img src=x onerror=alert(1)>"
SQLISH_ORG = "' OR 1=1 --"
EVIL_DISPLAY_NAME = '"><script>alert(2)</script>'


def css(testid: str) -> tuple[str, str]:
    return By.CSS_SELECTOR, f'[data-testid="{testid}"]'


def make_driver(window_size: str = "1280,900"):
    """Headless Chromium as harness.chromium_driver makes it, plus the browser log, so
    each test can check the pages logged no JavaScript error or CSP violation."""
    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("VERIFACE_CHROMIUM", "/usr/bin/chromium")
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     f"--window-size={window_size}", "--lang=en-US"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = Service(executable_path=os.environ.get("VERIFACE_CHROMEDRIVER", "/usr/bin/chromedriver"))
    return webdriver.Chrome(options=options, service=service)


class ConsoleBrowserCase(unittest.TestCase):
    """One server per class; one browser per test; helpers that speak data-testid."""

    server: VerifaceServer

    @classmethod
    def server_env(cls) -> dict[str, str]:
        return {}

    @classmethod
    def setUpClass(cls):
        cls.server = VerifaceServer(env=cls.server_env())
        cls.server.start()
        cls.addClassCleanup(cls.server.stop)

    def setUp(self):
        self.driver = make_driver()
        self.addCleanup(self.driver.quit)

    # -- finding and waiting ---------------------------------------------------------------
    def wait(self, timeout: float = WAIT_SECONDS) -> WebDriverWait:
        return WebDriverWait(self.driver, timeout, ignored_exceptions=(StaleElementReferenceException,))

    def visible(self, testid: str):
        return self.wait().until(EC.visibility_of_element_located(css(testid)), f"{testid} never became visible")

    def present(self, testid: str):
        return self.wait().until(EC.presence_of_element_located(css(testid)), f"{testid} never appeared")

    def click(self, testid: str):
        self.wait().until(EC.element_to_be_clickable(css(testid)), f"{testid} never became clickable").click()

    def fill(self, testid: str, text: str):
        field = self.visible(testid)
        field.clear()
        field.send_keys(text)

    def gone(self, testid: str):
        self.wait().until(EC.invisibility_of_element_located(css(testid)), f"{testid} stayed on the page")

    def absent(self, testid: str):
        self.assertEqual(self.driver.find_elements(*css(testid)), [], f"{testid} should not be on the page")

    def by_data(self, testid: str, key: str, value: str, within=None):
        """The first element with this testid whose data-<key> equals value (compared in
        Python, so values with quotes and brackets need no CSS escaping), waiting for it."""
        def find(_):
            root = within or self.driver
            for element in root.find_elements(*css(testid)):
                if element.get_attribute(f"data-{key}") == value:
                    return element
            return False
        return self.wait().until(find, f"no {testid} with data-{key}={value!r}")

    def select_option(self, testid: str, *, data_name: str | None = None, value: str | None = None):
        select = self.visible(testid)
        if value is not None:
            Select(select).select_by_value(value)
            return
        option = None
        for candidate in select.find_elements(By.TAG_NAME, "option"):
            if candidate.get_attribute("data-name") == data_name:
                option = candidate
                break
        self.assertIsNotNone(option, f"{testid} has no option named {data_name!r}")
        Select(select).select_by_value(option.get_attribute("value"))

    def check_box(self, testid: str, key: str, value: str):
        box = self.by_data(testid, key, value)
        if not box.is_selected():
            box.click()

    # -- console actions -------------------------------------------------------------------
    def open_console(self):
        self.driver.get(self.server.url("/console/"))
        self.visible("login-username")

    def sign_in(self, username: str, password: str, method: str | None = None):
        self.open_console()
        self.fill("login-username", username)
        self.fill("login-password", password)
        if method is not None:
            # The method select appears once GET /console/api/sso has answered.
            Select(self.present("login-method")).select_by_value(method)
        self.click("login-submit")

    def sign_in_admin(self) -> bool:
        """Signs in as the first administrator, setting a new password when the server
        demands one (kept in server.admin_password). True if it was demanded."""
        self.sign_in(self.server.admin_username, self.server.admin_password)
        self.wait().until(lambda d: d.find_elements(*css("header-user-name")) or d.find_elements(*css("pw-new")),
                          "neither the console nor the password form followed sign-in")
        forced = bool(self.driver.find_elements(*css("pw-new")))
        if forced:
            new_password = "Console-Admin-" + os.urandom(6).hex()
            self.fill("pw-current", self.server.admin_password)
            self.fill("pw-new", new_password)
            self.fill("pw-confirm", new_password)
            self.click("pw-submit")
            self.visible("header-user-name")
            self.server.admin_password = new_password
        return forced

    def set_language(self, lang: str):
        for _ in range(2):
            if self.driver.execute_script("return document.documentElement.lang").startswith(lang):
                return
            self.click("lang-toggle")
        self.assertTrue(self.driver.execute_script("return document.documentElement.lang").startswith(lang))

    def go(self, section: str):
        """Opens a section from the navigation (through the menu button on a phone)."""
        link = self.present(f"nav-{section}")
        if not link.is_displayed():
            self.click("nav-toggle")
        self.click(f"nav-{section}")
        return self.visible(f"view-{section}")

    def save_dialog(self, dialog: str):
        self.click("dialog-save")
        try:
            self.gone(dialog)
        except Exception:
            errors = [e.text for e in self.driver.find_elements(*css("dialog-error")) if e.is_displayed()]
            self.fail(f"{dialog} did not close: {errors}")

    def admin_finds_sign_in(self, username: str) -> list[dict[str, str]]:
        """Signs out, signs in as the administrator and waits for a session.login row of
        `username` in the audit log; returns the filtered rows."""
        self.click("logout")
        self.visible("login-username")
        self.sign_in_admin()
        self.go("audit")
        self.fill("audit-action", "session.login")
        self.click("audit-filter-submit")

        def found(_):
            try:
                rows = self.audit_rows()
            except StaleElementReferenceException:
                return False
            return rows if any(username.lower() in (r["actor"] + " " + r["target"]).lower() for r in rows) else False
        return self.wait().until(found, f"no session.login of {username} in the audit log")

    def audit_rows(self) -> list[dict[str, str]]:
        self.present("audit-table")
        return [{"action": row.get_attribute("data-action"),
                 "actor": row.find_element(*css("audit-actor")).text,
                 "target": row.find_element(*css("audit-target")).text}
                for row in self.driver.find_elements(*css("audit-row"))]

    def assert_no_console_errors(self):
        """No uncaught exception, CSP violation or missing asset. Failed /console/api/
        requests are left out: answering 401 to the start-up session probe and to a wrong
        password is the contract, and the page shows those errors itself."""
        problems = []
        for entry in self.driver.get_log("browser"):
            if entry["level"] != "SEVERE":
                continue
            message = entry["message"]
            if "/console/api/" in message and "Failed to load resource" in message:
                continue
            problems.append(message)
        self.assertEqual(problems, [], "the browser logged errors")


class AdminWorkflowTest(ConsoleBrowserCase):
    """A new installation: the first administrator sets up an organisation, a user and an
    application, and finds each action in the audit log."""

    def test_admin_creates_organisation_user_application_and_sees_audit(self):
        self.assertTrue(self.sign_in_admin(), "the one-time password must be changed first")
        self.set_language("en")
        admin_name = self.visible("header-user-name").text
        root_name = self.visible("header-org-name").text
        self.assertTrue(admin_name and root_name)
        admin_actors = {self.server.admin_username, admin_name}

        # Organisation under the root (the root is the parent offered first and by default).
        self.go("organisations")
        self.click("org-create")
        parent = Select(self.visible("org-parent")).first_selected_option
        self.assertEqual(parent.get_attribute("data-name"), root_name)
        self.fill("org-name", ORG_NAME)
        Select(self.visible("org-kind")).select_by_value("village")
        self.save_dialog("org-dialog")
        node = self.by_data("org-node", "name", ORG_NAME)
        self.assertEqual(node.find_element(*css("org-node-kind")).text, "Village bank")
        parent_node = node.find_element(By.XPATH, './ancestor::li[@data-testid="org-node"][1]')
        self.assertEqual(parent_node.get_attribute("data-name"), root_name)

        # A user in it with the Operator role.
        self.go("users")
        self.click("user-create")
        self.fill("user-username", "teller1")
        self.fill("user-display-name", "Teller One")
        self.fill("user-password", "Teller-Pass-2024")
        self.select_option("user-org", data_name=ORG_NAME)
        self.check_box("user-role", "role-name", "Operator")
        self.save_dialog("user-dialog")
        row = self.by_data("user-row", "username", "teller1")
        self.assertEqual(row.find_element(*css("user-org-cell")).text, ORG_NAME)
        self.assertIn("Operator", row.find_element(*css("user-roles-cell")).text)

        # An application: its key is shown once, in the dialog, and never again.
        self.go("applications")
        self.click("app-create")
        self.fill("app-name", "Mobile banking")
        self.select_option("app-org", data_name=ORG_NAME)
        self.fill("app-qps", "20")
        self.fill("app-ips", "10.0.0.0/8\n192.168.1.0/24")
        self.click("dialog-save")
        secret_id = self.visible("app-secret-id").text.strip()
        secret_key = self.visible("app-secret-key").text.strip()
        self.assertTrue(secret_id)
        self.assertGreaterEqual(len(secret_key), 32)
        self.assertTrue(self.visible("app-secret-warning").text)
        self.click("secret-close")
        self.gone("secret-dialog")
        row = self.by_data("app-row", "name", "Mobile banking")
        self.assertEqual(row.find_element(*css("app-qps-cell")).text, "20")
        self.assertIn("192.168.1.0/24", row.find_element(*css("app-ips-cell")).text)
        self.by_data("cred-row", "secret-id", secret_id, within=row)
        self.assertNotIn(secret_key, self.driver.page_source)

        # A second credential, then rotate the first: the old one ends up disabled.
        self.by_data("app-row", "name", "Mobile banking").find_element(*css("app-add-credential")).click()
        second_id = self.visible("app-secret-id").text.strip()
        self.assertNotEqual(second_id, secret_id)
        self.click("secret-close")
        self.gone("secret-dialog")
        self.by_data("cred-row", "secret-id", second_id)
        self.by_data("cred-row", "secret-id", secret_id).find_element(*css("cred-rotate")).click()
        self.click("confirm-ok")
        rotated_id = self.visible("app-secret-id").text.strip()
        self.assertNotIn(rotated_id, (secret_id, second_id))
        self.click("secret-close")
        self.gone("secret-dialog")
        self.wait().until(lambda _: self.by_data("cred-row", "secret-id", secret_id).get_attribute("data-status") == "disabled",
                          "the rotated credential was not disabled")
        self.by_data("cred-row", "secret-id", rotated_id)

        # The audit log names the administrator for each of those actions.
        self.go("audit")
        self.present("audit-row")
        rows = self.audit_rows()
        for action in ("organisation.create", "user.create", "application.create", "credential.create", "credential.rotate"):
            self.assertTrue(any(r["action"] == action and r["actor"] in admin_actors for r in rows),
                            f"no {action} by {admin_actors} in {rows}")
        # Opening the organisation's entry shows the record after the change as JSON.
        entry = self.by_data("audit-row", "action", "organisation.create")
        entry.find_element(*css("audit-toggle")).click()
        after = self.visible("audit-after").text
        self.assertIn(ORG_NAME, after)
        self.assertIsInstance(json.loads(after), dict)
        self.assertIsNone(json.loads(self.visible("audit-before").text))
        self.assert_no_console_errors()


class LdapSignInTest(ConsoleBrowserCase):
    """An LDAP user's roles come from their groups; the console shows only what they allow."""

    @classmethod
    def server_env(cls):
        return {
            "VERIFACE_LDAP_URL": os.environ["VERIFACE_TEST_LDAP_URL"],
            "VERIFACE_LDAP_USER_DN": "uid={username},ou=people,dc=veriface,dc=test",
            "VERIFACE_LDAP_GROUP_BASE": "ou=groups,dc=veriface,dc=test",
            "VERIFACE_LDAP_GROUP_ROLES": "operators=Operator,auditors=Auditor",
        }

    @classmethod
    def setUpClass(cls):
        if not os.environ.get("VERIFACE_TEST_LDAP_URL"):
            raise unittest.SkipTest("VERIFACE_TEST_LDAP_URL is not set (scripts/test-services/ldap)")
        super().setUpClass()

    def test_ldap_user_sees_allowed_sections_and_login_is_audited(self):
        self.sign_in("alice", "alice-Secret-1", method="ldap")
        self.wait().until(EC.text_to_be_present_in_element(css("header-user-name"), "Alice Liu"))
        self.assertEqual(self.driver.find_elements(*css("pw-new")), [], "an LDAP user has no console password to change")
        self.absent("header-change-password")

        # Operator: org.read app.read app.write log.read verification.read; Auditor: + user.read audit.read.
        for section in ("organisations", "users", "roles", "applications", "verifications", "calls", "audit"):
            self.assertTrue(self.visible(f"nav-{section}").is_displayed())
        self.go("users")
        self.present("user-table")
        for write_button in ("user-create", "user-edit", "user-delete", "user-unlock"):
            self.absent(write_button)
        self.go("roles")
        self.present("role-table")
        self.absent("role-create")
        self.go("organisations")
        self.present("org-tree")
        self.absent("org-create")
        self.go("applications")
        self.visible("app-create")       # Operator has app.write
        self.go("calls")
        self.present("call-table")
        self.go("audit")
        self.present("audit-table")
        self.assert_no_console_errors()

        # The administrator, in the same server, finds alice's sign-in in the audit log.
        rows = self.admin_finds_sign_in("alice")
        self.assertTrue(all(r["action"] == "session.login" for r in rows), rows)
        self.assert_no_console_errors()


class ConsoleUiTest(ConsoleBrowserCase):
    """Inert rendering of hostile names, the language switch, and the phone layout."""

    def test_script_like_names_are_shown_as_text(self):
        self.sign_in_admin()
        self.go("organisations")
        for name in (EVIL_ORG, SQLISH_ORG):
            self.click("org-create")
            self.fill("org-name", name)
            Select(self.visible("org-kind")).select_by_value("other")
            self.save_dialog("org-dialog")
            node = self.by_data("org-node", "name", name)
            self.assertEqual(node.find_element(*css("org-node-name")).text, name)

        self.go("users")
        self.click("user-create")
        self.fill("user-username", "inert1")
        self.fill("user-display-name", EVIL_DISPLAY_NAME)
        self.fill("user-password", "Inert-Pass-2024")
        self.select_option("user-org", data_name=EVIL_ORG)
        self.check_box("user-role", "role-name", "Auditor")
        self.save_dialog("user-dialog")
        row = self.by_data("user-row", "username", "inert1")
        self.assertEqual(row.find_element(*css("user-display-name-cell")).text, EVIL_DISPLAY_NAME)
        self.assertEqual(row.find_element(*css("user-org-cell")).text, EVIL_ORG)

        # The audit entry's JSON shows the name as text too.
        self.go("audit")
        entry = self.by_data("audit-row", "action", "user.create")
        entry.find_element(*css("audit-toggle")).click()
        self.assertIn("alert(2)", self.visible("audit-after").text)

        with self.assertRaises(NoAlertPresentException):
            self.driver.switch_to.alert.text
        self.assertEqual(self.driver.find_elements(By.TAG_NAME, "img"), [], "markup in a name became an element")
        scripts = self.driver.find_elements(By.TAG_NAME, "script")
        self.assertEqual(len(scripts), 1, "only the console's own module script may exist")
        self.assertIn("/console/assets/", scripts[0].get_attribute("src"))
        self.go("organisations")
        self.assertEqual(self.by_data("org-node", "name", EVIL_ORG).find_element(*css("org-node-name")).text, EVIL_ORG)
        self.assert_no_console_errors()

    def test_wrong_password_is_localized_and_language_switch_relabels(self):
        self.open_console()
        self.set_language("zh")
        self.assertEqual(self.visible("login-submit").text, "登录")
        self.fill("login-username", self.server.admin_username)
        self.fill("login-password", "not-the-password-1")
        self.click("login-submit")
        self.wait().until(EC.text_to_be_present_in_element(css("login-error"), "用户名或密码错误"))

        self.set_language("en")
        self.assertEqual(self.visible("login-submit").text, "Sign in")
        self.fill("login-username", "nobody-here")
        self.fill("login-password", "not-the-password-2")
        self.click("login-submit")
        self.wait().until(EC.text_to_be_present_in_element(css("login-error"), "Wrong user name or password"))

        # Sign in in Chinese, then switch to English: the navigation changes with it.
        self.set_language("zh")
        self.sign_in_admin()
        self.assertEqual(self.visible("nav-users").text, "用户")
        self.assertEqual(self.visible("nav-audit").text, "审计日志")
        self.set_language("en")
        self.wait().until(EC.text_to_be_present_in_element(css("nav-users"), "Users"))
        self.assertEqual(self.visible("nav-audit").text, "Audit log")
        self.assertEqual(self.visible("nav-organisations").text, "Organisations")
        # The choice is remembered across a reload.
        self.driver.refresh()
        self.wait().until(EC.text_to_be_present_in_element(css("nav-users"), "Users"))
        self.assert_no_console_errors()

    def test_phone_layout(self):
        self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                    {"width": 375, "height": 812, "deviceScaleFactor": 2, "mobile": True})
        self.sign_in_admin()
        self.assertEqual(self.driver.execute_script("return window.innerWidth"), 375)

        def fits() -> bool:
            return self.driver.execute_script(
                "return document.documentElement.scrollWidth <= window.innerWidth + 1")

        self.assertTrue(fits(), "the signed-in page is wider than the phone")
        # The navigation is a menu: hidden until the menu button opens it.
        self.assertFalse(self.present("nav-users").is_displayed())
        self.click("nav-toggle")
        self.click("nav-users")
        self.visible("view-users")
        self.wait().until(lambda _: not self.driver.find_element(*css("nav-users")).is_displayed(),
                          "the menu stayed open after choosing a section")
        wrap = self.present("user-table-wrap")
        self.present("user-row")
        self.assertTrue(self.driver.execute_script("return arguments[0].scrollWidth > arguments[0].clientWidth", wrap),
                        "the users table should scroll inside its box on a phone")
        self.assertTrue(fits(), "the users table widens the page instead of scrolling")

        # Dialogs fit the screen too.
        self.click("user-create")
        dialog = self.visible("user-dialog")
        self.assertLessEqual(dialog.rect["x"] + dialog.rect["width"], 375 + 1)
        self.click("dialog-cancel")
        self.gone("user-dialog")

        for section in ("organisations", "applications", "calls", "audit"):
            self.go(section)
            self.assertTrue(fits(), f"the {section} page is wider than the phone")
        self.assert_no_console_errors()


if __name__ == "__main__":
    unittest.main()


class OidcSignInTest(ConsoleBrowserCase):
    """OpenID Connect: the console's SSO link runs the authorization-code flow (with PKCE)
    against a real provider (oidc-provider-mock) and comes back signed in."""

    CLIENT_ID = "veriface-console"
    CLIENT_SECRET = "console-client-secret"

    @classmethod
    def server_env(cls):
        return {
            "VERIFACE_OIDC_ISSUER": os.environ["VERIFACE_TEST_OIDC_ISSUER"],
            "VERIFACE_OIDC_CLIENT_ID": cls.CLIENT_ID,
            "VERIFACE_OIDC_CLIENT_SECRET": cls.CLIENT_SECRET,
            "VERIFACE_OIDC_DEFAULT_ROLES": "Auditor",
        }

    @classmethod
    def setUpClass(cls):
        if not os.environ.get("VERIFACE_TEST_OIDC_ISSUER"):
            raise unittest.SkipTest("VERIFACE_TEST_OIDC_ISSUER is not set (scripts/test-services/oidc)")
        super().setUpClass()

    def test_sso_sign_in_creates_the_user_with_default_roles(self):
        import requests

        # The provider's profile of the subject this test signs in as.
        issuer = os.environ["VERIFACE_TEST_OIDC_ISSUER"].rstrip("/")
        subject = "carol-" + os.urandom(4).hex()
        claims = {"preferred_username": subject, "name": "Carol Wang", "email": f"{subject}@veriface.test"}
        self.assertEqual(requests.put(f"{issuer}/users/{subject}", json=claims, timeout=10).status_code, 204)

        self.open_console()
        self.click("login-sso")
        # The provider's own page: type the subject and authorize.
        field = self.wait().until(EC.visibility_of_element_located((By.CSS_SELECTOR, "input[name=sub]")))
        field.send_keys(subject)
        field.submit()
        self.wait().until(EC.text_to_be_present_in_element(css("header-user-name"), "Carol Wang"))
        self.driver.get_log("browser")  # drops the provider page's own entries (its CDN stylesheet is unreachable here)
        self.assertTrue(self.visible("nav-audit").is_displayed(), "the default role (Auditor) reads the audit log")
        self.go("users")
        self.absent("user-create")
        self.assert_no_console_errors()

        # The administrator sees the new OIDC account's sign-in.
        self.admin_finds_sign_in(subject)
