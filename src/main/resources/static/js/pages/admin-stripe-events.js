// "/admin/stripe-events" — every verified Stripe event received, newest first, with what processing did.
import { h, replace, main, timeOf } from '../dom.js';
import { startAdmin, adminApi, errorBox, table, cell, queryParams, setQuery } from '../admin/console.js';

const session = startAdmin({ active: '/admin/stripe-events' });
if (session) layout();

function layout() {
  const q = queryParams();
  const sessionId = h('input', { id: 'e-session', value: q.sessionId ?? '', autocomplete: 'off' });
  const paymentIntent = h('input', { id: 'e-pi', value: q.paymentIntent ?? '', autocomplete: 'off' });
  const outcome = h('select', { id: 'e-outcome' }, h('option', { value: '' }, 'Any outcome'),
    ['granted', 'already_granted', 'awaiting_payment', 'review', 'in_review', 'refunded', 'refund_recorded',
      'refund_already_applied', 'disputed', 'dispute_reversed', 'dispute_recorded', 'dispute_already_applied',
      'nothing_to_take', 'no_change', 'unknown_payment', 'invalid_event', 'ignored', 'failed'].map((o) => h('option', { value: o, selected: o === q.outcome }, o)));
  const out = h('div');
  const form = h('form', { class: 'toolbar-admin', role: 'search' },
    h('div', { class: 'field' }, h('label', { for: 'e-session' }, 'Checkout Session'), sessionId),
    h('div', { class: 'field' }, h('label', { for: 'e-pi' }, 'Payment intent'), paymentIntent),
    h('div', { class: 'field' }, h('label', { for: 'e-outcome' }, 'Outcome'), outcome),
    h('button', { type: 'submit', class: 'button primary' }, 'Filter'));
  const run = () => {
    const filters = { sessionId: sessionId.value.trim(), paymentIntent: paymentIntent.value.trim(), outcome: outcome.value };
    setQuery(filters);
    load(filters, out);
  };
  form.addEventListener('submit', (e) => { e.preventDefault(); run(); });
  replace(main(), h('h1', {}, 'Stripe events'), form, out);
  run();
}

async function load(filters, out) {
  const p = new URLSearchParams({ limit: '200' });
  if (filters.sessionId) p.set('sessionId', filters.sessionId);
  if (filters.paymentIntent) p.set('paymentIntent', filters.paymentIntent);
  replace(out, h('p', { class: 'loading' }, 'Loading…'));
  try {
    const { items } = await adminApi(`/api/v1/admin/stripe-events?${p}`);
    const shown = filters.outcome ? items.filter((e) => e.outcome === filters.outcome) : items;
    const t = table('Stripe events', ['Received', 'Event', 'Type', 'Outcome', 'Session', 'Payment intent', 'Detail']);
    for (const e of shown) {
      t.body.append(h('tr', { 'data-testid': 'stripe-event', 'data-outcome': e.outcome }, cell(timeOf(e.receivedAt)),
        cell(h('code', {}, e.eventId)), cell(e.type), cell(e.outcome),
        cell(e.sessionId ? h('a', { href: `/admin?q=${encodeURIComponent(e.sessionId)}` }, e.sessionId) : '—'),
        cell(e.paymentIntent ? h('code', {}, e.paymentIntent) : '—'), cell(e.detail)));
    }
    replace(out, h('section', { class: 'card' }, h('p', { class: 'hint' }, `${shown.length} of the latest ${items.length} events.`),
      shown.length ? t.el : h('p', {}, 'No events match.')));
  } catch (error) {
    replace(out, errorBox(error, 'Could not load the Stripe events.'));
  }
}
