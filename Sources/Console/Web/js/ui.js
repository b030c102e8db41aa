// DOM helpers: elements, tables, pager, dialogs, forms and toasts.
// Every text from the server goes in through text nodes (never innerHTML), so a name
// like "<script>…" stays a name. No inline styles or handlers (strict CSP).
import { t, errorText } from './i18n.js';

let idCounter = 0;
const nextId = () => `f${++idCounter}`;

// el('button', {class: 'btn', testid: 'x', on: {click: fn}}, 'text', child, ...)
// Attributes: class, testid (→ data-testid), text, on, dataset, and anything else is
// set with setAttribute (or as a property for value/checked/disabled/selected).
export function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'testid') node.setAttribute('data-testid', value);
    else if (key === 'text') node.textContent = String(value);
    else if (key === 'on') for (const [ev, fn] of Object.entries(value)) node.addEventListener(ev, fn);
    else if (key === 'dataset') for (const [k, v] of Object.entries(value)) node.dataset[k] = String(v);
    else if (key === 'value' || key === 'checked' || key === 'disabled' || key === 'selected') node[key] = value;
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    node.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function clear(node) { node.replaceChildren(); return node; }

export function button(label, testid, onClick, kind = '') {
  return el('button', { type: 'button', class: `btn ${kind}`.trim(), testid, on: { click: onClick } }, label);
}

// "2024-05-01T08:30:00Z" → "2024-05-01 16:30:00" in the browser's time zone.
export function formatTime(value) {
  if (!value) return '';
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return String(value);
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

// ---- toasts ---------------------------------------------------------------

export function toast(message, kind = 'ok') {
  const box = document.getElementById('toasts');
  const item = el('div', { class: `toast toast-${kind}`, role: kind === 'error' ? 'alert' : 'status', testid: 'toast' }, message);
  box.appendChild(item);
  setTimeout(() => item.remove(), kind === 'error' ? 8000 : 4000);
}

export function toastError(err) { toast(errorText(err), 'error'); }

// A banner inside a page for a failed load.
export function errorBanner(err) {
  return el('p', { class: 'banner banner-error', role: 'alert', testid: 'view-error' }, errorText(err));
}

// ---- tables and pager -----------------------------------------------------

// columns: [{label, render(row) → Node|string, class}]; rowAttrs(row) → attrs for <tr>.
export function table({ columns, rows, rowAttrs, testid, empty }) {
  const head = el('tr', {}, columns.map((c) => el('th', { scope: 'col', class: c.class }, c.label)));
  const body = el('tbody');
  if (!rows.length) {
    body.appendChild(el('tr', { class: 'empty' },
      el('td', { colspan: String(columns.length), testid: 'table-empty' }, empty || t('common.empty'))));
  }
  for (const row of rows) {
    body.appendChild(el('tr', rowAttrs ? rowAttrs(row) : {},
      columns.map((c) => el('td', { class: c.class, 'data-label': c.label }, c.render(row)))));
  }
  // The wrapper scrolls sideways on a narrow screen instead of widening the page.
  return el('div', { class: 'table-wrap', testid: testid ? `${testid}-wrap` : 'table-wrap' },
    el('table', { class: 'data', testid }, el('thead', {}, head), body));
}

export function pager({ page, size, total, onChange }) {
  const pages = Math.max(1, Math.ceil((total || 0) / size));
  return el('nav', { class: 'pager', testid: 'pager', 'aria-label': 'pager' },
    el('button', { type: 'button', class: 'btn', testid: 'pager-prev', disabled: page <= 1, on: { click: () => onChange(page - 1) } }, t('pager.prev')),
    el('span', { class: 'pager-info', testid: 'pager-info' }, t('pager.info', { page, pages, total: total || 0 })),
    el('button', { type: 'button', class: 'btn', testid: 'pager-next', disabled: page >= pages, on: { click: () => onChange(page + 1) } }, t('pager.next')));
}

// ---- dialogs --------------------------------------------------------------

// A modal <dialog>. content: nodes; actions: buttons. Returns {dialog, close, body}.
export function openDialog({ title, content, actions, testid, onClose }) {
  const heading = el('h2', { class: 'dialog-title', id: nextId() }, title);
  const dialog = el('dialog', { class: 'dialog', testid: testid || 'dialog', 'aria-labelledby': heading.id },
    heading, el('div', { class: 'dialog-body' }, content), el('div', { class: 'dialog-actions' }, actions));
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    if (dialog.open) dialog.close();
    dialog.remove();
    if (onClose) onClose();
  };
  // Escape key: the browser fires "cancel"; treat it like the cancel button.
  dialog.addEventListener('cancel', (e) => { e.preventDefault(); close(); });
  document.body.appendChild(dialog);
  dialog.showModal();
  return { dialog, close };
}

export function confirmDialog(message) {
  return new Promise((resolve) => {
    let result = false;
    const ok = button(t('common.confirm'), 'confirm-ok', () => { result = true; d.close(); }, 'btn-danger');
    const cancel = button(t('common.cancel'), 'confirm-cancel', () => d.close());
    const d = openDialog({ title: t('common.confirm'), testid: 'confirm-dialog', content: [el('p', { testid: 'confirm-message' }, message)],
      actions: [cancel, ok], onClose: () => resolve(result) });
    ok.focus();
  });
}

