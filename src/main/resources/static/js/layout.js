// What every dashboard page shares: the header with navigation and who is signed in, the sign-in
// prompt when there is no token, and the way errors are shown.
import { h, replace, main, focusHeading } from './dom.js';
import { claims, currentToken, signOut } from './session.js';

const NAV = [
  ['/', 'Dashboard'],
  ['/history', 'History'],
  ['/buy', 'Buy credits'],
  ['/models', 'Models'],
  ['/worlds', 'My worlds'],
];

/**
 * Draws the header and answers the session ({token, accountId, roles}), or shows the sign-in
 * prompt and answers null. `active` is the nav path to mark as the current page.
 */
export function startPage({ active } = {}) {
  const token = currentToken();
  const session = token ? { token, accountId: claims(token).sub ?? '', roles: claims(token).roles ?? [] } : null;
  renderHeader(active, session);
  if (!session) {
    showSignIn();
    return null;
  }
  window.addEventListener('credits:signed-out', () => {
    renderHeader(active, null);
    showSignIn('Your session has ended. Please sign in again.');
  });
  return session;
}

function renderHeader(active, session) {
  const header = document.getElementById('site-header');
  if (!header) return;
  const links = NAV.map(([href, label]) =>
    h('li', {}, h('a', { href, 'aria-current': href === active ? 'page' : null }, label)));
  replace(header,
    h('div', { class: 'bar' },
      h('a', { class: 'brand', href: '/' }, 'Imagina ', h('span', {}, 'Credits')),
      h('nav', { 'aria-label': 'Main' }, h('ul', {}, links)),
      session
        ? h('div', { class: 'who' },
          h('span', { class: 'who-id', title: session.accountId }, session.accountId),
          h('button', { type: 'button', class: 'button small ghost', onclick: () => { signOut(); location.assign('/'); } },
            'Sign out'))
        : null));
}

/** The prompt shown without a token: in the dev profile it links to the dev sign-in page. */
export function showSignIn(message) {
  const link = h('p', { class: 'sign-in-link' });
  replace(main(),
    h('section', { class: 'card narrow sign-in', 'aria-labelledby': 'sign-in-heading' },
      h('h1', { id: 'sign-in-heading' }, 'Sign in to see your credits'),
      h('p', {}, message ?? 'Open your credits from the Imagina app, which signs you in for this tab.'),
      link));
  fetch('/dev/sign-in', { method: 'HEAD', cache: 'no-store' })
    .then((r) => {
      if (r.ok) replace(link, h('a', { class: 'button primary', href: '/dev/sign-in' }, 'Sign in (development)'));
    })
    .catch(() => {});
  focusHeading();
}

/** An error as a visible, announced notice. */
export function errorNotice(error, lead) {
  const detail = error?.message ?? String(error);
  return h('p', { class: 'notice notice-error', role: 'alert' }, lead ? `${lead} ${detail}` : detail);
}

export function loading(text = 'Loading…') {
  return h('p', { class: 'loading', role: 'status' }, text);
}

/** A big number with its label, as on the dashboard and in the journey panel. */
export function figure(label, value, unit, extra = {}) {
  return h('div', { class: `figure ${extra.class ?? ''}` },
    h('span', { class: 'figure-label' }, label),
    h('span', { class: 'figure-value' }, value, unit ? h('span', { class: 'unit' }, ` ${unit}`) : null));
}
