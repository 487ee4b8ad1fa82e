// "/admin/accounts/{id}" — one account as support needs it: balance, held, available, free turns, daily cap,
// open holds, uncollected overruns, purchases, the history with its filter and each turn's cost explained;
// and the actions, each with a reason and a review step: goodwill (adjustment or grant), refund, hold release.
import { h, replace, main, timeOf } from '../dom.js';
import { formatCredits, formatPrice, parseCredits, toJsonNumber, toMillicredits } from '../money.js';
import { startAdmin, adminApi, errorBox, newId, reasonField, review, table, cell, parseMoney } from '../admin/console.js';

const TYPES = ['purchase', 'turn', 'free_turn', 'world_text', 'world_image', 'revenue_share', 'adjustment', 'refund',
  'grant', 'expiry', 'dispute', 'dispute_reversal'];
const TURN_TYPES = new Set(['turn', 'free_turn', 'world_text', 'world_image']);
const PAGE_SIZE = 50;

const accountId = decodeURIComponent(location.pathname.replace(/^\/admin\/accounts\//, '').replace(/\/$/, ''));
const session = startAdmin({ active: null });
const state = { type: new URLSearchParams(location.search).get('type') ?? '', cursor: null, generation: 0 };
let overview = null;
const parts = {};
if (session) start();

async function start() {
  document.title = `${accountId} · Support · Imagina Credits`;
  parts.summary = h('section', { class: 'card hero', 'aria-label': 'Balance' });
  parts.holds = h('section', { class: 'card', 'aria-labelledby': 'holds-h' });
  parts.purchases = h('section', { class: 'card', 'aria-labelledby': 'purchases-h' });
  parts.uncollected = h('section', { class: 'card', 'aria-labelledby': 'uncollected-h' });
  parts.goodwill = h('section', { class: 'card', 'aria-labelledby': 'goodwill-h' });
  parts.history = h('section', { class: 'card', 'aria-labelledby': 'history-h' });
  parts.problem = h('div');
  replace(main(),
    h('p', {}, h('a', { href: '/admin' }, '← Find another account')),
    h('h1', {}, 'Account ', h('code', { 'data-testid': 'account-id' }, accountId)),
    parts.problem, parts.summary,
    h('div', { class: 'grid-2' }, parts.goodwill, parts.holds),
    parts.purchases, parts.uncollected, parts.history,
    h('p', {}, h('a', { href: `/admin/audit?accountId=${encodeURIComponent(accountId)}`, 'data-testid': 'account-audit' },
      'This account in the audit trail')));
  parts.holdsList = h('div');
  parts.holdsAction = h('div');
  replace(parts.holds, h('h2', { id: 'holds-h' }, 'Open holds'), parts.holdsList, parts.holdsAction);
  parts.purchasesList = h('div');
  parts.purchasesAction = h('div');
  replace(parts.purchases, h('h2', { id: 'purchases-h' }, 'Purchases'), parts.purchasesList, parts.purchasesAction);
  goodwillForm();
  historyLayout();
  await reload();
}

async function reload() {
  try {
    overview = await adminApi(`/api/v1/admin/accounts/${encodeURIComponent(accountId)}`);
    parts.problem.replaceChildren();
  } catch (error) {
    replace(parts.problem, errorBox(error, 'Could not load the account.'));
    return;
  }
  drawSummary();
  drawHolds();
  drawPurchases();
  drawUncollected();
}

function drawSummary() {
  const a = overview.account;
  const cap = a.limits?.dailySpendLimitMillicredits;
  const c = a.credits ?? {};
  replace(parts.summary, h('dl', { class: 'facts-admin' },
    fact('Balance', h('span', { 'data-testid': 'balance' }, formatCredits(a.balanceMillicredits))),
    fact('Held', h('span', { 'data-testid': 'held' }, formatCredits(a.heldMillicredits))),
    fact('Available', h('span', { 'data-testid': 'available' }, formatCredits(a.availableMillicredits))),
    fact('Free turns today', h('span', { 'data-testid': 'free-turns' }, `${a.freeTurns.remaining} of ${a.freeTurns.dailyAllowance}`)),
    fact('Daily cap', h('span', { 'data-testid': 'daily-cap' }, cap == null ? 'none'
      : `${formatCredits(a.limits.spentTodayMillicredits)} of ${formatCredits(cap)} spent`)),
    fact('Open holds', h('span', { 'data-testid': 'open-holds' }, String(overview.openHolds.length))),
    fact('Uncollected', h('span', { 'data-testid': 'uncollected' }, formatCredits(overview.uncollectedMillicredits))),
    c.promotionalMillicredits != null ? fact('Promotional · earned · purchased',
      `${formatCredits(c.promotionalMillicredits)} · ${formatCredits(c.earnedMillicredits)} · ${formatCredits(c.purchasedMillicredits)}`) : null),
  h('p', { class: 'hint' }, 'Credits, 1 credit = 1,000 millicredits. Free turns reset at 00:00 UTC.'));
}

function fact(label, value) {
  return h('div', {}, h('dt', {}, label), h('dd', {}, value));
}

function drawHolds() {
  const box = parts.holdsAction;
  const t = table('Open holds', ['Turn', 'Model', 'Held', 'Expires', '']);
  for (const hold of overview.openHolds) {
    const button = h('button', { type: 'button', class: 'button small', 'data-testid': 'release-hold' }, 'Release…');
    button.addEventListener('click', () => releaseForm(box, hold));
    t.body.append(h('tr', { 'data-testid': 'hold-row', 'data-turn-id': hold.turnId },
      cell(h('code', {}, hold.turnId)), cell(hold.modelId),
      cell(hold.fundedBy === 'free_turn' ? 'free turn' : formatCredits(hold.holdMillicredits), { num: true }),
      cell(timeOf(hold.expiresAt)), cell(button)));
  }
  replace(parts.holdsList, overview.openHolds.length ? t.el : h('p', { class: 'hint' }, 'No open holds.'));
}

function releaseForm(box, hold) {
  const form = h('form', { class: 'form', novalidate: true }, h('h3', {}, `Release the hold of turn ${hold.turnId}`),
    reasonField('release-reason'), h('p', {}, h('button', { type: 'submit', class: 'button' }, 'Review')));
  const reviewBox = h('div');
  replace(box, form, reviewBox);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const reason = form.querySelector('textarea').value.trim();
    if (!reason) return needReason(form);
    const a = overview.account;
    const held = toMillicredits(hold.holdMillicredits);
    review(reviewBox, {
      lines: [
        hold.fundedBy === 'free_turn' ? `Give back the free turn reserved by ${hold.turnId}.`
          : `Release ${formatCredits(held)} credits held by turn ${hold.turnId} (${hold.modelId}).`,
        `Available: ${formatCredits(a.availableMillicredits)} → ${formatCredits(toMillicredits(a.availableMillicredits) + held)} credits. No credits are charged.`,
        'The engine can no longer settle this turn.',
        `Reason: ${reason}`,
      ],
      confirmLabel: 'Release the hold',
      run: () => adminApi(`/api/v1/admin/turns/${encodeURIComponent(hold.turnId)}/release`, { method: 'POST', body: { reason } }),
      done: (r) => { reload(); restartHistory(); return `Turn ${r.turnId} is ${r.status}${r.replayed ? ' (it already was)' : ''}.`; },
    });
  });
}