// ---- forms ----------------------------------------------------------------

// A form field. spec: {name, label, type, testid, value, options, required, placeholder,
// autocomplete, rows, hint}. type: text | password | number | textarea | select |
// checkbox | checkboxes. Returns {node, get(), input}.
export function field(spec) {
  const id = nextId();
  const type = spec.type || 'text';
  if (type === 'checkbox') {
    const input = el('input', { type: 'checkbox', id, testid: spec.testid, checked: !!spec.value, name: spec.name });
    return { node: el('div', { class: 'field field-check' }, input, el('label', { for: id }, spec.label)), input, get: () => input.checked };
  }
  if (type === 'checkboxes') {
    const boxes = (spec.options || []).map((o) => {
      const boxId = nextId();
      const input = el('input', { type: 'checkbox', id: boxId, value: o.value, testid: spec.testid, name: spec.name,
        checked: (spec.value || []).includes(o.value), dataset: o.data || {} });
      return { input, node: el('div', { class: 'check' }, input, el('label', { for: boxId }, o.label, o.hint ? el('span', { class: 'hint' }, o.hint) : null)) };
    });
    const node = el('fieldset', { class: 'field field-checks', testid: spec.groupTestid },
      el('legend', {}, spec.label),
      boxes.length ? boxes.map((b) => b.node) : el('p', { class: 'hint' }, t('common.none')));
    return { node, get: () => boxes.filter((b) => b.input.checked).map((b) => b.input.value) };
  }
  let input;
  if (type === 'select') {
    input = el('select', { id, testid: spec.testid, name: spec.name, required: !!spec.required },
      (spec.options || []).map((o) => el('option', { value: o.value, selected: String(o.value) === String(spec.value ?? ''), dataset: o.data || {} }, o.label)));
  } else if (type === 'textarea') {
    input = el('textarea', { id, testid: spec.testid, name: spec.name, rows: String(spec.rows || 4), placeholder: spec.placeholder, spellcheck: 'false' });
    input.value = spec.value ?? '';
  } else {
    input = el('input', { id, type, testid: spec.testid, name: spec.name, placeholder: spec.placeholder,
      autocomplete: spec.autocomplete || 'off', required: !!spec.required, min: spec.min, step: spec.step });
    input.value = spec.value ?? '';
  }
  const node = el('div', { class: 'field' }, el('label', { for: id }, spec.label), input,
    spec.hint ? el('p', { class: 'hint' }, spec.hint) : null);
  return { node, input, get: () => input.value };
}

// A dialog holding a form. onSubmit(values) may throw (ApiError or a plain Error
// whose message is shown); the dialog stays open with the message until it succeeds.
// Resolves with onSubmit's result, or null when cancelled.
export function formDialog({ title, fields, onSubmit, submitLabel, testid }) {
  return new Promise((resolve) => {
    const built = fields.filter(Boolean).map((spec) => ({ spec, f: field(spec) }));
    const error = el('p', { class: 'form-error', role: 'alert', testid: 'dialog-error', hidden: true });
    const save = el('button', { type: 'submit', class: 'btn btn-primary', testid: 'dialog-save' }, submitLabel || t('common.save'));
    const cancel = button(t('common.cancel'), 'dialog-cancel', () => d.close());
    let result = null;
    const form = el('form', { class: 'form', novalidate: true, testid: testid ? `${testid}-form` : 'dialog-form' },
      built.map((b) => b.f.node), error);
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const values = {};
      for (const { spec, f } of built) {
        const v = f.get();
        if (spec.required && (v === '' || (Array.isArray(v) && !v.length))) {
          showError(t('common.required', { field: spec.label }));
          if (f.input) f.input.focus();
          return;
        }
        values[spec.name] = v;
      }
      save.disabled = true;
      error.hidden = true;
      try {
        // A 204 answer (null) still counts as saved.
        result = (await onSubmit(values)) ?? true;
        d.close();
      } catch (err) {
        showError(err && err.name === 'ApiError' ? errorText(err) : String(err.message || err));
      } finally {
        save.disabled = false;
      }
    });
    function showError(message) { error.textContent = message; error.hidden = false; }
    // The save button sits in the dialog's action row, outside the <form>; form= ties it back.
    form.id = nextId();
    save.setAttribute('form', form.id);
    const d = openDialog({ title, testid: testid || 'dialog', content: [form], actions: [cancel, save], onClose: () => resolve(result) });
    const first = form.querySelector('input:not([type=checkbox]), select, textarea');
    if (first) first.focus();
  });
}

// Copies text; falls back to selecting a hidden textarea where the Clipboard API is
// unavailable (plain http on a non-localhost address). `container` must be inside an
// open modal dialog when there is one: everything outside it is inert.
export async function copyText(text, container = document.body) {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch { /* fall through */ }
  const area = el('textarea', { class: 'offscreen', readonly: true });
  area.value = text;
  container.appendChild(area);
  area.select();
  let ok = false;
  try { ok = document.execCommand('copy'); } catch { ok = false; }
  area.remove();
  return ok;
}
