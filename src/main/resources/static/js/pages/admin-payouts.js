// "/admin/payouts" — revenue-share payouts made (per world and day), what is pending, and a payout run by hand.
import { h, replace, main, timeOf } from '../dom.js';
import { formatCredits, toMillicredits } from '../money.js';
import { startAdmin, adminApi, errorBox, reasonField, review, table, cell, queryParams, setQuery } from '../admin/console.js';

const session = startAdmin({ active: '/admin/payouts' });
let out;
if (session) layout();

function yesterday() {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

function layout() {
  const q = queryParams();
  const from = h('input', { id: 'p-from', type: 'date', value: q.from ?? '' });
  const to = h('input', { id: 'p-to', type: 'date', value: q.to ?? '' });
  const filter = h('form', { class: 'toolbar-admin' },
    h('div', { class: 'field' }, h('label', { for: 'p-from' }, 'From (UTC)'), from),
    h('div', { class: 'field' }, h('label', { for: 'p-to' }, 'To (UTC)'), to),
    h('button', { type: 'submit', class: 'button primary' }, 'Show'));
  filter.addEventListener('submit', (e) => {
    e.preventDefault();
    setQuery({ from: from.value, to: to.value });
    load(from.value, to.value);
  });
  out = h('div');
  replace(main(), h('h1', {}, 'Payouts'), filter, out, runForm());
  load(from.value, to.value);
}

async function load(from, to) {
  const p = new URLSearchParams();
  if (from) p.set('from', from);
  if (to) p.set('to', to);
  replace(out, h('p', { class: 'loading' }, 'Loading…'));
  try {
    const o = await adminApi(`/api/v1/admin/payouts?${p}`);
    const pending = table('Pending', ['Day', 'World', 'Owner', { label: 'Plays', num: true }, { label: 'Spend', num: true },
      { label: 'Share now', num: true }, 'Payable']);
    for (const r of o.pending) {
      pending.body.append(h('tr', { 'data-testid': 'pending-row' }, cell(r.day), cell(h('code', {}, r.worldId)),
        cell(h('a', { href: `/admin/accounts/${encodeURIComponent(r.ownerId)}` }, r.ownerId)), cell(String(r.plays), { num: true }),
        cell(formatCredits(r.playSpendMillicredits), { num: true }), cell(formatCredits(r.shareMillicredits), { num: true }),
        cell(r.payable ? 'yes' : 'after the day ends')));
    }
    const made = table('Payouts made', ['Day', 'World', 'Owner', 'Batch', { label: 'Plays', num: true }, { label: 'Spend', num: true },
      { label: 'Paid', num: true }, 'When']);
    for (const r of o.payouts) {
      made.body.append(h('tr', { 'data-testid': 'payout-row' }, cell(r.day), cell(h('code', {}, r.worldId)),
        cell(h('a', { href: `/admin/accounts/${encodeURIComponent(r.ownerId)}` }, r.ownerId)), cell(String(r.batch)),
        cell(String(r.paidPlays), { num: true }), cell(formatCredits(r.playSpendMillicredits), { num: true }),
        cell(formatCredits(r.amountMillicredits), { num: true }), cell(timeOf(r.createdAt))));
    }
    replace(out,
      h('section', { class: 'card' }, h('h2', {}, `Pending: ${formatCredits(o.pendingMillicredits)} credits`),
        h('p', { class: 'hint' }, `Share ${o.sharePercent} % of other players’ paid plays, rounded half-up once per owner, world and day.`),
        o.pending.length ? pending.el : h('p', { class: 'hint' }, 'Nothing pending.')),
      h('section', { class: 'card' }, h('h2', {}, `Paid ${o.from} to ${o.to}: ${formatCredits(o.paidMillicredits)} credits`),
        o.payouts.length ? made.el : h('p', { class: 'hint' }, 'No payouts in these days.')));
    out.dataset.pending = JSON.stringify(o.pending);
  } catch (error) {
    replace(out, errorBox(error, 'Could not load the payouts.'));
  }
}

function runForm() {
  const through = h('input', { id: 'run-through', type: 'date', value: yesterday(), 'data-testid': 'payout-through' });
  const box = h('div');
  const form = h('form', { class: 'form', novalidate: true },
    h('div', { class: 'field' }, h('label', { for: 'run-through' }, 'Pay everything unpaid through (UTC day, over already)'), through),
    reasonField('run-reason'), h('p', {}, h('button', { type: 'submit', class: 'button' }, 'Review')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const reason = form.querySelector('textarea').value.trim();
    if (!reason || !through.value) {
      replace(box, errorBox('A day and a reason are required.'));
      return;
    }
    const pending = JSON.parse(out.dataset.pending ?? '[]').filter((r) => r.day <= through.value);
    const sum = pending.reduce((s, r) => s + toMillicredits(r.shareMillicredits), 0n);
    review(box, {
      lines: [`Pay ${pending.length} pending (owner, world, day) groups through ${through.value}: about ${formatCredits(sum)} credits to world owners.`,
        'The nightly job pays the same; a run pays nothing twice.', `Reason: ${reason}`],
      confirmLabel: 'Run the payout',
      run: () => adminApi('/api/v1/admin/payouts', { method: 'POST', body: { through: through.value }, reason }),
      done: (r) => {
        load('', '');
        return `Paid ${r.payouts.length} payouts, ${formatCredits(r.payouts.reduce((s, p) => s + toMillicredits(p.amountMillicredits), 0n))} credits.`;
      },
    });
  });
  return h('section', { class: 'card' }, h('h2', {}, 'Run a payout by hand'), form, box);
}
