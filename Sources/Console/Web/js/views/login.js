// Sign-in page: local or LDAP account, and a link to OpenID Connect when configured.
import * as api from '../api.js';
import { t, errorText } from '../i18n.js';
import { el, button, field } from '../ui.js';

// Which methods the server offers; asked once per page load.
let ssoPromise = null;
function ssoConfig() {
  if (!ssoPromise) {
    ssoPromise = api.get('/sso', { quietAuth: true }).catch(() => {
      ssoPromise = null;        // ask again next time rather than hiding LDAP for good
      return { ldap: false, oidc: false };
    });
  }
  return ssoPromise;
}

// Kept across re-renders (a language switch) so typed values survive.
const typed = { username: '', method: 'local' };

export function renderLogin(root, { message, onSignedIn, onToggleLang }) {
  const username = field({ name: 'username', label: t('login.username'), testid: 'login-username', autocomplete: 'username', value: typed.username });
  const password = field({ name: 'password', type: 'password', label: t('login.password'), testid: 'login-password', autocomplete: 'current-password' });
  const methodSlot = el('div', { class: 'method-slot' });
  const ssoSlot = el('div', { class: 'sso-slot' });
  const error = el('p', { class: 'form-error', role: 'alert', testid: 'login-error', hidden: !message }, message || '');
  const submit = el('button', { type: 'submit', class: 'btn btn-primary btn-wide', testid: 'login-submit' }, t('login.submit'));
  let method = null;   // the <select>, present only when LDAP is configured

  username.input.addEventListener('input', () => { typed.username = username.input.value; });

  const form = el('form', { class: 'form login-form', testid: 'login-form', novalidate: true },
    username.node, password.node, methodSlot, error, submit);

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const body = {
      username: username.input.value.trim(),
      password: password.input.value,
      method: method ? method.input.value : 'local',
    };
    if (!body.username || !body.password) return showError(t('login.required'));
    submit.disabled = true;
    error.hidden = true;
    try {
      const data = await api.post('/login', body);
      password.input.value = '';
      onSignedIn(data, body.password);
    } catch (err) {
      showError(errorText(err));
      password.input.value = '';
      password.input.focus();
    } finally {
      submit.disabled = false;
    }
  });

  function showError(text) { error.textContent = text; error.hidden = false; }

  root.replaceChildren(el('div', { class: 'login-page' },
    el('div', { class: 'login-card', testid: 'login-card' },
      el('div', { class: 'login-head' },
        el('h1', { class: 'login-title' }, t('app.title')),
        button(t('lang.switch'), 'lang-toggle', onToggleLang, 'btn-ghost')),
      el('h2', {}, t('login.title')),
      form, ssoSlot)));
  (message ? password.input : username.input).focus();

  ssoConfig().then((sso) => {
    if (sso.ldap) {
      method = field({ name: 'method', type: 'select', label: t('login.method'), testid: 'login-method', value: typed.method,
        options: [{ value: 'local', label: t('login.method.local') }, { value: 'ldap', label: t('login.method.ldap') }] });
      method.input.addEventListener('change', () => { typed.method = method.input.value; });
      methodSlot.replaceChildren(method.node);
    }
    if (sso.oidc) {
      ssoSlot.replaceChildren(el('p', { class: 'or' }, t('login.or')),
        el('a', { class: 'btn btn-wide', href: '/console/sso/oidc/start', testid: 'login-sso' }, t('login.sso')));
    }
  });
}
