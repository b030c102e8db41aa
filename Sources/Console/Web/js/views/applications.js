// Applications and their API credentials. A new SecretKey is shown once, in a
// dialog with copy buttons, and never kept by the page afterwards.
import * as api from '../api.js';
import { t } from '../i18n.js';
import { el, button, table, pager, formDialog, openDialog, confirmDialog, copyText, toast, toastError, errorBanner, formatTime } from '../ui.js';
import { orgOptions, loadOrganisations } from '../orgs.js';

const SIZE = 20;
const state = { q: '', page: 1 };

// "10.0.0.0/8\n\n 192.168.1.0/24 " → ["10.0.0.0/8", "192.168.1.0/24"]
function parseIps(text) {
  return text.split(/[\r\n,]+/).map((s) => s.trim()).filter(Boolean);
}

function parseQps(text) {
  const n = Number(String(text).trim());
  if (!Number.isInteger(n) || n < 1) throw new Error(t('app.qpsInvalid'));
  return n;
}

// Shows a new SecretId/SecretKey pair once. Resolves when the user closes it.
export function showSecret(pair) {
  return new Promise((resolve) => {
    const secretRow = (label, value, testid) => {
      const code = el('code', { class: 'secret', testid }, value);
      const copy = button(t('common.copy'), `copy-${testid.replace('app-', '')}`, async () => {
        const ok = await copyText(value, d.dialog);
        toast(ok ? t('common.copied') : t('common.copyFailed'), ok ? 'ok' : 'error');
      }, 'btn-small');
      return el('div', { class: 'secret-row' }, el('span', { class: 'secret-label' }, label), code, copy);
    };
    const d = openDialog({
      title: t('app.secretTitle'),
      testid: 'secret-dialog',
      content: [
        el('p', { class: 'banner banner-warn', role: 'alert', testid: 'app-secret-warning' }, t('app.secretWarning')),
        secretRow(t('app.secretId'), pair.secretId, 'app-secret-id'),
        secretRow(t('app.secretKey'), pair.secretKey, 'app-secret-key'),
      ],
      actions: [button(t('common.close'), 'secret-close', () => d.close(), 'btn-primary')],
      onClose: () => resolve(),
    });
  });
}

