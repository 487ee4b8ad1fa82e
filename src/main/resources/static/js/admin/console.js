// The support console's shared parts: the admin session and header, calls with a reason, the review step
// every action goes through (what will happen, then Confirm), and small table helpers. The console calls
// the admin API only; the API checks the admin role on every call, so without it the pages show nothing.
import { h, replace, main, focusHeading } from '../dom.js';
import { claims, currentToken, signOut, ApiError } from '../session.js';

const NAV = [
  ['/admin', 'Find'],
  ['/admin/audit', 'Audit'],
  ['/admin/books', 'Books'],
  ['/admin/payouts', 'Payouts'],
  ['/admin/reconciliation', 'Reconciliation'],
  ['/admin/estimates', 'Estimates'],
  ['/admin/models', 'Models'],
  ['/admin/stripe-events', 'Stripe events'],
  ['/admin/webhooks', 'Webhooks'],
];

/** The admin session ({token, actor}), or null after showing why the console cannot open. */
export function startAdmin({ active } = {}) {
  const token = currentToken();
  const c = token ? claims(token) : {};
  const roles = Array.isArray(c.roles) ? c.roles : [];
  renderHeader(active, token ? c.sub : null);
  if (!token) {
    prompt('Open the console with an admin token (#token=… in the address), or sign in with the admin role.');
    return null;
  }
  if (!roles.includes('admin')) {
    prompt('This token has no admin role: the support console shows nothing without it.');
    return null;
  }
  window.addEventListener('credits:signed-out', () => {
    renderHeader(active, null);
    prompt('Your session has ended (or the token was refused). Sign in again.');
  });
  return { token, actor: c.sub ?? '' };
}

function renderHeader(active, actor) {
  const header = document.getElementById('site-header');
  if (!header) return;
  replace(header, h('div', { class: 'bar' },
    h('a', { class: 'brand', href: '/admin' }, 'Imagina ', h('span', {}, 'Support')),
    actor ? h('nav', { 'aria-label': 'Console' }, h('ul', {}, NAV.map(([href, label]) =>
      h('li', {}, h('a', { href, 'aria-current': href === active ? 'page' : null }, label))))) : null,
    actor ? h('div', { class: 'who' }, h('span', { class: 'who-id', title: actor }, actor),
      h('button', { type: 'button', class: 'button small ghost', onclick: () => { signOut(); location.assign('/admin'); } },
        'Sign out')) : null));
}

function prompt(message) {
  const link = h('p');
  replace(main(), h('section', { class: 'card narrow sign-in', 'aria-labelledby': 'sign-in-heading' },
    h('h1', { id: 'sign-in-heading' }, 'Support console'),
    h('p', { 'data-testid': 'admin-sign-in' }, message), link));
  fetch('/dev/sign-in', { method: 'HEAD', cache: 'no-store' })
    .then((r) => { if (r.ok) replace(link, h('a', { class: 'button primary', href: '/dev/sign-in' }, 'Sign in (development)')); })
    .catch(() => {});
  focusHeading();
}

/** A header value fetch accepts (Latin-1 only): anything else becomes "?". */
function headerSafe(text) {
  return String(text).replace(/[^\x20-\x7e]/g, '?').slice(0, 500);
}

/**
 * A call to the admin API. `reason` goes in the Audit-Reason header (for actions whose body has no reason
 * field, such as a price change or a payout run). Answers the JSON, or the Response for non-JSON accepts.
 */
export async function adminApi(path, { method = 'GET', body, reason, accept = 'application/json' } = {}) {
  const token = currentToken();
  const headers = { Accept: accept === 'application/json' ? accept : `${accept}, application/problem+json` };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (reason) headers['Audit-Reason'] = headerSafe(reason);
  let response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store', credentials: 'omit' });
  } catch {
    throw new ApiError(0, { detail: 'The credits service cannot be reached.' });
  }
  if (!response.ok) {
    let problem = null;
    try { problem = await response.json(); } catch { /* not JSON */ }
    if (response.status === 401) {
      signOut();
      window.dispatchEvent(new CustomEvent('credits:signed-out'));
    }
    throw new ApiError(response.status, problem);
  }
  if (accept !== 'application/json') return response;
  return response.status === 204 ? null : response.json();
}

