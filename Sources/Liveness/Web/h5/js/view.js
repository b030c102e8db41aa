// Everything the page shows, driven by main.js. Text always goes in through t() and
// textContent (never innerHTML), so nothing the server says can become markup.
import { codeText, t, translatePage } from './i18n.js';

const RING_LENGTH = 2 * Math.PI * 26; // the ring's circumference (r = 26 in index.html)
const $ = (id) => document.getElementById(id);
const icon = (name) => `/h5/icons/${name}.svg`;
// Recording steps that are not server actions (recording.js).
const STEP_ICONS = {
  look: 'hint-ok', look_blink: 'action-blink', hold_flash: 'hint-hold_still',
  nf_far: 'hint-too_close', nf_near: 'hint-too_far', nf_closer: 'hint-too_far', nf_farther: 'hint-too_close',
};

export function init() {
  translatePage();
}

export function showScreen(name) {
  for (const screen of document.querySelectorAll('.screen')) screen.hidden = screen.id !== `screen-${name}`;
}

// Colour-flash sessions warn before the user starts (photosensitivity).
export function showFlashWarning() {
  $('flash-warning').hidden = false;
}

export function enableStart(onStart) {
  const button = $('start-button');
  button.textContent = t('intro.start');
  button.disabled = false;
  button.addEventListener('click', () => { button.disabled = true; onStart(); }, { once: true });
}

export function setStatus(key, params) {
  $('status').textContent = key ? t(key, params) : '';
}

// The actions' names in the user's language, as one list.
export function actionList(actions) {
  return actions.map((action) => t(`action.${action}`)).join(' → ');
}

// The action to do now, 'done' after the last one, or null before `ready`: a neutral
// line then. An action this page does not know is shown as the neutral line too.
export function setInstruction(action) {
  const known = Boolean(action) && action !== 'done' && t(`action.${action}`) !== `action.${action}`;
  let key = 'action.wait';
  let iconName = 'hint-no_face';
  if (known) [key, iconName] = [`action.${action}`, STEP_ICONS[action] || `action-${action}`];
  else if (action === 'done') [key, iconName] = ['action.done', 'result-pass'];
  $('instruction-text').textContent = t(key);
  $('instruction-text').dataset.action = action || '';
  $('instruction-icon').src = icon(iconName);
}

// The first hint is the most important (the server orders them); an empty list is "good".
export function setHints(hints) {
  const list = Array.isArray(hints) ? hints.filter((h) => typeof h === 'string') : [];
  const hint = list.find((h) => t(`hint.${h}`) !== `hint.${h}`);
  const text = $('hint-text');
  const shown = hint || 'ok';
  if (text.dataset.hint === shown) return; // unchanged: do not make screen readers repeat it
  text.dataset.hint = shown;
  text.textContent = t(`hint.${shown}`);
  $('hint-icon').src = icon(`hint-${shown}`);
  $('hint').classList.toggle('hint-good', !hint);
}

export function setProgress(done, total) {
  const safeTotal = Math.max(0, total | 0);
  const safeDone = Math.min(Math.max(0, done | 0), safeTotal);
  const progress = $('progress');
  progress.dataset.done = String(safeDone);
  progress.dataset.total = String(safeTotal);
  progress.setAttribute('aria-valuemax', String(safeTotal));
  progress.setAttribute('aria-valuenow', String(safeDone));
  progress.setAttribute('aria-label', t('progress.label', { done: safeDone, total: safeTotal }));
  $('progress-text').textContent = `${safeDone}/${safeTotal}`;
  const fraction = safeTotal ? safeDone / safeTotal : 0;
  $('progress-ring').setAttribute('stroke-dashoffset', String(RING_LENGTH * (1 - fraction)));
}

// The file-input fallback (recording.js): a button that opens the phone's camera app.
export function offerRecordedFile(onChoose) {
  const button = $('record-button');
  button.hidden = false;
  button.addEventListener('click', () => { button.hidden = true; onChoose(); }, { once: true });
}

// outcome: {passed, code, message}. `redirecting` shows the "returning" note; `onRetry`
// shows a retry button (for problems the user can fix on this page, like the camera).
export function showResult(outcome, { redirecting = false, onRetry = null } = {}) {
  const passed = outcome.passed === true;
  const given = outcome.code === null || outcome.code === undefined || outcome.code === '' ? NaN : Number(outcome.code);
  const code = Number.isFinite(given) ? given : (passed ? 0 : -1);
  const screen = $('screen-result');
  screen.dataset.passed = String(passed);
  screen.classList.toggle('passed', passed);
  $('result-icon').src = icon(passed ? 'result-pass' : 'result-fail');
  $('result-title').textContent = t(passed ? 'result.pass' : 'result.fail');
  $('result-code').textContent = String(code);
  $('result-message').textContent = codeText(code, outcome.message);
  $('result-redirect').hidden = !redirecting;
  const retry = $('retry-button');
  retry.hidden = !onRetry;
  if (onRetry) retry.addEventListener('click', onRetry, { once: true });
  showScreen('result');
}
