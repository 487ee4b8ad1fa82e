// "/admin" — find an account by its id, or by a turn, Checkout Session, payment intent or Stripe customer id.
import { h, replace, main, focusHeading } from '../dom.js';
import { startAdmin, adminApi, errorBox, table, cell } from '../admin/console.js';

const KINDS = {
  account: 'Account',
  turn: 'Turn',
  checkout_session: 'Checkout Session',
  payment_intent: 'Payment intent',
  stripe_customer: 'Stripe customer',
};

const session = startAdmin({ active: '/admin' });
if (session) layout();

function layout() {
  const input = h('input', { id: 'account-search', name: 'q', 'data-testid': 'account-search', required: true,
    maxlength: '200', autocomplete: 'off', spellcheck: 'false', placeholder: 'u-alice, t-…, cs_…, pi_…, cus_…',
    'aria-describedby': 'search-hint' });
  const results = h('div', { id: 'search-results', 'aria-live': 'polite' });
  const form = h('form', { class: 'card form', role: 'search', 'aria-label': 'Find an account' },
    h('div', { class: 'field' },
      h('label', { for: 'account-search' }, 'Account id, turn id, Checkout Session, payment intent or Stripe customer'),
      h('div', { class: 'inline' }, input, h('button', { type: 'submit', class: 'button primary' }, 'Find')),
      h('p', { class: 'hint', id: 'search-hint' }, 'Exact ids. One match opens the account.')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    find(input.value.trim(), results);
  });
  replace(main(), h('h1', {}, 'Support console'), form, results,
    h('section', { class: 'card' }, h('h2', {}, 'Also here'),
      h('ul', {},
        h('li', {}, h('a', { href: '/admin/audit' }, 'Audit trail'), ': every admin action, who, why and what came of it'),
        h('li', {}, h('a', { href: '/admin/books' }, 'Books'), ': what moved each day, and whether it balances'),
        h('li', {}, h('a', { href: '/admin/payouts' }, 'Payouts'), ', ', h('a', { href: '/admin/reconciliation' }, 'reconciliation'),
          ', ', h('a', { href: '/admin/models' }, 'models and prices'), ', ', h('a', { href: '/admin/stripe-events' }, 'Stripe events')))));
  const initial = new URLSearchParams(location.search).get('q');
  if (initial) {
    input.value = initial;
    find(initial, results);
  } else {
    focusHeading();
    input.focus();
  }
}

async function find(q, results) {
  if (!q) return;
  replace(results, h('p', { class: 'loading', role: 'status' }, 'Searching…'));
  try {
    const answer = await adminApi(`/api/v1/admin/lookup?q=${encodeURIComponent(q)}`);
    const accounts = [...new Set(answer.matches.map((m) => m.accountId).filter(Boolean))];
    if (accounts.length === 1) {
      location.assign(`/admin/accounts/${encodeURIComponent(accounts[0])}`);
      return;
    }
    if (answer.matches.length === 0) {
      replace(results, h('p', { class: 'notice', 'data-testid': 'no-match' }, `Nothing has the id “${q}”.`));
      return;
    }
    const t = table('Matches', ['What', 'Id', 'Account']);
    for (const m of answer.matches) {
      t.body.append(h('tr', { 'data-testid': 'match' }, cell(KINDS[m.kind] ?? m.kind), cell(h('code', {}, m.id)),
        cell(m.accountId ? h('a', { href: `/admin/accounts/${encodeURIComponent(m.accountId)}` }, m.accountId) : '—')));
    }
    replace(results, h('section', { class: 'card' }, h('h2', {}, 'Matches'), t.el));
  } catch (error) {
    replace(results, errorBox(error, 'Could not search.'));
  }
}