function needReason(form) {
  const area = form.querySelector('textarea');
  area.setAttribute('aria-invalid', 'true');
  area.focus();
  let note = form.querySelector('.field-error');
  if (!note) {
    note = h('p', { class: 'field-error', role: 'alert' });
    area.after(note);
  }
  note.textContent = 'A reason is required.';
}

function drawPurchases() {
  const box = parts.purchasesAction;
  const t = table('Purchases', ['Session', 'Pack', 'Status', 'Paid', 'Granted', 'Refunded', 'Disputed', '']);
  for (const p of overview.purchases) {
    const refundable = p.status === 'paid' && p.amountTotalCents != null && p.refundedCents < p.amountTotalCents;
    const button = refundable ? h('button', { type: 'button', class: 'button small', 'data-testid': 'refund' }, 'Refund…') : null;
    button?.addEventListener('click', () => refundForm(box, p));
    t.body.append(h('tr', { 'data-testid': 'purchase-row', 'data-session-id': p.sessionId },
      cell(h('code', {}, p.sessionId)), cell(p.packId), cell(p.status),
      cell(p.amountTotalCents == null ? '—' : formatPrice(p.amountTotalCents, p.currency), { num: true }),
      cell(formatCredits(p.grantedMillicredits), { num: true }),
      cell(`${formatCredits(p.refundedMillicredits)}${p.refundedCents ? ` (${formatPrice(p.refundedCents, p.currency)})` : ''}`, { num: true }),
      cell(formatCredits(p.disputedMillicredits), { num: true }), cell(button)));
  }
  replace(parts.purchasesList, overview.purchases.length ? t.el : h('p', { class: 'hint' }, 'No purchases.'));
}

