// "/admin/books" — per UTC day: opening, every movement, closing, and whether it balances; a chart and the CSV.
import { h, replace, main } from '../dom.js';
import { formatCredits, formatPrice } from '../money.js';
import { startAdmin, adminApi, errorBox, table, cell, queryParams, setQuery } from '../admin/console.js';
import { booksChart, booksLegend } from '../admin/books-chart.js';

const COLUMNS = [
  ['openingMillicredits', 'Opening'],
  ['purchasedMillicredits', 'Purchased'],
  ['bonusMillicredits', 'Bonus'],
  ['grantedMillicredits', 'Granted'],
  ['adjustedMillicredits', 'Adjusted'],
  ['consumedMillicredits', 'Consumed'],
  ['consumedPromotionalMillicredits', 'of it promotional'],
  ['freeTurnCostMillicredits', 'Free turns’ cost'],
  ['revenueShareMillicredits', 'Revenue share'],
  ['refundedMillicredits', 'Refunded'],
  ['disputedMillicredits', 'Disputed'],
  ['disputeReversedMillicredits', 'Reversed'],
  ['expiredMillicredits', 'Expired'],
  ['uncollectedMillicredits', 'Uncollected'],
  ['closingMillicredits', 'Closing'],
];

const session = startAdmin({ active: '/admin/books' });
if (session) layout();

function layout() {
  const q = queryParams();
  const from = h('input', { id: 'books-from', name: 'from', type: 'date', value: q.from ?? '' });
  const to = h('input', { id: 'books-to', name: 'to', type: 'date', value: q.to ?? '' });
  const out = h('div');
  const form = h('form', { class: 'toolbar-admin', 'aria-label': 'Days' },
    h('div', { class: 'field' }, h('label', { for: 'books-from' }, 'From (UTC)'), from),
    h('div', { class: 'field' }, h('label', { for: 'books-to' }, 'To (UTC)'), to),
    h('button', { type: 'submit', class: 'button primary' }, 'Show'),
    h('button', { type: 'button', class: 'button', 'data-testid': 'books-csv', onclick: () => csv(from.value, to.value, out) }, 'Download CSV'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    setQuery({ from: from.value, to: to.value });
    load(from.value, to.value, out);
  });
  replace(main(), h('h1', {}, 'Books'),
    h('p', { class: 'lede' }, 'Each UTC day: opening + movements = closing, and closing = the sum of all balances at the end of the day.'),
    form, out);
  load(from.value, to.value, out);
}

function query(from, to) {
  const p = new URLSearchParams();
  if (from) p.set('from', from);
  if (to) p.set('to', to);
  return p.toString() ? `?${p}` : '';
}

async function load(from, to, out) {
  replace(out, h('p', { class: 'loading', role: 'status' }, 'Loading…'));
  try {
    const books = await adminApi(`/api/v1/admin/books${query(from, to)}`);
    const days = books.days;
    const unbalanced = days.filter((d) => !d.balanced).length;
    const t = table('Books per day', [{ label: 'Day' }, ...COLUMNS.map(([, label]) => ({ label, num: true })), { label: 'Stripe money' }, { label: 'Balanced' }]);
    for (const d of [...days].reverse()) {
      t.body.append(h('tr', { 'data-testid': 'books-day', 'data-day': d.day, 'data-balanced': String(d.balanced) },
        cell(d.day), COLUMNS.map(([field]) => cell(d[field] == null ? '—' : formatCredits(d[field]), { num: true })),
        cell((d.money ?? []).map((m) => `${formatPrice(m.purchasedCents, m.currency)} in, ${formatPrice(m.refundedCents + m.disputedCents - m.disputeReversedCents, m.currency)} back`).join('; ') || '—'),
        cell(d.balanced ? h('span', { class: 'ok' }, '✓ balanced') : h('span', { class: 'bad' }, '✗ off'))));
    }
    replace(out,
      h('section', { class: 'card' }, h('h2', {}, 'Credits in, out and outstanding'), booksChart(days), booksLegend(),
        h('p', { 'data-testid': 'books-status', class: unbalanced ? 'bad' : 'ok' },
          unbalanced ? `${unbalanced} of ${days.length} days do not balance.` : `All ${days.length} days balance.`)),
      h('section', { class: 'card' }, h('p', { class: 'hint' }, 'Credits (1 credit = 1,000 millicredits), newest day first.'), t.el));
  } catch (error) {
    replace(out, errorBox(error, 'Could not load the books.'));
  }
}

async function csv(from, to, out) {
  try {
    const response = await adminApi(`/api/v1/admin/books.csv${query(from, to)}`, { accept: 'text/csv' });
    const url = URL.createObjectURL(await response.blob());
    const link = h('a', { href: url, download: 'books.csv', hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  } catch (error) {
    out.prepend(errorBox(error, 'Could not download the CSV.'));
  }
}
