// Organisations: the visible tree, with create (child), rename/re-kind and delete.
import * as api from '../api.js';
import { t } from '../i18n.js';
import { el, button, formDialog, confirmDialog, toast, toastError, errorBanner, formatTime } from '../ui.js';
import { KINDS, kindLabel, buildTree, orgOptions, loadOrganisations } from '../orgs.js';

export function render(container, ctx) {
  const canWrite = ctx.can('org.write');
  const body = el('div', { class: 'org-body', testid: 'org-tree-slot' }, t('app.loading'));
  container.replaceChildren(
    el('div', { class: 'view-head' },
      el('h1', {}, t('org.title')),
      canWrite ? button(t('org.create'), 'org-create', () => edit(null, ctx.user.organisationId), 'btn-primary') : null),
    body);

  let items = [];

  async function load() {
    try {
      items = await loadOrganisations();
      body.replaceChildren(tree());
    } catch (err) {
      body.replaceChildren(errorBanner(err));
    }
  }

  function tree() {
    const renderNodes = (nodes) => el('ul', { class: 'tree' }, nodes.map((n) => el('li', {
      class: 'tree-node', testid: 'org-node', dataset: { orgId: n.org.id, name: n.org.name },
    },
    el('div', { class: 'tree-row' },
      el('span', { class: 'tree-name', testid: 'org-node-name' }, n.org.name),
      el('span', { class: `tag tag-${n.org.kind}`, testid: 'org-node-kind' }, kindLabel(n.org.kind)),
      el('span', { class: 'hint' }, formatTime(n.org.createdAt)),
      canWrite ? el('span', { class: 'row-actions' },
        button(t('org.createChild'), 'org-add-child', () => edit(null, n.org.id), 'btn-small'),
        button(t('org.rename'), 'org-rename', () => edit(n.org), 'btn-small'),
        button(t('common.delete'), 'org-delete', () => remove(n.org), 'btn-small btn-danger')) : null),
    n.children.length ? renderNodes(n.children) : null)));
    return items.length ? el('div', { class: 'tree-wrap', testid: 'org-tree' }, renderNodes(buildTree(items)))
      : el('p', { class: 'hint', testid: 'table-empty' }, t('common.empty'));
  }

  // org: the one to edit, or null to create a child of parentId.
  async function edit(org, parentId) {
    const kinds = KINDS.map((k) => ({ value: k, label: kindLabel(k) }));
    const saved = await formDialog({
      title: org ? t('org.edit') : t('org.create'),
      testid: 'org-dialog',
      fields: [
        org ? null : { name: 'parentId', type: 'select', label: t('org.parent'), testid: 'org-parent', options: orgOptions(items), value: parentId, required: true },
        { name: 'name', label: t('org.name'), testid: 'org-name', value: org ? org.name : '', required: true },
        { name: 'kind', type: 'select', label: t('org.kind'), testid: 'org-kind', options: kinds, value: org ? org.kind : 'bank' },
      ],
      onSubmit: (v) => {
        const name = v.name.trim();
        if (org) return api.patch(`/organisations/${api.enc(org.id)}`, { name, kind: v.kind });
        return api.post('/organisations', { name, kind: v.kind, parentId: parentIdValue(v.parentId) });
      },
    });
    if (saved) { toast(t('common.saved')); load(); }
  }

  // Ids travel as the server sent them; a select only holds strings.
  function parentIdValue(value) {
    const o = items.find((x) => String(x.id) === value);
    return o ? o.id : value;
  }

  async function remove(org) {
    if (!(await confirmDialog(t('org.confirmDelete', { name: org.name })))) return;
    try {
      await api.del(`/organisations/${api.enc(org.id)}`);
      toast(t('common.deleted'));
      load();
    } catch (err) {
      if (err.code === 4009) toast(t('org.deleteConflict'), 'error');
      else toastError(err);
    }
  }

  load();
}
