// Call log: every API call, newest first, filtered by application, action, code and time.
import * as api from '../api.js';
import { t } from '../i18n.js';
import { el, table, pager, errorBanner, formatTime } from '../ui.js';
import { filterForm, toIso } from '../filters.js';

const SIZE = 20;
const state = { filter: {}, page: 1 };

export function render(container, ctx) {
  const list = el('div', { class: 'list', testid: 'call-list' }, t('app.loading'));
  const formSlot = el('div');
  container.replaceChildren(el('div', { class: 'view-head' }, el('h1', {}, t('calls.title'))), formSlot, list);

  async function buildForm() {
    // The application filter lists the applications the user can see, when allowed to.
    let apps = [];
    if (ctx.can('app.read')) apps = await api.getAll('/applications').catch(() => []);
    formSlot.replaceChildren(filterForm({
      testid: 'calls-filter',
      values: state.filter,
      specs: [
        { name: 'applicationId', type: 'select', label: t('calls.application'), testid: 'calls-app',
          options: [{ value: '', label: t('calls.anyApplication') }, ...apps.map((a) => ({ value: String(a.id), label: a.name }))] },
        { name: 'action', label: t('calls.action'), testid: 'calls-action', placeholder: 'CompareFace' },
        { name: 'code', label: t('calls.code'), testid: 'calls-code', placeholder: '0' },
        { name: 'from', type: 'datetime-local', label: t('calls.from'), testid: 'calls-from' },
        { name: 'to', type: 'datetime-local', label: t('calls.to'), testid: 'calls-to' },
      ],
      onSubmit: (values) => { state.filter = values; state.page = 1; load(); },
    }));
  }

  async function load() {
    const f = state.filter;
    try {
      const data = await api.get(`/calls${api.query({
        applicationId: f.applicationId, action: f.action, code: f.code,
        from: toIso(f.from), to: toIso(f.to), page: state.page, size: SIZE,
      })}`);
      list.replaceChildren(callsTable(api.itemsOf(data)),
        pager({ page: state.page, size: SIZE, total: data.total, onChange: (p) => { state.page = p; load(); } }));
    } catch (err) {
      list.replaceChildren(errorBanner(err));
    }
  }

  function callsTable(rows) {
    return table({
      testid: 'call-table',
      rows,
      rowAttrs: (c) => ({ testid: 'call-row', dataset: { action: c.action, code: c.code } }),
      columns: [
        { label: t('calls.time'), class: 'nowrap', render: (c) => formatTime(c.time) },
        { label: t('calls.application'), render: (c) => c.applicationName || c.applicationId || '' },
        { label: t('calls.action'), render: (c) => el('span', { testid: 'call-action-cell' }, c.action) },
        { label: t('calls.code'), render: (c) => el('span', { class: Number(c.code) === 0 ? 'tag tag-on' : 'tag tag-warn', testid: 'call-code-cell' }, c.code) },
        { label: t('calls.latency'), class: 'num', render: (c) => c.latencyMs ?? '' },
        { label: t('calls.engine'), render: (c) => c.engine || '' },
        { label: t('calls.callerIp'), render: (c) => c.callerIp || '' },
        { label: t('calls.requestId'), render: (c) => el('code', {}, c.requestId || '') },
      ],
    });
  }

  buildForm();
  load();
}