/** What a refund of `cents` more would take back: the grant's share of the cumulative refund, half-up, as the webhook computes it. */
function refundShare(p, cents) {
  const granted = toMillicredits(p.grantedMillicredits);
  const total = BigInt(p.amountTotalCents);
  const cumulative = BigInt(p.refundedCents) + cents;
  const target = cumulative >= total ? granted : (granted * cumulative * 2n + total) / (2n * total);
  const left = granted - toMillicredits(p.refundedMillicredits) - toMillicredits(p.disputedMillicredits);
  const take = target - toMillicredits(p.refundedMillicredits);
  return take < left ? (take < 0n ? 0n : take) : left;
}

function refundForm(box, p) {
  const left = BigInt(p.amountTotalCents) - BigInt(p.refundedCents);
  const amount = h('input', { id: 'refund-amount', name: 'amount', inputmode: 'decimal', 'data-testid': 'refund-amount',
    value: (Number(left) / 100).toFixed(2) });
  const form = h('form', { class: 'form', novalidate: true }, h('h3', {}, `Refund session ${p.sessionId}`),
    h('div', { class: 'field' }, h('label', { for: 'refund-amount' }, `Amount (${String(p.currency).toUpperCase()}, at most ${formatPrice(left, p.currency)})`), amount),
    reasonField('refund-reason'), h('p', {}, h('button', { type: 'submit', class: 'button' }, 'Review')));
  const reviewBox = h('div');
  replace(box, form, reviewBox);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const reason = form.querySelector('textarea').value.trim();
    let cents;
    try {
      cents = parseMoney(amount.value);
      if (cents <= 0n || cents > left) throw new Error(`Between 0.01 and ${formatPrice(left, p.currency)}.`);
    } catch (error) {
      amount.setAttribute('aria-invalid', 'true');
      replace(reviewBox, errorBox(error));
      return;
    }
    if (!reason) return needReason(form);
    const refundId = newId('refund-console');
    const take = refundShare(p, cents);
    review(reviewBox, {
      lines: [
        `Refund ${formatPrice(cents, p.currency)} of ${formatPrice(p.amountTotalCents, p.currency)} paid for ${p.packId} (${p.sessionId}).`,
        `Takes back ${formatCredits(take)} credits: balance ${formatCredits(overview.account.balanceMillicredits)} → ${formatCredits(toMillicredits(overview.account.balanceMillicredits) - take)} (it may go below zero).`,
        p.sessionId.startsWith('cs_sim_') ? 'Payments are simulated: the refund event is sent through the webhook at once.'
          : 'The refund is made in Stripe; the credits move when Stripe reports it (charge.refunded).',
        `Reason: ${reason}`,
      ],
      confirmLabel: 'Refund',
      run: () => adminApi('/api/v1/admin/refunds', { method: 'POST',
        body: { refundId, sessionId: p.sessionId, amountCents: Number(cents), reason } }),
      done: (r) => { reload(); restartHistory(); return `Refund ${r.outcome}: ${formatCredits(r.takenBackMillicredits)} credits taken back.`; },
    });
  });
}

function drawUncollected() {
  const t = table('Uncollected overruns', ['Turn', 'Cost', 'Charged', 'Uncollected', 'When']);
  for (const u of overview.uncollected) {
    t.body.append(h('tr', { 'data-testid': 'uncollected-row' }, cell(h('code', {}, u.turnId)),
      cell(formatCredits(u.costMillicredits), { num: true }), cell(formatCredits(u.chargedMillicredits), { num: true }),
      cell(formatCredits(u.uncollectedMillicredits), { num: true }), cell(timeOf(u.at))));
  }
  replace(parts.uncollected, h('h2', { id: 'uncollected-h' }, 'Uncollected overruns'),
    overview.uncollected.length ? t.el : h('p', { class: 'hint' }, 'Every settled turn was charged in full.'));
}

