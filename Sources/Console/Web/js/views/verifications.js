// Liveness verifications (H5): every session, newest first, filtered by state, code,
// scene, external user and time. A row opens the detail: outcome, scores, the best frame
// and the audit frames, the detected actions and the timeline of hints and actions.
import * as api from '../api.js';
import { t } from '../i18n.js';
import { el, button, table, pager, errorBanner, formatTime, openDialog, toastError } from '../ui.js';
import { filterForm, toIso } from '../filters.js';

const SIZE = 20;
const STATES = ['created', 'started', 'passed', 'failed', 'expired'];
const state = { filter: {}, page: 1 };

// A label from the strings, or the raw value when there is none (a new code or kind).
function label(prefix, value) {
  const key = `${prefix}.${value}`;
  const s = t(key);
  return s === key ? String(value) : s;
}

function stateTag(value, testid) {
  const kind = value === 'passed' ? 'tag tag-on' : value === 'failed' ? 'tag tag-warn' : 'tag tag-off';
  return el('span', { class: kind, testid, dataset: { state: value } }, label('verif.state', value));
}

function score(value) {
  return value === null || value === undefined ? '' : Number(value).toFixed(1);
}

// Only the server's own JPEG data URLs become image sources.
function frame(src, testid, alt) {
  if (typeof src !== 'string' || !src.startsWith('data:image/jpeg;base64,')) return null;
  return el('img', { src, alt, testid, class: 'verif-frame' });
}

export function render(container) {
  const list = el('div', { class: 'list', testid: 'verification-list' }, t('app.loading'));
  const form = filterForm({
    testid: 'verifications-filter',
    values: state.filter,
    specs: [
      { name: 'state', type: 'select', label: t('verif.state'), testid: 'verifications-state',
        options: [{ value: '', label: t('verif.anyState') }, ...STATES.map((s) => ({ value: s, label: label('verif.state', s) }))] },
      { name: 'code', label: t('calls.code'), testid: 'verifications-code', placeholder: '0' },
      { name: 'sceneId', label: t('verif.sceneId'), testid: 'verifications-scene' },
      { name: 'externalUserId', label: t('verif.externalUserId'), testid: 'verifications-user' },
      { name: 'from', type: 'datetime-local', label: t('calls.from'), testid: 'verifications-from' },
      { name: 'to', type: 'datetime-local', label: t('calls.to'), testid: 'verifications-to' },
    ],
    onSubmit: (values) => { state.filter = values; state.page = 1; load(); },
  });
  container.replaceChildren(el('div', { class: 'view-head' }, el('h1', {}, t('verif.title'))), form, list);

  async function load() {
    const f = state.filter;
    try {
      const data = await api.get(`/verifications${api.query({
        state: f.state, code: f.code, sceneId: f.sceneId, externalUserId: f.externalUserId,
        from: toIso(f.from), to: toIso(f.to), page: state.page, size: SIZE,
      })}`);
      list.replaceChildren(verificationTable(api.itemsOf(data)),
        pager({ page: state.page, size: SIZE, total: data.total, onChange: (p) => { state.page = p; load(); } }));
    } catch (err) {
      list.replaceChildren(errorBanner(err));
    }
  }

  function verificationTable(rows) {
    return table({
      testid: 'verification-table',
      rows,
      rowAttrs: (v) => ({ testid: 'verification-row', dataset: { id: v.id, state: v.state, code: v.code ?? '' } }),
      columns: [
        { label: t('calls.time'), class: 'nowrap', render: (v) => formatTime(v.createdAt) },
        { label: t('verif.scene'), render: (v) => el('span', { testid: 'verification-scene-cell', title: v.sceneId }, v.sceneName || v.sceneId) },
        { label: t('verif.externalUserId'), render: (v) => el('span', { testid: 'verification-user-cell' }, v.externalUserId || '') },
        { label: t('verif.state'), render: (v) => stateTag(v.state, 'verification-state-cell') },
        { label: t('calls.code'), render: (v) => el('span', { testid: 'verification-code-cell', title: v.message || '' }, v.code ?? '') },
        { label: t('verif.liveness'), class: 'num', render: (v) => score(v.livenessScore) },
        { label: t('verif.similarity'), class: 'num', render: (v) => score(v.similarity) },
        { label: t('verif.attempts'), class: 'num', render: (v) => v.attempts },
        { label: t('verif.actions'), render: (v) => (v.actions || []).map((a) => el('span', { class: 'tag' }, label('verif.action', a))) },
        { label: '', class: 'nowrap', render: (v) => button(t('verif.open'), 'verification-open', () => openDetail(v.id), 'btn-small') },
      ],
    });
  }

  load();
}

