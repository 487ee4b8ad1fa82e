// "/buy/success?session_id=..." — waits for the payment to be confirmed (the balance grows), then shows it.
import { h, replace, main } from '../dom.js';
import { api } from '../session.js';
import { startPage, errorNotice } from '../layout.js';
import { formatCredits, toMillicredits } from '../money.js';
import { balanceBefore, forgetBalanceBefore } from '../purchase.js';

const POLL_EVERY_MS = 1500;
const GIVE_UP_AFTER_MS = 90_000;
const session = startPage({ active: '/buy' });
if (session) waitForCredits();

async function waitForCredits() {
  const sessionId = new URLSearchParams(location.search).get('session_id');
  const before = balanceBefore();
  const openedAt = Date.now();
  const status = h('p', { class: 'loading', role: 'status' }, 'Waiting for the payment to be confirmed…');
  replace(main(), h('h1', {}, 'Thank you!'), status,
    sessionId ? h('p', { class: 'hint' }, 'Checkout reference: ', h('code', {}, sessionId)) : null);

  const deadline = openedAt + GIVE_UP_AFTER_MS;
  for (;;) {
    try {
      const account = await api('/api/v1/accounts/me');
      const arrived = before != null
        ? toMillicredits(account.balanceMillicredits) > before
        : await recentPurchase(openedAt);
      if (arrived) {
        forgetBalanceBefore();
        showBalance(account, before);
        return;
      }
    } catch (error) {
      if (error.status === 401) return;
      status.replaceWith(errorNotice(error, 'Could not check your balance.'));
      return;
    }
    if (Date.now() > deadline) {
      status.textContent = 'Your payment is still being confirmed. Credits usually arrive within a minute: '
        + 'refresh this page or check your history shortly.';
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_EVERY_MS));
  }
}

/** Without a remembered balance (another tab, storage blocked): a purchase booked in the last hour counts. */
async function recentPurchase(openedAt) {
  const page = await api('/api/v1/accounts/me/transactions?limit=1&type=purchase');
  const latest = page.items?.[0];
  return Boolean(latest) && Date.parse(latest.createdAt) > openedAt - 3_600_000;
}

function showBalance(account, before) {
  const added = before != null ? toMillicredits(account.balanceMillicredits) - before : null;
  replace(main(),
    h('h1', {}, 'Thank you!'),
    h('section', { class: 'card hero', 'aria-label': 'New balance' },
      h('p', { role: 'status' },
        added != null ? `${formatCredits(added)} credits were added. ` : 'Your credits were added. ',
        'Your balance is now'),
      h('p', { class: 'figure-value' }, h('span', { 'data-testid': 'balance' }, formatCredits(account.balanceMillicredits)),
        h('span', { class: 'unit' }, ' credits')),
      h('p', { class: 'actions' },
        h('a', { class: 'button primary', href: '/' }, 'Back to the dashboard'),
        h('a', { class: 'button', href: '/history?type=purchase' }, 'See your purchases'))));
}
