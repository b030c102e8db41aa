// Language choice and lookup. `?lang=en` / `?lang=zh` wins; otherwise the browser's
// language if it is English, else Chinese (the product's default audience).
import { STRINGS } from './strings.js';

let lang = 'zh';

export function chooseLanguage(queryLang) {
  const asked = (queryLang || '').toLowerCase();
  if (asked.startsWith('en') || asked.startsWith('zh')) {
    lang = asked.slice(0, 2);
  } else {
    const browser = ((navigator.languages && navigator.languages[0]) || navigator.language || '').toLowerCase();
    lang = browser.startsWith('en') ? 'en' : 'zh';
  }
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  document.title = t('app.title');
  return lang;
}

export function getLanguage() { return lang; }

// A missing key shows itself, so a gap in the tables is visible rather than blank.
export function t(key, params) {
  let text = STRINGS[lang][key] ?? STRINGS.zh[key] ?? key;
  if (params) text = text.replace(/\{(\w+)\}/g, (m, name) => (name in params ? String(params[name]) : m));
  return text;
}

export function has(key) { return key in STRINGS[lang]; }

// The sentence for a return code: ours when we know the code (in the user's language),
// else the server's message, else a generic one.
export function codeText(code, serverMessage) {
  const key = `code.${code}`;
  if (has(key)) return t(key);
  return serverMessage || t('code.other');
}

// Fills every [data-i18n] element of the static markup.
export function translatePage(root = document) {
  for (const element of root.querySelectorAll('[data-i18n]')) element.textContent = t(element.dataset.i18n);
  for (const element of root.querySelectorAll('[data-i18n-label]')) {
    element.setAttribute('aria-label', t(element.dataset.i18nLabel));
  }
}
