// Roles: list with their permissions; create, edit and delete for holders of
// role.write. Built-in roles are shown but not changed.
import * as api from '../api.js';
import { t } from '../i18n.js';
import { el, button, table, formDialog, confirmDialog, toast, toastError, errorBanner } from '../ui.js';
import { orgOptions, orgName, loadOrganisations } from '../orgs.js';

export function permissionLabel(name) {
  const key = `perm.${name}`;
  const s = t(key);
  return s === key ? name : s;
}

export function render(container, ctx) {
  const canWrite = ctx.can('role.write');
  let orgs = [];
  let permissions = null;

  const list = el('div', { class: 'list', testid: 'role-list' }, t('app.loading'));
  container.replaceChildren(
    el('div', { class: 'view-head' },
      el('h1', {}, t('role.title')),
      canWrite ? button(t('role.create'), 'role-create', () => edit(null), 'btn-primary') : null),
    list);

  async function load() {
    try {
      if (ctx.can('org.read') && !orgs.length) orgs = await loadOrganisations().catch(() => []);
      const rows = await api.getAll('/roles');
      list.replaceChildren(rolesTable(rows));
    } catch (err) {
      list.replaceChildren(errorBanner(err));
    }
  }

  function rolesTable(rows) {
    const columns = [
      { label: t('role.name'), render: (r) => el('span', { testid: 'role-name-cell' }, r.name,
        r.builtIn ? el('span', { class: 'tag tag-muted', testid: 'role-built-in' }, t('common.builtIn')) : null) },
      { label: t('common.organisation'), render: (r) => (r.organisationId == null ? '' : orgName(orgs, r.organisationId)) },
      { label: t('role.permissions'), render: (r) => el('span', { class: 'perm-list', testid: 'role-permissions-cell' },
        (r.permissions || []).map((p) => el('span', { class: 'tag', title: p }, permissionLabel(p)))) },
    ];
    if (canWrite) {
      columns.push({ label: t('common.actions'), class: 'nowrap', render: (r) => (r.builtIn ? '' : el('span', { class: 'row-actions' },
        button(t('common.edit'), 'role-edit', () => edit(r), 'btn-small'),
        button(t('common.delete'), 'role-delete', () => remove(r), 'btn-small btn-danger'))) });
    }
    return table({ columns, rows, testid: 'role-table', rowAttrs: (r) => ({ testid: 'role-row', dataset: { id: r.id, name: r.name } }) });
  }

  async function edit(role) {
    try {
      if (!permissions) permissions = api.itemsOf(await api.get('/permissions'));
    } catch (err) { toastError(err); return; }
    const orgChoices = orgs.length ? orgOptions(orgs)
      : [{ value: String(ctx.user.organisationId), label: ctx.user.organisationName || String(ctx.user.organisationId) }];
    const saved = await formDialog({
      title: role ? t('role.edit') : t('role.create'),
      testid: 'role-dialog',
      fields: [
        { name: 'name', label: t('role.name'), testid: 'role-name', value: role ? role.name : '', required: true },
        role ? null : { name: 'organisationId', type: 'select', label: t('common.organisation'), testid: 'role-org', options: orgChoices, value: String(ctx.user.organisationId), required: true },
        { name: 'permissions', type: 'checkboxes', label: t('role.permissions'), testid: 'role-permission', groupTestid: 'role-permissions',
          value: role ? role.permissions || [] : [],
          options: permissions.map((p) => ({ value: p.name, label: permissionLabel(p.name), hint: p.description, data: { permission: p.name } })) },
      ],
      onSubmit: (v) => {
        if (role) return api.patch(`/roles/${api.enc(role.id)}`, { name: v.name.trim(), permissions: v.permissions });
        const org = orgs.find((o) => String(o.id) === v.organisationId);
        return api.post('/roles', { name: v.name.trim(), organisationId: org ? org.id : v.organisationId, permissions: v.permissions });
      },
    });
    if (saved) { toast(t('common.saved')); load(); }
  }

  async function remove(role) {
    if (!(await confirmDialog(t('role.confirmDelete', { name: role.name })))) return;
    try {
      await api.del(`/roles/${api.enc(role.id)}`);
      toast(t('common.deleted'));
      load();
    } catch (err) { toastError(err); }
  }

  load();
}