export function errorBox(error, lead) {
  const code = error?.code ? ` (${error.code})` : '';
  return h('p', { class: 'notice notice-error', role: 'alert' }, `${lead ? `${lead} ` : ''}${error?.message ?? error}${code}`);
}

/** A fresh id for an idempotent action, made once per review so a retry of the same review moves nothing twice. */
export function newId(prefix) {
  const random = globalThis.crypto?.randomUUID ? crypto.randomUUID()
    : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
  return `${prefix}-${random}`;
}

/** The reason field every action requires. */
export function reasonField(id) {
  return h('div', { class: 'field' },
    h('label', { for: id }, 'Reason (required, recorded in the audit trail)'),
    h('textarea', { id, name: 'reason', rows: '2', required: true, maxlength: '500', 'data-testid': 'reason' }));
}

/**
 * The review step: shows what will happen (`lines`) in `box` with Confirm and Cancel. Confirm runs
 * `run()` once (the button is disabled meanwhile) and shows what it answered, from `done(result)`.
 */
export function review(box, { lines, confirmLabel = 'Confirm', run, done }) {
  const result = h('div', { 'data-testid': 'action-result', role: 'status' });
  const confirm = h('button', { type: 'button', class: 'button primary', 'data-testid': 'confirm-action' }, confirmLabel);
  const cancel = h('button', { type: 'button', class: 'button ghost' }, 'Cancel');
  const panel = h('div', { class: 'review', 'data-testid': 'confirm', role: 'group', 'aria-label': 'Review before confirming' },
    h('h3', {}, 'Review: this will happen'),
    h('ul', {}, lines.map((line) => h('li', {}, line))),
    h('p', { class: 'actions' }, confirm, cancel),
    result);
  replace(box, panel);
  cancel.addEventListener('click', () => box.replaceChildren());
  confirm.addEventListener('click', async () => {
    confirm.disabled = true;
    cancel.disabled = true;
    replace(result, h('p', { class: 'loading' }, 'Working…'));
    try {
      const answer = await run();
      replace(result, h('p', { class: 'notice notice-ok' }, done ? done(answer) : 'Done.'));
      confirm.remove();
      cancel.textContent = 'Close';
      cancel.disabled = false;
    } catch (error) {
      replace(result, errorBox(error, 'Refused:'));
      confirm.disabled = false;
      cancel.disabled = false;
    }
  });
  confirm.focus();
}

/** A table with a header row; rows are appended to the returned tbody. */
export function table(caption, columns, { testid } = {}) {
  const body = h('tbody', testid ? { 'data-testid': testid } : {});
  const el = h('div', { class: 'table-scroll' }, h('table', { class: 'admin-table' },
    h('caption', { class: 'visually-hidden' }, caption),
    h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col', class: c.num ? 'num' : null }, c.label ?? c)))),
    body));
  return { el, body };
}

export function cell(content, { num = false, label } = {}) {
  return h('td', { class: num ? 'num' : null, 'data-label': label ?? null }, content ?? '—');
}

/** Query parameters of the current address, as an object of non-empty strings. */
export function queryParams() {
  return Object.fromEntries([...new URLSearchParams(location.search)].filter(([, v]) => v !== ''));
}

/** Replaces the address's query with `params` (empty values dropped), without reloading. */
export function setQuery(params) {
  const url = new URL(location.href);
  url.search = '';
  for (const [k, v] of Object.entries(params)) if (v) url.searchParams.set(k, v);
  history.replaceState(history.state, '', url);
}

/** "2.50" (dollars) → 250n cents; throws a message for the field. */
export function parseMoney(text) {
  const match = /^\s*(\d{1,9})(?:\.(\d{1,2}))?\s*$/.exec(String(text ?? ''));
  if (!match) throw new Error('Enter an amount such as 2.50');
  return BigInt(match[1]) * 100n + BigInt((match[2] ?? '').padEnd(2, '0'));
}
