// Language choice and string lookup. The choice is remembered in localStorage;
// the first visit follows the browser's language (Chinese for any zh-*, else English).
import { STRINGS } from './strings.js';

const STORAGE_KEY = 'veriface.console.lang';
const listeners = [];
let lang = initialLanguage();

function initialLanguage() {
  let saved = null;
  try { saved = localStorage.getItem(STORAGE_KEY); } catch { /* storage disabled */ }
  if (saved === 'zh' || saved === 'en') return saved;
  const nav = (navigator.languages && navigator.languages[0]) || navigator.language || 'zh';
  return nav.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

export function getLang() { return lang; }

export function setLang(next) {
  if (next !== 'zh' && next !== 'en') return;
  lang = next;
  try { localStorage.setItem(STORAGE_KEY, next); } catch { /* storage disabled */ }
  applyDocumentLang();
  for (const fn of listeners) fn(next);
}

export function toggleLang() { setLang(lang === 'zh' ? 'en' : 'zh'); }

export function onLangChange(fn) { listeners.push(fn); }

export function applyDocumentLang() {
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  document.title = t('app.title');
}

// t('pager.info', {page: 1}) → the string with {page} replaced. A missing key shows
// itself, so a gap in the tables is visible rather than an empty label.
export function t(key, params) {
  const table = STRINGS[lang] || STRINGS.zh;
  let s = table[key] ?? STRINGS.en[key] ?? key;
  if (params) {
    s = s.replace(/\{(\w+)\}/g, (m, name) => (name in params ? String(params[name]) : m));
  }
  return s;
}

// A localized sentence for an error thrown by api.js ({code, message}).
export function errorText(err) {
  const code = err && typeof err.code === 'number' ? err.code : 0;
  const message = (err && err.message) || '';
  const key = `error.${code}`;
  if (key in STRINGS[lang]) return t(key, { message, code });
  return t('error.other', { code, message });
}
