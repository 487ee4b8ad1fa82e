// "/admin/reconciliation" — every ledger, payment, grant and books check against the stored data, now.
import { h, replace, main } from '../dom.js';
import { startAdmin, adminApi, errorBox, table, cell } from '../admin/console.js';

const session = startAdmin({ active: '/admin/reconciliation' });
if (session) load();

async function load() {
  replace(main(), h('h1', {}, 'Reconciliation'), h('p', { class: 'loading', role: 'status' }, 'Checking every rule…'));
  try {
    const r = await adminApi('/api/v1/admin/reconciliation');
    const t = table('Checks', ['Check', 'Result', { label: 'Violations', num: true }, { label: 'ms', num: true }, 'What it checks']);
    for (const c of r.checks) {
      t.body.append(h('tr', { 'data-testid': 'check-row', 'data-ok': String(c.ok) }, cell(h('code', {}, c.name)),
        cell(c.ok ? h('span', { class: 'ok' }, '✓ ok') : h('span', { class: 'bad' }, `✗ ${c.status ?? 'failed'}`)),
        cell(c.violations == null ? '—' : String(c.violations), { num: true }), cell(String(c.millis), { num: true }), cell(c.description)));
    }
    const again = h('button', { type: 'button', class: 'button' }, 'Check again');
    again.addEventListener('click', load);
    replace(main(), h('h1', {}, 'Reconciliation'),
      h('section', { class: 'card hero' },
        h('p', { 'data-testid': 'reconciliation-status', class: r.ok ? 'ok' : 'bad' },
          r.ok ? `All ${r.checks.length} checks pass (${r.mode}, ${r.millis} ms).` : `${r.violations} violations: see the failing checks below.`),
        again),
      h('section', { class: 'card' }, t.el));
  } catch (error) {
    replace(main(), h('h1', {}, 'Reconciliation'), errorBox(error, 'Could not run the reconciliation.'));
  }
}
