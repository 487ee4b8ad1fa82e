// "/buy/cancel" — the player left the checkout: say clearly that nothing was charged.
import { h, replace, main } from '../dom.js';
import { startPage } from '../layout.js';
import { forgetBalanceBefore } from '../purchase.js';

forgetBalanceBefore();
const session = startPage({ active: '/buy' });
const message = h('p', { 'data-testid': 'nothing-charged' }, 'Nothing was charged and your balance is unchanged.');
if (session) {
  replace(main(),
    h('h1', {}, 'Checkout cancelled'),
    h('section', { class: 'card' }, message,
      h('p', { class: 'actions' },
        h('a', { class: 'button primary', href: '/buy' }, 'Back to the packs'),
        h('a', { class: 'button', href: '/' }, 'Dashboard'))));
} else {
  // Even signed out, the one thing to know is that no money moved.
  main().prepend(h('p', { class: 'notice' }, 'Checkout cancelled. ', message));
}
