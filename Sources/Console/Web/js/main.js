// Start-up and the three screens: sign-in, forced password change, and the console.
// Asks the server for the session on load; any later 4001 returns to sign-in.
import * as api from './api.js';
import { t, toggleLang, onLangChange, applyDocumentLang, errorText } from './i18n.js';
import { el, toastError } from './ui.js';
import { renderLayout, markActive } from './layout.js';
import { allowedSections, currentRoute, navigate } from './router.js';
import { renderLogin } from './views/login.js';
import { renderPasswordPage, openPasswordDialog } from './views/password.js';

const root = document.getElementById('app');
let user = null;
let screen = null;        // () => void, redraws the current screen (after a language change)
let frame = null;         // {main, nav} while the console is shown

function setSession(data) {
  user = data.user;
  api.setCsrfToken(data.csrfToken);
}

// message: a function, so a language switch re-words it.
function showLogin(message) {
  user = null;
  frame = null;
  api.setCsrfToken(null);
  screen = () => renderLogin(root, { message: message ? message() : '', onToggleLang: toggleLang, onSignedIn: afterSignIn });
  screen();
}

// password: what the user just typed, so the forced change need not ask for it again.
function afterSignIn(data, password) {
  setSession(data);
  if (user.mustChangePassword) showPasswordPage(password);
  else showConsole();
}

function showPasswordPage(knownCurrent) {
  frame = null;
  screen = () => renderPasswordPage(root, {
    user, knownCurrent, onToggleLang: toggleLang, onLogout: logout,
    onDone: async (newPassword) => {
      // Read the session again for the cleared flag (and a fresh token). A server that
      // ends sessions on a password change answers 4001: sign in with the new password.
      try {
        afterSignIn(await api.get('/session', { quietAuth: true }));
      } catch (err) {
        if (err.code !== 4001) { showLogin(() => errorText(err)); return; }
        try {
          afterSignIn(await api.post('/login', { username: user.username, password: newPassword, method: 'local' }));
        } catch (again) { showLogin(() => errorText(again)); }
      }
    },
  });
  screen();
}

function showConsole() {
  const sections = allowedSections(user);
  screen = () => {
    frame = renderLayout(root, {
      user, sections, active: currentRoute(),
      onLogout: logout, onToggleLang: toggleLang,
      onChangePassword: () => openPasswordDialog(),
    });
    route();
  };
  screen();
}

// Draws the section named by the hash into a fresh <section>, so a slow answer for a
// page the user already left lands in a detached node and shows nowhere.
function route() {
  if (!frame) return;
  const sections = allowedSections(user);
  if (!sections.length) {
    frame.main.replaceChildren(el('p', { class: 'banner', testid: 'no-sections' }, t('nav.none')));
    return;
  }
  const name = currentRoute();
  const section = sections.find((s) => s.name === name);
  if (!section) { navigate(sections[0].name); return; }
  markActive(frame.nav, name);
  const container = el('section', { class: `view view-${name}`, testid: `view-${name}` });
  frame.main.replaceChildren(container);
  const perms = new Set(user.permissions || []);
  section.view.render(container, { user, can: (p) => perms.has(p) });
}

async function logout() {
  try { await api.post('/logout'); } catch (err) { if (err.code !== 4001) toastError(err); }
  showLogin();
}

async function boot() {
  applyDocumentLang();
  onLangChange(() => { if (screen) screen(); });
  api.onUnauthorized(() => showLogin(() => t('login.expired')));
  window.addEventListener('hashchange', () => route());
  try {
    afterSignIn(await api.get('/session', { quietAuth: true }));
  } catch (err) {
    showLogin(err.code === 4001 ? undefined : () => errorText(err));
  }
}

boot();
