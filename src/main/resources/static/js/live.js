// Live updates for the player's pages, from the outbox: every few seconds (not while the tab is hidden)
// GET /api/v1/accounts/me/events?after=<sequence> answers the account's new events and its balance now.
// The shown balance follows it (turn settlements are no events, yet they change it), a notice says when
// the available balance is below the low-balance threshold, and on "/" a small form sets that threshold
// (PUT /api/v1/accounts/me/alerts). Everything lives in its own <aside>, outside the page's <main>, so the
// page modules draw their content as before.
import { h, replace } from './dom.js';
import { api, currentToken } from './session.js';
import { formatCredits, parseCredits, toJsonNumber } from './money.js';

const POLL_MS = 3000;
const MESSAGES = {
  'purchase.completed': (d) => `Purchase complete: ${formatCredits(d.amountMillicredits)} credits added.`,
  'refund.applied': (d) => `A refund took back ${formatCredits(d.amountMillicredits)} credits.`,
  'dispute.opened': (d) => `A chargeback took back ${formatCredits(d.amountMillicredits)} credits.`,
  'dispute.closed': (d) => `A chargeback was closed (${d.status}).`,
  'payout.credited': (d) => `Revenue share for ${d.day}: ${formatCredits(d.amountMillicredits)} credits.`,
  'grant.created': (d) => `You received ${formatCredits(d.amountMillicredits)} promotional credits.`,
  'grant.expiring': (d) => `${formatCredits(d.leftMillicredits)} promotional credits expire at ${new Date(d.expiresAt).toLocaleString()}.`,
  'grant.expired': (d) => `${formatCredits(d.expiredMillicredits)} promotional credits expired.`,
  'balance.low': (d) => `Your available balance fell below ${formatCredits(d.thresholdMillicredits)} credits.`,
  'spend_limit.reached': () => 'You reached today\'s spending cap.',
};

let after = null;
let panel = null;

if (currentToken()) start();

function start() {
  panel = h('aside', { class: 'page live', id: 'live', 'aria-label': 'Balance alerts' },
    h('p', { class: 'notice', 'data-testid': 'low-balance-notice', role: 'status', hidden: true }),
    h('p', { class: 'hint', 'data-testid': 'live-event', 'aria-live': 'polite' }));
  document.getElementById('main')?.after(panel);
  if (location.pathname === '/') panel.append(alertForm());
  poll();
}

async function poll() {
  try {
    if (!document.hidden && currentToken()) {
      const page = await api(`/api/v1/accounts/me/events?after=${after ?? 0}&limit=${after === null ? 1 : 50}`);
      if (after === null) {
        after = page.headSequence; // only news from now on
      } else {
        after = page.lastSequence;
        const last = page.items[page.items.length - 1];
        if (last && MESSAGES[last.type]) panel.querySelector('[data-testid="live-event"]').textContent = MESSAGES[last.type](last.data);
      }
      show(page);
    }
  } catch {
    /* offline or signed out: try again on the next tick */
  }
  setTimeout(poll, POLL_MS);
}

function show(page) {
  if (page.balanceMillicredits != null) {
    for (const el of document.querySelectorAll('[data-testid="balance"]')) {
      const text = formatCredits(page.balanceMillicredits);
      if (el.textContent !== text) el.textContent = text;
    }
  }
  const notice = panel.querySelector('[data-testid="low-balance-notice"]');
  notice.hidden = !page.lowBalance;
  if (page.lowBalance) {
    replace(notice, `Low balance: ${formatCredits(page.availableMillicredits)} credits available, under your alert at `
      + `${formatCredits(page.lowBalanceMillicredits)}. `, h('a', { href: '/buy' }, 'Buy credits'));
  }
}

function alertForm() {
  const input = h('input', { id: 'alert-input', name: 'lowBalanceCredits', inputmode: 'decimal', autocomplete: 'off',
    'aria-describedby': 'alert-hint' });
  const status = h('p', { class: 'saved', role: 'status', 'data-testid': 'alert-status' });
  const form = h('form', { class: 'form card', 'data-testid': 'alert-form', novalidate: true },
    h('div', { class: 'field' },
      h('label', { for: 'alert-input' }, 'Tell me when my available balance falls below (credits)'),
      h('div', { class: 'inline' }, input, h('button', { type: 'submit', class: 'button primary' }, 'Save alert')),
      h('p', { class: 'hint', id: 'alert-hint' }, 'Leave empty to use the default.')),
    status);
  api('/api/v1/accounts/me/alerts').then((a) => {
    if (a.lowBalanceMillicredits != null) input.value = formatCredits(a.lowBalanceMillicredits, { grouping: false });
  }).catch(() => {});
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      const text = input.value.trim();
      const value = text === '' ? null : toJsonNumber(parseCredits(text));
      const saved = await api('/api/v1/accounts/me/alerts', { method: 'PUT', body: { lowBalanceMillicredits: value } });
      status.textContent = saved.effectiveLowBalanceMillicredits == null ? 'No low-balance alert.'
        : `Alert saved: below ${formatCredits(saved.effectiveLowBalanceMillicredits)} credits.`;
      show({ balanceMillicredits: null, ...saved, lowBalance: saved.below, lowBalanceMillicredits: saved.effectiveLowBalanceMillicredits });
    } catch (error) {
      status.textContent = error.message;
    }
  });
  return form;
}
