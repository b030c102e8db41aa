// Users: a paged, searchable table; create, edit (display name, roles, disable,
// password reset), unlock and delete for holders of user.write.
import * as api from '../api.js';
import { t } from '../i18n.js';
import { el, button, table, pager, formDialog, confirmDialog, toast, toastError, errorBanner, formatTime } from '../ui.js';
import { orgOptions, loadOrganisations } from '../orgs.js';

const SIZE = 20;
// Filters survive leaving and re-entering the page (and a language switch).
const state = { q: '', organisationId: '', page: 1 };

export function render(container, ctx) {
  const canWrite = ctx.can('user.write');
  let orgs = [];
  let roles = null;   // loaded on first use by a dialog

  const q = el('input', { type: 'search', testid: 'user-search', placeholder: t('user.searchPlaceholder'), 'aria-label': t('common.search'), value: state.q });
  const orgFilter = el('select', { testid: 'user-org-filter', 'aria-label': t('common.organisation') });
  const filters = el('form', { class: 'filters', testid: 'user-filters' }, q, orgFilter,
    el('button', { type: 'submit', class: 'btn', testid: 'user-search-submit' }, t('common.search')));
  filters.addEventListener('submit', (e) => {
    e.preventDefault();
    state.q = q.value.trim();
    state.organisationId = orgFilter.value;
    state.page = 1;
    load();
  });

  const list = el('div', { class: 'list', testid: 'user-list' }, t('app.loading'));
  container.replaceChildren(
    el('div', { class: 'view-head' },
      el('h1', {}, t('user.title')),
      canWrite ? button(t('user.create'), 'user-create', () => create(), 'btn-primary') : null),
    filters, list);

  async function loadOrgs() {
    try { orgs = ctx.can('org.read') ? await loadOrganisations() : []; } catch { orgs = []; }
    orgFilter.replaceChildren(el('option', { value: '' }, t('user.allOrganisations')),
      orgOptions(orgs).map((o) => el('option', { value: o.value, selected: o.value === state.organisationId, dataset: o.data }, o.label)));
    if (!orgs.length) orgFilter.hidden = true;
  }

  async function load() {
    try {
      const data = await api.get(`/users${api.query({ q: state.q, organisationId: state.organisationId, page: state.page, size: SIZE })}`);
      const rows = api.itemsOf(data);
      list.replaceChildren(usersTable(rows), pager({ page: state.page, size: SIZE, total: data.total, onChange: (p) => { state.page = p; load(); } }));
    } catch (err) {
      list.replaceChildren(errorBanner(err));
    }
  }

  function usersTable(rows) {
    const columns = [
      { label: t('user.username'), render: (u) => el('span', { testid: 'user-username-cell' }, u.username) },
      { label: t('user.displayName'), render: (u) => el('span', { testid: 'user-display-name-cell' }, u.displayName || '') },
      { label: t('common.organisation'), render: (u) => el('span', { testid: 'user-org-cell' }, u.organisationName || '') },
      { label: t('user.roles'), render: (u) => el('span', { testid: 'user-roles-cell' }, (u.roles || []).map((r) => r.name).join(', ')) },
      { label: t('user.source'), render: (u) => t(`user.source.${u.source}`) },
      { label: t('common.status'), render: status },
      { label: t('common.createdAt'), render: (u) => formatTime(u.createdAt), class: 'nowrap' },
    ];
    if (canWrite) {
      columns.push({ label: t('common.actions'), class: 'nowrap', render: (u) => el('span', { class: 'row-actions' },
        button(t('common.edit'), 'user-edit', () => edit(u), 'btn-small'),
        u.locked ? button(t('user.unlock'), 'user-unlock', () => unlock(u), 'btn-small') : null,
        u.id === ctx.user.id ? null : button(t('common.delete'), 'user-delete', () => remove(u), 'btn-small btn-danger')) });
    }
    return table({ columns, rows, testid: 'user-table', rowAttrs: (u) => ({ testid: 'user-row', dataset: { id: u.id, username: u.username } }) });
  }

  function status(u) {
    const tags = [];
    if (u.disabled) tags.push(el('span', { class: 'tag tag-off' }, t('common.disabled')));
    if (u.locked) tags.push(el('span', { class: 'tag tag-warn' }, t('common.locked')));
    if (!tags.length) tags.push(el('span', { class: 'tag tag-on' }, t('common.normal')));
    return el('span', { testid: 'user-status-cell' }, tags);
  }

  async function roleOptions() {
    if (!roles) roles = await api.getAll('/roles');
    return roles.map((r) => ({ value: String(r.id), label: r.name, data: { roleName: r.name } }));
  }

  // Role ids go back in the type the server used.
  function roleIds(values) {
    return values.map((v) => { const r = roles.find((x) => String(x.id) === v); return r ? r.id : v; });
  }

  function orgIdValue(value) {
    const o = orgs.find((x) => String(x.id) === value);
    return o ? o.id : value;
  }

  async function create() {
    let options;
    await orgsReady;
    try { options = await roleOptions(); } catch (err) { toastError(err); return; }
    const orgChoices = orgs.length ? orgOptions(orgs)
      : [{ value: String(ctx.user.organisationId), label: ctx.user.organisationName || String(ctx.user.organisationId) }];
    const saved = await formDialog({
      title: t('user.create'),
      testid: 'user-dialog',
      fields: [
        { name: 'username', label: t('user.username'), testid: 'user-username', required: true },
        { name: 'displayName', label: t('user.displayName'), testid: 'user-display-name', required: true },
        { name: 'password', type: 'password', label: t('user.password'), testid: 'user-password', required: true, autocomplete: 'new-password' },
        { name: 'organisationId', type: 'select', label: t('common.organisation'), testid: 'user-org', options: orgChoices, value: String(ctx.user.organisationId), required: true },
        { name: 'roleIds', type: 'checkboxes', label: t('user.roles'), testid: 'user-role', groupTestid: 'user-roles', options },
      ],
      onSubmit: (v) => {
        if (v.password.length < 10) throw new Error(t('password.tooShort'));
        return api.post('/users', {
          username: v.username.trim(), displayName: v.displayName.trim(), password: v.password,
          organisationId: orgIdValue(v.organisationId), roleIds: roleIds(v.roleIds),
        });
      },
    });
    if (saved) { toast(t('common.saved')); load(); }
  }

  async function edit(u) {
    let options;
    try { options = await roleOptions(); } catch (err) { toastError(err); return; }
    const current = (u.roles || []).map((r) => String(r.id));
    const saved = await formDialog({
      title: t('user.edit'),
      testid: 'user-dialog',
      fields: [
        { name: 'displayName', label: t('user.displayName'), testid: 'user-display-name', value: u.displayName || '', required: true },
        { name: 'roleIds', type: 'checkboxes', label: t('user.roles'), testid: 'user-role', groupTestid: 'user-roles', options, value: current },
        { name: 'disabled', type: 'checkbox', label: t('user.disabledLabel'), testid: 'user-disabled', value: !!u.disabled },
        u.source === 'local' ? { name: 'password', type: 'password', label: t('user.newPassword'), testid: 'user-new-password', autocomplete: 'new-password' } : null,
      ],
      onSubmit: (v) => {
        // Send only what changed, so an edit cannot undo someone else's change.
        const body = {};
        if (v.displayName.trim() !== (u.displayName || '')) body.displayName = v.displayName.trim();
        if ([...v.roleIds].sort().join() !== [...current].sort().join()) body.roleIds = roleIds(v.roleIds);
        if (v.disabled !== !!u.disabled) body.disabled = v.disabled;
        if (v.password) {
          if (v.password.length < 10) throw new Error(t('password.tooShort'));
          body.password = v.password;
        }
        if (!Object.keys(body).length) return true;
        return api.patch(`/users/${api.enc(u.id)}`, body);
      },
    });
    if (saved) { toast(t('common.saved')); load(); }
  }

  async function unlock(u) {
    try {
      await api.patch(`/users/${api.enc(u.id)}`, { unlock: true });
      toast(t('common.saved'));
      load();
    } catch (err) { toastError(err); }
  }

  async function remove(u) {
    if (!(await confirmDialog(t('user.confirmDelete', { name: u.username })))) return;
    try {
      await api.del(`/users/${api.enc(u.id)}`);
      toast(t('common.deleted'));
      load();
    } catch (err) { toastError(err); }
  }

  const orgsReady = loadOrgs();
  load();
}
