// The filter form shared by the call log and the audit log: a row of labelled
// inputs and a search button; values come back as query parameters.
import { t } from './i18n.js';
import { el, field } from './ui.js';

// "2024-05-01T08:30" (local, from <input type=datetime-local>) → ISO 8601 in UTC.
export function toIso(local) {
  if (!local) return '';
  const d = new Date(local);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString();
}

// specs: field specs (see ui.field), each with `name`; values: the current filter
// values by name. onSubmit(values) gets the new values.
export function filterForm({ specs, values, onSubmit, testid }) {
  const fields = specs.map((s) => ({ s, f: field({ ...s, value: values[s.name] ?? s.value }) }));
  const submit = el('button', { type: 'submit', class: 'btn btn-primary', testid: `${testid}-submit` }, t('calls.filter'));
  const reset = el('button', { type: 'reset', class: 'btn', testid: `${testid}-reset` }, t('common.reset'));
  const form = el('form', { class: 'filters filters-grid', testid }, fields.map((x) => x.f.node), el('div', { class: 'filter-buttons' }, submit, reset));
  const collect = () => Object.fromEntries(fields.map(({ s, f }) => [s.name, String(f.get()).trim()]));
  form.addEventListener('submit', (e) => { e.preventDefault(); onSubmit(collect()); });
  // After the browser has cleared the inputs, search with the empty filter.
  form.addEventListener('reset', () => setTimeout(() => onSubmit(collect()), 0));
  return form;
}
