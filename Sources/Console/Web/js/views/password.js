// Changing one's own password: a full page when the server demands it
// (mustChangePassword), a dialog when the user asks from the header.
import * as api from '../api.js';
import { t, errorText } from '../i18n.js';
import { el, button, field, formDialog, toast } from '../ui.js';

const MIN_LENGTH = 10;

// Client-side checks mirror the server's rule so the user hears about them at once.
function problem(current, next, confirm) {
  if (next.length < MIN_LENGTH) return t('password.tooShort');
  if (next !== confirm) return t('password.mismatch');
  if (current && next === current) return t('password.same');
  return null;
}

// 4010 here means the current password was wrong, not the user name.
function describe(err) {
  return err && err.code === 4010 ? t('password.wrongCurrent') : errorText(err);
}

export function renderPasswordPage(root, { user, knownCurrent, onDone, onToggleLang, onLogout }) {
  const current = field({ name: 'current', type: 'password', label: t('password.current'), testid: 'pw-current', autocomplete: 'current-password', value: knownCurrent || '' });
  const next = field({ name: 'new', type: 'password', label: t('password.new'), testid: 'pw-new', autocomplete: 'new-password' });
  const confirm = field({ name: 'confirm', type: 'password', label: t('password.confirm'), testid: 'pw-confirm', autocomplete: 'new-password' });
  const error = el('p', { class: 'form-error', role: 'alert', testid: 'pw-error', hidden: true });
  const submit = el('button', { type: 'submit', class: 'btn btn-primary btn-wide', testid: 'pw-submit' }, t('password.submit'));
  const form = el('form', { class: 'form', testid: 'pw-form', novalidate: true }, current.node, next.node, confirm.node, error, submit);

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const bad = problem(current.input.value, next.input.value, confirm.input.value);
    if (bad) return showError(bad);
    submit.disabled = true;
    try {
      await api.post('/password', { current: current.input.value, new: next.input.value });
      toast(t('password.changed'));
      onDone(next.input.value);
    } catch (err) {
      showError(describe(err));
      submit.disabled = false;
    }
  });
  function showError(text) { error.textContent = text; error.hidden = false; }

  root.replaceChildren(el('div', { class: 'login-page' },
    el('div', { class: 'login-card', testid: 'pw-card' },
      el('div', { class: 'login-head' },
        el('h1', { class: 'login-title' }, t('password.title')),
        button(t('lang.switch'), 'lang-toggle', onToggleLang, 'btn-ghost')),
      el('p', { class: 'banner', testid: 'pw-must-change' }, t('password.mustChange')),
      el('p', { class: 'hint' }, user.displayName || user.username),
      form,
      button(t('header.signOut'), 'logout', onLogout, 'btn-ghost btn-wide'))));
  (knownCurrent ? next.input : current.input).focus();
}

export function openPasswordDialog() {
  return formDialog({
    title: t('password.title'),
    testid: 'pw-dialog',
    fields: [
      { name: 'current', type: 'password', label: t('password.current'), testid: 'pw-current', required: true, autocomplete: 'current-password' },
      { name: 'new', type: 'password', label: t('password.new'), testid: 'pw-new', required: true, autocomplete: 'new-password' },
      { name: 'confirm', type: 'password', label: t('password.confirm'), testid: 'pw-confirm', required: true, autocomplete: 'new-password' },
    ],
    onSubmit: async (v) => {
      const bad = problem(v.current, v.new, v.confirm);
      if (bad) throw new Error(bad);
      try {
        await api.post('/password', { current: v.current, new: v.new });
      } catch (err) {
        throw new Error(describe(err));
      }
      toast(t('password.changed'));
    },
  });
}