export function render(container, ctx) {
  const canWrite = ctx.can('app.write');
  let orgs = [];

  const q = el('input', { type: 'search', testid: 'app-search', placeholder: t('app.searchPlaceholder'), 'aria-label': t('common.search'), value: state.q });
  const filters = el('form', { class: 'filters', testid: 'app-filters' }, q,
    el('button', { type: 'submit', class: 'btn', testid: 'app-search-submit' }, t('common.search')));
  filters.addEventListener('submit', (e) => { e.preventDefault(); state.q = q.value.trim(); state.page = 1; load(); });

  const list = el('div', { class: 'list', testid: 'app-list' }, t('app.loading'));
  container.replaceChildren(
    el('div', { class: 'view-head' },
      el('h1', {}, t('app.titleList')),
      canWrite ? button(t('app.create'), 'app-create', () => create(), 'btn-primary') : null),
    filters, list);

  async function load() {
    try {
      const data = await api.get(`/applications${api.query({ q: state.q, page: state.page, size: SIZE })}`);
      list.replaceChildren(appsTable(api.itemsOf(data)),
        pager({ page: state.page, size: SIZE, total: data.total, onChange: (p) => { state.page = p; load(); } }));
    } catch (err) {
      list.replaceChildren(errorBanner(err));
    }
  }

  function appsTable(rows) {
    const columns = [
      { label: t('app.name'), render: (a) => el('span', { testid: 'app-name-cell' }, a.name) },
      { label: t('common.organisation'), render: (a) => a.organisationName || '' },
      { label: t('app.qps'), render: (a) => el('span', { testid: 'app-qps-cell' }, a.qpsLimit ?? '') },
      { label: t('app.ipsShort'), render: (a) => el('span', { class: 'ip-list', testid: 'app-ips-cell' },
        (a.ipAllowList && a.ipAllowList.length) ? a.ipAllowList.map((ip) => el('code', {}, ip)) : t('app.anyIp')) },
      { label: t('common.status'), render: (a) => el('span', { class: a.disabled ? 'tag tag-off' : 'tag tag-on', testid: 'app-status-cell' },
        a.disabled ? t('common.disabled') : t('common.enabled')) },
      { label: t('app.credentials'), render: credentials },
      { label: t('common.createdAt'), class: 'nowrap', render: (a) => formatTime(a.createdAt) },
    ];
    if (canWrite) {
      columns.push({ label: t('common.actions'), class: 'nowrap', render: (a) => el('span', { class: 'row-actions' },
        button(t('common.edit'), 'app-edit', () => edit(a), 'btn-small'),
        button(t('app.addCredential'), 'app-add-credential', () => addCredential(a), 'btn-small')) });
    }
    return table({ columns, rows, testid: 'app-table', rowAttrs: (a) => ({ testid: 'app-row', dataset: { id: a.id, name: a.name } }) });
  }

  function credentials(app) {
    const creds = app.credentials || [];
    if (!creds.length) return t('common.none');
    return el('ul', { class: 'cred-list' }, creds.map((c) => el('li', { class: 'cred', testid: 'cred-row', dataset: { secretId: c.secretId, status: c.status } },
      el('code', { testid: 'cred-secret-id' }, c.secretId),
      el('span', { class: c.status === 'active' ? 'tag tag-on' : 'tag tag-off', testid: 'cred-status' },
        c.status === 'active' ? t('common.enabled') : t('common.disabled')),
      el('span', { class: 'hint' }, `${t('app.lastUsed')}: ${c.lastUsedAt ? formatTime(c.lastUsedAt) : t('app.never')}`),
      canWrite ? el('span', { class: 'row-actions' },
        c.status === 'active'
          ? [button(t('app.rotate'), 'cred-rotate', () => rotate(app, c), 'btn-small'),
            button(t('app.disable'), 'cred-disable', () => setCredential(app, c, 'disable'), 'btn-small btn-danger')]
          : button(t('app.enable'), 'cred-enable', () => setCredential(app, c, 'enable'), 'btn-small')) : null)));
  }

  async function create() {
    if (!orgs.length && ctx.can('org.read')) orgs = await loadOrganisations().catch(() => []);
    const orgChoices = orgs.length ? orgOptions(orgs)
      : [{ value: String(ctx.user.organisationId), label: ctx.user.organisationName || String(ctx.user.organisationId) }];
    const created = await formDialog({
      title: t('app.create'),
      testid: 'app-dialog',
      fields: [
        { name: 'name', label: t('app.name'), testid: 'app-name', required: true },
        { name: 'organisationId', type: 'select', label: t('common.organisation'), testid: 'app-org', options: orgChoices, value: String(ctx.user.organisationId), required: true },
        { name: 'qpsLimit', type: 'number', label: t('app.qps'), testid: 'app-qps', value: '10', min: '1', step: '1', required: true },
        { name: 'ipAllowList', type: 'textarea', label: t('app.ips'), testid: 'app-ips', placeholder: '10.0.0.0/8\n192.168.1.0/24' },
      ],
      onSubmit: (v) => {
        const org = orgs.find((o) => String(o.id) === v.organisationId);
        return api.post('/applications', {
          name: v.name.trim(), organisationId: org ? org.id : v.organisationId,
          qpsLimit: parseQps(v.qpsLimit), ipAllowList: parseIps(v.ipAllowList),
        });
      },
    });
    if (!created) return;
    load();
    if (created.credential) await showSecret(created.credential);
  }

  async function edit(app) {
    const saved = await formDialog({
      title: t('app.edit'),
      testid: 'app-dialog',
      fields: [
        { name: 'name', label: t('app.name'), testid: 'app-name', value: app.name, required: true },
        { name: 'qpsLimit', type: 'number', label: t('app.qps'), testid: 'app-qps', value: String(app.qpsLimit ?? ''), min: '1', step: '1', required: true },
        { name: 'ipAllowList', type: 'textarea', label: t('app.ips'), testid: 'app-ips', value: (app.ipAllowList || []).join('\n') },
        { name: 'disabled', type: 'checkbox', label: t('app.disabledLabel'), testid: 'app-disabled', value: !!app.disabled },
      ],
      onSubmit: (v) => api.patch(`/applications/${api.enc(app.id)}`, {
        name: v.name.trim(), qpsLimit: parseQps(v.qpsLimit), ipAllowList: parseIps(v.ipAllowList), disabled: v.disabled,
      }),
    });
    if (saved) { toast(t('common.saved')); load(); }
  }

  async function addCredential(app) {
    try {
      const pair = await api.post(`/applications/${api.enc(app.id)}/credentials`);
      load();
      await showSecret(pair);
    } catch (err) { toastError(err); }
  }

  async function rotate(app, cred) {
    if (!(await confirmDialog(t('app.confirmRotate', { secretId: cred.secretId })))) return;
    try {
      const pair = await api.post(`/applications/${api.enc(app.id)}/credentials/${api.enc(cred.secretId)}/rotate`);
      load();
      await showSecret(pair);
    } catch (err) { toastError(err); }
  }

  async function setCredential(app, cred, what) {
    try {
      await api.post(`/applications/${api.enc(app.id)}/credentials/${api.enc(cred.secretId)}/${what}`);
      toast(t('common.saved'));
      load();
    } catch (err) { toastError(err); }
  }

  load();
}
