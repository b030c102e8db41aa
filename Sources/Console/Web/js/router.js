// Hash routes: #/organisations, #/users, ... One route per console section; each
// section names the permission that shows it in the navigation.
import * as organisations from './views/organisations.js';
import * as users from './views/users.js';
import * as roles from './views/roles.js';
import * as applications from './views/applications.js';
import * as calls from './views/calls.js';
import * as audit from './views/audit.js';
import * as verifications from './views/verifications.js';

export const SECTIONS = [
  { name: 'organisations', permission: 'org.read', view: organisations },
  { name: 'users', permission: 'user.read', view: users },
  { name: 'roles', permission: 'user.read', view: roles },
  { name: 'applications', permission: 'app.read', view: applications },
  { name: 'verifications', permission: 'verification.read', view: verifications },
  { name: 'calls', permission: 'log.read', view: calls },
  { name: 'audit', permission: 'audit.read', view: audit },
];

export function allowedSections(user) {
  const perms = new Set((user && user.permissions) || []);
  return SECTIONS.filter((s) => perms.has(s.permission));
}

export function currentRoute() {
  const m = /^#\/([a-z-]+)/.exec(location.hash || '');
  return m ? m[1] : '';
}

export function navigate(name) {
  location.hash = `#/${name}`;
}