function goodwillForm() {
  const kind = h('select', { id: 'goodwill-kind', name: 'kind', 'data-testid': 'goodwill-kind' },
    h('option', { value: 'adjustment' }, 'Adjustment (credit or debit, never expires)'),
    h('option', { value: 'goodwill' }, 'Goodwill grant (spent first, may expire)'));
  const direction = h('select', { id: 'goodwill-direction', name: 'direction' },
    h('option', { value: 'credit' }, 'Credit (+)'), h('option', { value: 'debit' }, 'Debit (−)'));
  const amount = h('input', { id: 'goodwill-amount', name: 'amount', inputmode: 'decimal', autocomplete: 'off',
    'data-testid': 'goodwill-amount', placeholder: 'e.g. 25 or 12.5' });
  const expires = h('input', { id: 'goodwill-expires', name: 'expiresAt', type: 'datetime-local' });
  const expiresField = h('div', { class: 'field', hidden: true }, h('label', { for: 'goodwill-expires' }, 'Expires (optional, UTC)'), expires);
  const directionField = h('div', { class: 'field' }, h('label', { for: 'goodwill-direction' }, 'Direction'), direction);
  kind.addEventListener('change', () => {
    expiresField.hidden = kind.value !== 'goodwill';
    directionField.hidden = kind.value === 'goodwill';
  });
  const reviewBox = h('div');
  const error = h('p', { class: 'field-error', role: 'alert' });
  const form = h('form', { class: 'form', novalidate: true, 'data-testid': 'goodwill-form' },
    h('div', { class: 'field' }, h('label', { for: 'goodwill-kind' }, 'Kind'), kind), directionField,
    h('div', { class: 'field' }, h('label', { for: 'goodwill-amount' }, 'Amount in credits'), amount, error),
    expiresField, reasonField('goodwill-reason'),
    h('p', {}, h('button', { type: 'submit', class: 'button', 'data-testid': 'goodwill-review' }, 'Review')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    error.textContent = '';
    let millicredits;
    try {
      millicredits = parseCredits(amount.value);
      if (millicredits === 0n) throw new Error('The amount must not be 0.');
    } catch (err) {
      error.textContent = err.message;
      amount.setAttribute('aria-invalid', 'true');
      return;
    }
    amount.removeAttribute('aria-invalid');
    const reason = form.querySelector('textarea').value.trim();
    if (!reason) return needReason(form);
    const isGrant = kind.value === 'goodwill';
    const signed = !isGrant && direction.value === 'debit' ? -millicredits : millicredits;
    const expiresAt = isGrant && expires.value ? new Date(`${expires.value}Z`).toISOString() : null;
    const balance = toMillicredits(overview?.account.balanceMillicredits ?? 0);
    const id = newId(isGrant ? 'grant-console' : 'adj-console');
    review(reviewBox, {
      lines: [
        isGrant ? `Grant ${formatCredits(millicredits)} goodwill credits to ${accountId}${expiresAt ? `, expiring ${expiresAt}` : ', never expiring'}.`
          : `${signed < 0n ? 'Debit' : 'Credit'} ${formatCredits(millicredits)} credits ${signed < 0n ? 'from' : 'to'} ${accountId} as an adjustment.`,
        `Balance: ${formatCredits(balance)} → ${formatCredits(balance + signed)} credits.`,
        `Sent once: repeating this confirmation (id ${id}) moves nothing again.`,
        `Reason: ${reason}`,
      ],
      confirmLabel: isGrant ? 'Grant' : 'Adjust',
      run: () => isGrant
        ? adminApi('/api/v1/admin/grants', { method: 'POST', body: { grantId: id, accountId, amountMillicredits: toJsonNumber(millicredits),
          kind: 'goodwill', expiresAt, reason } })
        : adminApi('/api/v1/admin/adjustments', { method: 'POST', body: { adjustmentId: id, accountId,
          amountMillicredits: toJsonNumber(signed), reason } }),
      done: (r) => {
        reload();
        restartHistory();
        form.reset();
        return `Done: entry ${r.id}, balance after ${formatCredits(r.balanceAfterMillicredits)} credits.`;
      },
    });
  });
  replace(parts.goodwill, h('h2', { id: 'goodwill-h' }, 'Goodwill'), form, reviewBox);
}

function historyLayout() {
  const select = h('select', { id: 'type-filter', name: 'type', 'data-testid': 'type-filter' },
    h('option', { value: '' }, 'All types'), TYPES.map((t) => h('option', { value: t, selected: t === state.type }, t)));
  select.addEventListener('change', () => {
    state.type = select.value;
    const url = new URL(location.href);
    if (state.type) url.searchParams.set('type', state.type); else url.searchParams.delete('type');
    history.replaceState(history.state, '', url);
    restartHistory();
  });
  const t = table('History, newest first', ['When', 'Type', 'Description', 'Amount', 'Balance after', 'Turn']);
  parts.rows = t.body;
  parts.more = h('button', { type: 'button', class: 'button', hidden: true }, 'More');
  parts.more.addEventListener('click', loadHistory);
  parts.status = h('p', { class: 'hint', role: 'status' });
  replace(parts.history, h('h2', { id: 'history-h' }, 'History'),
    h('div', { class: 'toolbar-admin' }, h('div', { class: 'field' }, h('label', { for: 'type-filter' }, 'Type'), select)),
    t.el, h('p', {}, parts.more), parts.status);
  loadHistory();
}

