// "/buy" — the credit packs; Buy opens a Stripe Checkout session (or the simulated one in development).
import { h, replace, main } from '../dom.js';
import { api } from '../session.js';
import { startPage, errorNotice } from '../layout.js';
import { formatCredits, formatCreditsShort, formatPrice, sum } from '../money.js';
import { rememberBalanceBefore } from '../purchase.js';

const session = startPage({ active: '/buy' });
if (session) load();

async function load() {
  const [packs, account] = await Promise.allSettled([api('/api/v1/packs'), api('/api/v1/accounts/me')]);
  if (account.status === 'rejected' && account.reason.status === 401) return;
  const balance = account.status === 'fulfilled' ? account.value.balanceMillicredits : null;
  const problem = h('div', { id: 'buy-problem' });
  const heading = h('h1', {}, 'Buy credits');
  const intro = h('p', { class: 'lede' },
    balance == null ? 'Credits pay for AI turns beyond your daily free turns.'
      : `You have ${formatCredits(balance)} credits. Credits pay for AI turns beyond your daily free turns.`);
  if (packs.status === 'rejected') {
    replace(main(), heading, intro, packs.reason.status === 404
      ? h('p', { class: 'notice' }, 'Credit packs are not on sale right now. Please come back later.')
      : errorNotice(packs.reason, 'Could not load the packs.'));
    return;
  }
  const list = packs.value.packs ?? [];
  replace(main(), heading, intro, problem,
    list.length === 0
      ? h('p', { class: 'notice' }, 'Credit packs are not on sale right now. Please come back later.')
      : h('ul', { class: 'pack-grid', role: 'list' }, list.map((pack) => packCard(pack, balance, problem))),
    h('p', { class: 'hint' }, 'Payment is handled by Stripe Checkout. Credits are added as soon as the payment completes.'));
}

function packCard(pack, balance, problem) {
  const total = sum([pack.grantMillicredits, pack.bonusMillicredits ?? 0]);
  const price = formatPrice(pack.priceCents, pack.currency);
  const hasBonus = BigInt(pack.bonusMillicredits ?? 0) > 0n;
  const button = h('button', { type: 'button', class: 'button primary', 'data-testid': 'buy' },
    'Buy', h('span', { class: 'visually-hidden' }, ` ${pack.name} for ${price}`));
  button.addEventListener('click', () => checkout(pack, balance, button, problem));
  return h('li', { class: `card pack${hasBonus ? ' has-bonus' : ''}`, 'data-testid': 'pack', 'data-pack-id': pack.id },
    h('h2', {}, pack.name),
    h('p', { class: 'price' }, price),
    h('p', { class: 'pack-credits' }, h('strong', {}, formatCreditsShort(pack.grantMillicredits)), ' credits'),
    hasBonus
      ? h('p', { class: 'bonus', 'data-testid': 'bonus' }, `+${formatCreditsShort(pack.bonusMillicredits)} bonus`)
      : h('p', { class: 'bonus none' }, 'No bonus'),
    hasBonus ? h('p', { class: 'hint' }, `${formatCreditsShort(total)} credits in all`) : null,
    button);
}

async function checkout(pack, balance, button, problem) {
  const buttons = main().querySelectorAll('button[data-testid="buy"]');
  buttons.forEach((b) => { b.disabled = true; });
  button.setAttribute('aria-busy', 'true');
  problem.replaceChildren(h('p', { class: 'loading', role: 'status' }, 'Opening the checkout…'));
  try {
    const created = await api('/api/v1/checkout-sessions', { method: 'POST', body: { packId: pack.id } });
    if (balance != null) rememberBalanceBefore(balance);
    location.assign(created.url);
  } catch (error) {
    buttons.forEach((b) => { b.disabled = false; });
    button.removeAttribute('aria-busy');
    problem.replaceChildren(errorNotice(error, 'The checkout could not be opened.'));
  }
}
