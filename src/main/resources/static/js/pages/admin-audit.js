// "/admin/audit" — the audit trail, newest first, filtered by actor, account and time; page by page.
import { h, replace, main, timeOf } from '../dom.js';
import { startAdmin, adminApi, errorBox, table, cell, queryParams, setQuery } from '../admin/console.js';

const FILTERS = [
  ['actor', 'Actor (token sub)', 'text'],
  ['accountId', 'Account', 'text'],
  ['from', 'From (UTC day or instant)', 'text'],
  ['to', 'To (UTC day or instant)', 'text'],
];
const session = startAdmin({ active: '/admin/audit' });
const state = { filters: queryParams(), cursor: null, generation: 0 };
let rows, more, status, problem;
if (session) layout();

function layout() {
  const inputs = {};
  const form = h('form', { class: 'toolbar-admin', role: 'search', 'aria-label': 'Filter the audit trail' },
    FILTERS.map(([name, label]) => {
      inputs[name] = h('input', { id: `f-${name}`, name, value: state.filters[name] ?? '', autocomplete: 'off',
        'data-testid': `audit-filter-${name}` });
      return h('div', { class: 'field' }, h('label', { for: `f-${name}` }, label), inputs[name]);
    }),
    h('button', { type: 'submit', class: 'button primary' }, 'Filter'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    state.filters = Object.fromEntries(Object.entries(inputs).map(([k, el]) => [k, el.value.trim()]).filter(([, v]) => v));
    setQuery(state.filters);
    restart();
  });
  const t = table('Audit trail, newest first', ['When', 'Actor', 'Action', 'Account', 'Reason', 'Outcome', 'Request', 'Detail']);
  rows = t.body;
  more = h('button', { type: 'button', class: 'button', hidden: true }, 'More');
  more.addEventListener('click', load);
  status = h('p', { class: 'hint', role: 'status' });
  problem = h('div');
  replace(main(), h('h1', {}, 'Audit trail'), form, problem, h('section', { class: 'card' }, t.el, h('p', {}, more), status));
  load();
}

function restart() {
  state.generation += 1;
  state.cursor = null;
  rows.replaceChildren();
  load();
}

async function load() {
  const generation = state.generation;
  const params = new URLSearchParams({ ...state.filters, limit: '50' });
  if (state.cursor) params.set('cursor', state.cursor);
  status.textContent = 'Loading…';
  problem.replaceChildren();
  try {
    const page = await adminApi(`/api/v1/admin/audit?${params}`);
    if (generation !== state.generation) return;
    for (const item of page.items) rows.append(row(item));
    state.cursor = page.nextCursor ?? null;
    more.hidden = !state.cursor;
    const n = rows.children.length;
    status.textContent = n === 0 ? 'No audit rows match.' : `${n} shown${state.cursor ? '' : ', all there are'}.`;
  } catch (error) {
    if (generation !== state.generation) return;
    status.textContent = '';
    replace(problem, errorBox(error, 'Could not load the audit trail.'));
  }
}

function row(item) {
  const req = item.request ?? {};
  return h('tr', { 'data-testid': 'audit-row', 'data-action': item.action, 'data-outcome': item.outcome },
    cell(timeOf(item.at)), cell(h('code', {}, item.actor)), cell(item.action),
    cell(item.accountId ? h('a', { href: `/admin/accounts/${encodeURIComponent(item.accountId)}` }, item.accountId) : '—'),
    cell(item.reason), cell(h('span', { class: item.outcome === 'applied' ? 'ok' : item.outcome === 'replayed' ? '' : 'bad' },
      `${item.outcome} (${item.status})`)),
    cell(h('code', {}, `${req.method ?? ''} ${req.path ?? ''}`)), cell(item.detail));
}
