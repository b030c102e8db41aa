// Audit log: administrative actions, newest first; a row opens to show the record
// before and after the change as pretty-printed JSON.
import * as api from '../api.js';
import { t } from '../i18n.js';
import { el, table, pager, errorBanner, formatTime } from '../ui.js';
import { filterForm, toIso } from '../filters.js';

const SIZE = 20;
const state = { filter: {}, page: 1 };

// Known actions, offered as suggestions in the action filter.
const ACTIONS = ['organisation.create', 'organisation.update', 'organisation.delete', 'user.create', 'user.update', 'user.delete',
  'role.create', 'role.update', 'role.delete', 'application.create', 'application.update', 'credential.create',
  'credential.rotate', 'credential.disable', 'credential.enable', 'session.login', 'session.login_failed', 'user.password_change'];

function pretty(value) {
  return value === null || value === undefined ? 'null' : JSON.stringify(value, null, 2);
}

export function render(container) {
  const list = el('div', { class: 'list', testid: 'audit-list' }, t('app.loading'));
  const datalist = el('datalist', { id: 'audit-actions' }, ACTIONS.map((a) => el('option', { value: a })));
  const form = filterForm({
    testid: 'audit-filter',
    values: state.filter,
    specs: [
      { name: 'q', label: t('audit.q'), testid: 'audit-q' },
      { name: 'action', label: t('audit.action'), testid: 'audit-action', placeholder: 'user.create' },
      { name: 'from', type: 'datetime-local', label: t('calls.from'), testid: 'audit-from' },
      { name: 'to', type: 'datetime-local', label: t('calls.to'), testid: 'audit-to' },
    ],
    onSubmit: (values) => { state.filter = values; state.page = 1; load(); },
  });
  form.querySelector('[data-testid=audit-action]').setAttribute('list', 'audit-actions');
  container.replaceChildren(el('div', { class: 'view-head' }, el('h1', {}, t('audit.title'))), form, datalist, list);

  async function load() {
    const f = state.filter;
    try {
      const data = await api.get(`/audit${api.query({
        q: f.q, action: f.action, from: toIso(f.from), to: toIso(f.to), page: state.page, size: SIZE,
      })}`);
      list.replaceChildren(auditTable(api.itemsOf(data)),
        pager({ page: state.page, size: SIZE, total: data.total, onChange: (p) => { state.page = p; load(); } }));
    } catch (err) {
      list.replaceChildren(errorBanner(err));
    }
  }

  function auditTable(rows) {
    const columns = [
      { label: '', class: 'narrow', render: (a) => toggle(a) },
      { label: t('audit.time'), class: 'nowrap', render: (a) => formatTime(a.time) },
      { label: t('audit.actor'), render: (a) => el('span', { testid: 'audit-actor' }, a.actorName || a.actorId || '') },
      { label: t('audit.action'), render: (a) => el('code', { testid: 'audit-action-cell' }, a.action) },
      { label: t('audit.target'), render: (a) => el('span', { testid: 'audit-target' }, [a.targetType, a.targetId].filter((x) => x != null && x !== '').join(' ')) },
    ];
    return table({ columns, rows, testid: 'audit-table', rowAttrs: (a) => ({ testid: 'audit-row', class: 'audit-row', dataset: { id: a.id, action: a.action } }) });
  }

  // Opens a detail row under the entry with the before/after JSON.
  function toggle(entry) {
    const btn = el('button', { type: 'button', class: 'btn btn-small', testid: 'audit-toggle', 'aria-expanded': 'false' }, t('audit.show'));
    btn.addEventListener('click', () => {
      const row = btn.closest('tr');
      const open = row.nextElementSibling && row.nextElementSibling.classList.contains('audit-detail');
      if (open) {
        row.nextElementSibling.remove();
        btn.textContent = t('audit.show');
        btn.setAttribute('aria-expanded', 'false');
        return;
      }
      const block = (label, value, testid) => el('div', { class: 'json-block' }, el('h3', {}, label), el('pre', { class: 'json', testid }, pretty(value)));
      row.after(el('tr', { class: 'audit-detail', testid: 'audit-detail' },
        el('td', { colspan: String(row.children.length) },
          el('div', { class: 'json-pair' }, block(t('audit.before'), entry.before, 'audit-before'), block(t('audit.after'), entry.after, 'audit-after')))));
      btn.textContent = t('audit.hide');
      btn.setAttribute('aria-expanded', 'true');
    });
    return btn;
  }

  load();
}
