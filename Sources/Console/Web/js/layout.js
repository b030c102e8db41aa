// The signed-in frame: header (product, user, organisation, language, sign out) and
// the side navigation, which becomes a drop-down menu on a phone (see console.css).
import { el, button } from './ui.js';
import { t } from './i18n.js';

export function renderLayout(root, { user, sections, active, onLogout, onChangePassword, onToggleLang }) {
  const navList = el('ul', { class: 'nav-list', id: 'nav-list', testid: 'nav-list' },
    sections.map((s) => el('li', {},
      el('a', { href: `#/${s.name}`, class: s.name === active ? 'nav-link active' : 'nav-link', testid: `nav-${s.name}`,
        'aria-current': s.name === active ? 'page' : null,
        on: { click: () => nav.classList.remove('open') } }, t(`nav.${s.name}`)))));
  const menuToggle = el('button', { type: 'button', class: 'btn nav-toggle', testid: 'nav-toggle', 'aria-controls': 'nav-list', 'aria-expanded': 'false',
    on: { click: () => {
      const open = nav.classList.toggle('open');
      menuToggle.setAttribute('aria-expanded', String(open));
    } } }, t('header.menu'));
  const nav = el('nav', { class: 'side-nav', testid: 'side-nav', 'aria-label': t('header.menu') }, menuToggle, navList);

  const canChangePassword = user.source === 'local';
  const header = el('header', { class: 'top-bar', testid: 'header' },
    el('span', { class: 'product', testid: 'header-product' }, t('app.title')),
    el('div', { class: 'who' },
      el('span', { class: 'who-name', testid: 'header-user-name' }, user.displayName || user.username),
      el('span', { class: 'who-org', testid: 'header-org-name' }, user.organisationName || '')),
    el('div', { class: 'header-actions' },
      button(t('lang.switch'), 'lang-toggle', onToggleLang, 'btn-ghost'),
      canChangePassword ? button(t('header.changePassword'), 'header-change-password', onChangePassword, 'btn-ghost') : null,
      button(t('header.signOut'), 'logout', onLogout, 'btn-ghost')));
  header.querySelector('[data-testid=lang-toggle]').title = t('lang.switchTitle');

  const main = el('main', { class: 'content', testid: 'content', tabindex: '-1' });
  root.replaceChildren(el('div', { class: 'shell' }, header, el('div', { class: 'body' }, nav, main)));
  return { main, nav };
}

// Marks the active link after a route change without rebuilding the frame.
export function markActive(nav, name) {
  for (const a of nav.querySelectorAll('a.nav-link')) {
    const on = a.getAttribute('data-testid') === `nav-${name}`;
    a.classList.toggle('active', on);
    if (on) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
}