function restartHistory() {
  state.generation += 1;
  state.cursor = null;
  parts.rows.replaceChildren();
  loadHistory();
}

async function loadHistory() {
  const generation = state.generation;
  const params = new URLSearchParams({ limit: String(PAGE_SIZE) });
  if (state.cursor) params.set('cursor', state.cursor);
  if (state.type) params.set('type', state.type);
  parts.status.textContent = 'Loading…';
  try {
    const page = await adminApi(`/api/v1/accounts/${encodeURIComponent(accountId)}/transactions?${params}`);
    if (generation !== state.generation) return;
    for (const item of page.items) parts.rows.append(txRow(item));
    state.cursor = page.nextCursor ?? null;
    parts.more.hidden = !state.cursor;
    const n = parts.rows.querySelectorAll('[data-testid=tx-row]').length;
    parts.status.textContent = n === 0 ? 'No transactions.' : `${n} shown${state.cursor ? '' : ', all there are'}.`;
  } catch (error) {
    if (generation === state.generation) replace(parts.status, errorBox(error, 'Could not load the history.'));
  }
}

function txRow(item) {
  const amount = toMillicredits(item.amountMillicredits);
  let explain = null;
  if (item.turnId && TURN_TYPES.has(item.type)) {
    explain = h('button', { type: 'button', class: 'button small', 'data-testid': 'explain' }, 'Explain');
  }
  const row = h('tr', { 'data-testid': 'tx-row', 'data-type': item.type, 'data-id': item.id },
    cell(timeOf(item.createdAt)), cell(h('span', { class: `tag tag-${item.type}` }, item.type)),
    cell(item.description),
    cell(item.type === 'free_turn' ? h('s', {}, formatCredits(item.fullCostMillicredits ?? 0))
      : formatCredits(amount, { sign: true }), { num: true }),
    cell(formatCredits(item.balanceAfterMillicredits), { num: true }),
    cell(item.turnId ? [h('code', {}, item.turnId), ' ', explain] : '—'));
  explain?.addEventListener('click', () => toggleExplanation(row, item, explain));
  return row;
}

async function toggleExplanation(row, item, button) {
  const next = row.nextElementSibling;
  if (next?.classList.contains('explanation')) {
    next.remove();
    button.setAttribute('aria-expanded', 'false');
    return;
  }
  const td = h('td', { colspan: '6', 'data-testid': 'explanation' }, h('p', { class: 'loading' }, 'Explaining…'));
  row.after(h('tr', { class: 'explanation' }, td));
  button.setAttribute('aria-expanded', 'true');
  try {
    const e = await adminApi(`/api/v1/turns/${encodeURIComponent(item.turnId)}/explanation`);
    const t = table('Cost parts', [{ label: 'Part' }, { label: 'Quantity', num: true }, { label: 'USD per unit (per MTok for tokens)', num: true },
      { label: 'Millicredits (exact)', num: true }]);
    for (const p of e.parts) {
      t.body.append(h('tr', { 'data-testid': 'cost-part' }, cell(p.kind), cell(String(p.quantity), { num: true }),
        cell(p.usdPerUnit, { num: true }), cell(p.millicredits, { num: true })));
    }
    replace(td,
      h('p', { 'data-testid': 'explanation-text', class: 'pre-line' }, e.text),
      h('p', {}, `Cost ${formatCredits(e.costMillicredits)} credits (exact ${e.exactMillicredits ?? '—'} millicredits, rounded half-up once), `
        + `charged ${formatCredits(e.chargedMillicredits)}`
        + (e.uncollectedMillicredits != null && toMillicredits(e.uncollectedMillicredits) > 0n
          ? `, uncollected ${formatCredits(e.uncollectedMillicredits)}` : '')
        + `; funded by ${e.fundedBy}${e.longContext ? ', long-context rates' : ''}.`),
      t.el);
  } catch (error) {
    replace(td, errorBox(error, 'Could not explain this turn.'));
  }
}
