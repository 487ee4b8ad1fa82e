// "/admin/webhooks" — the webhook endpoints, and for the chosen one (?endpoint=) its delivery log, newest
// first, with "resend" (reviewed, then confirmed). The log refreshes itself every few seconds while shown.
import { h, replace, main, timeOf } from '../dom.js';
import { startAdmin, adminApi, errorBox, table, cell, queryParams, setQuery, review, reasonField } from '../admin/console.js';

const REFRESH_MS = 3000;
const session = startAdmin({ active: '/admin/webhooks' });
if (session) layout();

function layout() {
  const endpoints = h('div');
  const deliveries = h('div');
  replace(main(), h('h1', {}, 'Webhook deliveries'), endpoints, deliveries);
  loadEndpoints(endpoints, deliveries);
}

async function loadEndpoints(out, deliveriesOut) {
  replace(out, h('p', { class: 'loading' }, 'Loading…'));
  let items;
  try {
    ({ items } = await adminApi('/api/v1/admin/webhook-endpoints'));
  } catch (error) {
    replace(out, errorBox(error, 'Could not load the webhook endpoints.'));
    return;
  }
  const chosen = queryParams().endpoint ?? null;
  const t = table('Webhook endpoints', ['Endpoint', 'URL', 'Event types', 'Created', '']);
  for (const e of items) {
    const show = h('button', { type: 'button', class: 'button small', 'data-testid': 'show-deliveries' }, 'Deliveries');
    show.addEventListener('click', () => choose(e.id));
    t.body.append(h('tr', { 'data-testid': 'webhook-endpoint-row', 'data-endpoint-id': e.id,
      'aria-current': e.id === chosen ? 'true' : null },
    cell(h('code', {}, e.id)), cell(h('code', {}, e.url)), cell(e.eventTypes.join(', ')), cell(timeOf(e.createdAt)),
    cell(show)));
  }
  replace(out, h('section', { class: 'card' }, h('h2', {}, 'Endpoints'),
    items.length ? t.el : h('p', { 'data-testid': 'no-endpoints' },
      'No webhook endpoints. Register one with POST /api/v1/admin/webhook-endpoints.')));

  function choose(id) {
    setQuery({ endpoint: id });
    for (const row of out.querySelectorAll('[data-testid=webhook-endpoint-row]')) {
      row.setAttribute('aria-current', row.dataset.endpointId === id ? 'true' : 'false');
    }
    showDeliveries(id, deliveriesOut);
  }
  if (chosen && items.some((e) => e.id === chosen)) showDeliveries(chosen, deliveriesOut);
}

let timer = null;

function showDeliveries(endpointId, out) {
  if (timer) clearInterval(timer);
  const reviewBox = h('div', { 'data-testid': 'resend-review' });
  const list = h('div', { 'data-testid': 'delivery-log', 'data-endpoint-id': endpointId });
  const refresh = h('button', { type: 'button', class: 'button small ghost', 'data-testid': 'refresh-deliveries' }, 'Refresh');
  const reload = () => loadDeliveries(endpointId, list, reviewBox);
  refresh.addEventListener('click', reload);
  replace(out, h('section', { class: 'card' },
    h('h2', {}, 'Deliveries of ', h('code', {}, endpointId)),
    h('p', { class: 'hint' }, 'Newest first. Times are the database\'s; the list refreshes itself. ', refresh),
    reviewBox, list));
  reload();
  timer = setInterval(() => {
    if (document.visibilityState === 'visible' && out.isConnected) reload();
  }, REFRESH_MS);
}

async function loadDeliveries(endpointId, out, reviewBox) {
  let items;
  try {
    ({ items } = await adminApi(`/api/v1/admin/webhook-endpoints/${encodeURIComponent(endpointId)}/deliveries?limit=200`));
  } catch (error) {
    replace(out, errorBox(error, 'Could not load the deliveries.'));
    return;
  }
  const t = table('Deliveries', ['Event', 'Type', 'Account', { label: 'Sequence', num: true },
    { label: 'Attempts', num: true }, 'Last status', { label: 'Latency', num: true }, 'Next attempt', 'State', '']);
  for (const d of items) {
    const resend = h('button', { type: 'button', class: 'button small', 'data-testid': 'resend' }, 'Resend');
    resend.addEventListener('click', () => askResend(endpointId, d, reviewBox, out));
    t.body.append(h('tr', { 'data-testid': 'delivery-row', 'data-delivery-id': d.id, 'data-event-id': d.eventId,
      'data-state': d.state, 'data-attempts': d.attempts },
    cell(h('code', {}, d.eventId)), cell(d.type),
    cell(h('a', { href: `/admin/accounts/${encodeURIComponent(d.accountId)}` }, d.accountId)),
    cell(String(d.sequence), { num: true }),
    cell(h('span', { 'data-testid': 'attempts' }, String(d.attempts)), { num: true }),
    cell(lastStatus(d)),
    cell(d.lastLatencyMs == null ? '—' : `${d.lastLatencyMs} ms`, { num: true }),
    cell(d.state === 'pending' ? timeOf(d.nextAttemptAt) : '—'),
    cell(h('span', { 'data-testid': 'delivery-state' }, d.state)),
    cell(d.state === 'cancelled' ? '—' : resend)));
  }
  replace(out, items.length ? t.el : h('p', { 'data-testid': 'no-deliveries' }, 'No deliveries yet.'));
}

function lastStatus(d) {
  if (d.lastStatus != null) return d.lastError ? `${d.lastStatus} (${d.lastError})` : String(d.lastStatus);
  return d.lastError ?? '—';
}

/** Resend, as every console action: a reason (recorded in the audit trail), then the review, then Confirm. */
function askResend(endpointId, d, box, list) {
  const form = h('form', { class: 'admin-form', 'data-testid': 'resend-form' },
    h('h3', {}, 'Resend ', h('code', {}, d.eventId)),
    reasonField('resend-reason'),
    h('p', { class: 'actions' }, h('button', { type: 'submit', class: 'button primary' }, 'Review'),
      h('button', { type: 'button', class: 'button ghost', onclick: () => box.replaceChildren() }, 'Cancel')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const reason = form.querySelector('textarea').value.trim();
    if (!reason) return;
    review(box, {
      lines: [`Send event ${d.eventId} (${d.type}, account ${d.accountId}, sequence ${d.sequence}) to endpoint ${endpointId} again.`,
        `It has had ${d.attempts} attempt${d.attempts === 1 ? '' : 's'} (state ${d.state}); the receiver may get it twice (same event id).`,
        'Later pending deliveries of this account wait until this one is delivered or given up.',
        `Reason: ${reason}`],
      confirmLabel: 'Resend',
      run: () => adminApi(`/api/v1/admin/webhook-endpoints/${encodeURIComponent(endpointId)}/deliveries/${d.id}/resend`,
        { method: 'POST', reason }),
      done: (answer) => {
        loadDeliveries(endpointId, list, box);
        return `Queued again: delivery ${answer.id} is ${answer.state}.`;
      },
    });
  });
  replace(box, form);
  form.querySelector('textarea').focus();
}
