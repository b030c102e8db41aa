// Organisations as other pages need them: the visible list, a tree built from
// parentId, options for a <select> indented by depth, and localized kind names.
import * as api from './api.js';
import { t } from './i18n.js';

export const KINDS = ['union', 'audit', 'bank', 'village', 'other'];

export function kindLabel(kind) {
  return KINDS.includes(kind) ? t(`kind.${kind}`) : String(kind || '');
}

export async function loadOrganisations() {
  return api.itemsOf(await api.get('/organisations'));
}

// Roots are organisations whose parent is not visible (the user's own organisation).
// Returns [{org, children: [...]}], children sorted by name.
export function buildTree(items) {
  const byId = new Map(items.map((o) => [String(o.id), { org: o, children: [] }]));
  const roots = [];
  for (const node of byId.values()) {
    const parent = node.org.parentId != null ? byId.get(String(node.org.parentId)) : null;
    if (parent && parent !== node) parent.children.push(node);
    else roots.push(node);
  }
  const sort = (list) => {
    list.sort((a, b) => String(a.org.name).localeCompare(String(b.org.name), 'zh-CN'));
    list.forEach((n) => sort(n.children));
  };
  sort(roots);
  return roots;
}

// Depth-first list of {org, depth}, parents before their children.
export function flatten(items) {
  const out = [];
  const walk = (nodes, depth) => nodes.forEach((n) => { out.push({ org: n.org, depth }); walk(n.children, depth + 1); });
  walk(buildTree(items), 0);
  return out;
}

// <select> options; the label is indented with no-break spaces (options cannot be
// styled), data-name keeps the plain name for tests and screen readers.
export function orgOptions(items) {
  return flatten(items).map(({ org, depth }) => ({
    value: String(org.id),
    label: `${'\u00a0\u00a0\u00a0'.repeat(depth)}${org.name}`,
    data: { name: org.name },
  }));
}

export function orgName(items, id) {
  const o = items.find((x) => String(x.id) === String(id));
  return o ? o.name : (id == null ? '' : String(id));
}