async function openDetail(id) {
  let v;
  try { v = await api.get(`/verifications/${api.enc(id)}`); } catch (err) { toastError(err); return; }
  const close = button(t('common.close'), 'verification-detail-close', () => d.close());
  const d = openDialog({ title: t('verif.detailTitle'), testid: 'verification-detail', content: detailContent(v), actions: [close] });
  d.dialog.classList.add('dialog-wide');
}

function detailContent(v) {
  const rows = [
    [t('verif.id'), el('code', {}, v.id)],
    [t('verif.state'), stateTag(v.state, 'verification-detail-state')],
    [t('calls.code'), el('span', { testid: 'verification-detail-code' }, v.code ?? '')],
    [t('verif.message'), v.message || ''],
    [t('verif.scene'), `${v.sceneName || ''} (${v.sceneId || ''})`],
    [t('verif.mode'), v.mode ? label('verif.mode', v.mode) : ''],
    [t('calls.application'), v.applicationName || v.applicationId || ''],
    [t('verif.externalUserId'), el('span', { testid: 'verification-detail-user' }, v.externalUserId || '')],
    [t('verif.liveness'), score(v.livenessScore)],
    [t('verif.similarity'), score(v.similarity)],
    [t('verif.attempts'), v.attempts],
    [t('verif.actions'), (v.actions || []).map((a) => el('span', { class: 'tag' }, label('verif.action', a)))],
    [t('verif.created'), formatTime(v.createdAt)],
    [t('verif.started'), formatTime(v.startedAt)],
    [t('verif.finished'), formatTime(v.finishedAt)],
    [t('verif.expires'), formatTime(v.expiresAt)],
    [t('calls.callerIp'), v.ip || ''],
    [t('verif.extra'), v.extra || ''],
    [t('verif.callback'), v.callback ? `${label('verif.callbackState', v.callback.state)} (${v.callback.attempts})${v.callback.lastError ? ` ${v.callback.lastError}` : ''}` : t('common.none')],
  ];
  const summary = el('dl', { class: 'verif-summary', testid: 'verification-summary' },
    rows.map(([k, value]) => [el('dt', {}, k), el('dd', {}, value)]));

  const best = frame(v.bestFrame, 'verification-best-frame', t('verif.bestFrame'));
  const audits = (v.auditFrames || []).map((src, i) => frame(src, 'verification-audit-frame', `${t('verif.auditFrames')} ${i + 1}`)).filter(Boolean);
  const frames = el('section', { class: 'verif-frames' },
    el('h3', {}, t('verif.bestFrame')),
    best || el('p', { class: 'hint', testid: 'verification-no-best-frame' }, t('verif.noFrame')),
    el('h3', {}, t('verif.auditFrames')),
    audits.length ? el('div', { class: 'verif-frame-row' }, audits) : el('p', { class: 'hint' }, t('verif.noFrame')),
    v.missingFrames ? el('p', { class: 'hint', testid: 'verification-missing-frames' }, t('verif.missingFrames', { count: v.missingFrames })) : null);

  const detected = el('ul', { class: 'verif-detected', testid: 'verification-detected' },
    (v.detected || []).length
      ? v.detected.map((a) => el('li', { dataset: { action: a.action } },
        `${label('verif.action', a.action)} ${Number(a.startedAt).toFixed(2)}s – ${Number(a.completedAt).toFixed(2)}s`))
      : el('li', { class: 'hint' }, t('common.none')));

  const timeline = table({
    testid: 'verification-timeline',
    rows: v.timeline || [],
    rowAttrs: (e) => ({ testid: 'verification-event', dataset: { kind: e.kind, attempt: e.attempt } }),
    columns: [
      { label: t('verif.attempt'), class: 'num', render: (e) => e.attempt },
      { label: t('verif.at'), class: 'num', render: (e) => `${Number(e.at).toFixed(2)}s` },
      { label: t('verif.kind'), render: (e) => label('verif.kind', e.kind) },
      { label: t('verif.detail'), render: (e) => el('code', {}, e.detail) },
    ],
  });

  const device = v.device ? el('pre', { class: 'json', testid: 'verification-device' }, JSON.stringify(v.device, null, 2)) : el('p', { class: 'hint' }, t('common.none'));

  return [summary, frames,
    el('h3', {}, t('verif.detected')), detected,
    el('h3', {}, t('verif.timeline')), timeline,
    el('h3', {}, t('verif.device')), device];
}
