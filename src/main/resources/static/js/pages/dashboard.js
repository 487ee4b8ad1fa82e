// "/" — balance with today's free turns next to it, when they reset, and the daily spending cap.
import { h, replace, main, dateOf } from '../dom.js';
import { api } from '../session.js';
import { startPage, errorNotice, figure } from '../layout.js';
import { formatCredits, formatCreditsShort, parseCredits, toJsonNumber, toMillicredits } from '../money.js';

const session = startPage({ active: '/' });
if (session) load();

async function load() {
  try {
    render(await api('/api/v1/accounts/me'));
  } catch (error) {
    if (error.status !== 401) replace(main(), h('h1', {}, 'Your credits'), errorNotice(error));
  }
}

function render(account) {
  const held = toMillicredits(account.heldMillicredits);
  replace(main(),
    h('h1', {}, 'Your credits'),
    h('section', { class: 'card hero', 'aria-label': 'Balance and free turns' },
      h('div', { class: 'figures' },
        figure('Balance', h('span', { 'data-testid': 'balance' }, formatCredits(account.balanceMillicredits)), 'credits',
          { class: 'figure-main' }),
        figure('Free turns left today', h('span', { 'data-testid': 'free-turns' }, String(account.freeTurns.remaining)),
          `of ${account.freeTurns.dailyAllowance}`)),
      h('p', { class: 'hint', 'data-testid': 'free-turns-reset' }, resetText(account.freeTurns.resetsAt)),
      held > 0n
        ? h('p', { class: 'hint' },
          `${formatCredits(held)} credits are held for turns in progress, so `
          + `${formatCredits(account.availableMillicredits)} are available right now.`)
        : null,
      h('p', { class: 'actions' },
        h('a', { class: 'button primary', href: '/buy' }, 'Buy credits'),
        h('a', { class: 'button', href: '/history' }, 'See history'))),
    expiringSection(account.expiring ?? []),
    limitsSection(account.limits));
}

/** Promotional credits that will expire, soonest first: "250 credits expire on Dec 31, 2026". */
function expiringSection(expiring) {
  if (expiring.length === 0) return null;
  return h('section', { class: 'card notice-card', 'aria-labelledby': 'expiring-heading', 'data-testid': 'expiring' },
    h('h2', { id: 'expiring-heading' }, 'Credits that expire'),
    h('ul', { class: 'expiring-list' }, expiring.map((e) => h('li', { 'data-testid': 'expiring-item' },
      h('strong', {}, `${formatCreditsShort(e.amountMillicredits)} credits`), ' expire on ', dateOf(e.expiresAt)))),
    h('p', { class: 'hint' }, 'Promotional credits are spent first, soonest to expire first, so they are not wasted.'));
}

/**
 * When free turns come back: midnight UTC, how long until then, and the viewer's own clock time only where
 * it differs from UTC (never "12:00 AM UTC your time").
 */
function resetText(resetsAt) {
  const when = new Date(resetsAt);
  const minutes = Math.max(0, Math.round((when.getTime() - Date.now()) / 60000));
  const wait = minutes >= 60 ? `${Math.floor(minutes / 60)} h ${minutes % 60} min` : `${minutes} min`;
  const local = when.getTimezoneOffset() === 0 ? null
    : new Intl.DateTimeFormat(undefined, { timeStyle: 'short' }).format(when);
  return h('span', {}, 'Free turns reset every day at 00:00 UTC: the next reset is in ',
    h('time', { datetime: resetsAt }, wait), local ? ` (at ${local} your time).` : '.');
}

function limitsSection(limits) {
  const section = h('section', { class: 'card', 'aria-labelledby': 'limit-heading', id: 'limits' });
  fillLimits(section, limits ?? { dailySpendLimitMillicredits: null, spentTodayMillicredits: 0 });
  return section;
}

function fillLimits(section, limits, message) {
  const cap = limits.dailySpendLimitMillicredits;
  const spent = toMillicredits(limits.spentTodayMillicredits ?? 0);
  const input = h('input', {
    id: 'limit-input', name: 'dailySpendLimitCredits', inputmode: 'decimal', autocomplete: 'off',
    spellcheck: 'false', 'aria-describedby': 'limit-hint limit-error',
    value: cap == null ? '' : formatCredits(cap, { grouping: false }),
  });
  const error = h('p', { class: 'field-error', id: 'limit-error', 'aria-live': 'assertive' });
  const status = h('p', { class: 'saved', role: 'status' }, message ?? '');
  const form = h('form', { class: 'form', 'data-testid': 'limit-form', novalidate: true },
    h('div', { class: 'field' },
      h('label', { for: 'limit-input' }, 'Daily cap in credits'),
      h('div', { class: 'inline' }, input, h('button', { type: 'submit', class: 'button primary' }, 'Save cap'),
        cap == null ? null : h('button', { type: 'button', class: 'button ghost', 'data-action': 'remove' }, 'Remove cap')),
      h('p', { class: 'hint', id: 'limit-hint' },
        'Up to three decimals, e.g. 50 or 12.5. Leave empty for no cap.'),
      error),
    status);

  const save = async (millicredits) => {
    error.textContent = '';
    input.removeAttribute('aria-invalid');
    form.setAttribute('aria-busy', 'true');
    try {
      const updated = await api('/api/v1/accounts/me/limits', {
        method: 'PUT', body: { dailySpendLimitMillicredits: millicredits == null ? null : toJsonNumber(millicredits) },
      });
      fillLimits(section, updated, updated.dailySpendLimitMillicredits == null
        ? 'Saved: no daily cap.'
        : `Saved: at most ${formatCredits(updated.dailySpendLimitMillicredits)} credits of paid turns a day.`);
      section.querySelector('#limit-input').focus();
    } catch (e) {
      form.removeAttribute('aria-busy');
      showError(e.message);
    }
  };
  const showError = (text) => {
    error.textContent = text;
    input.setAttribute('aria-invalid', 'true');
    input.focus();
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (input.value.trim() === '') {
      save(null);
      return;
    }
    let millicredits;
    try {
      millicredits = parseCredits(input.value);
    } catch (e) {
      showError(e.message);
      return;
    }
    save(millicredits);
  });
  form.querySelector('[data-action="remove"]')?.addEventListener('click', () => save(null));

  replace(section,
    h('h2', { id: 'limit-heading' }, 'Daily spending cap'),
    h('p', {}, 'A cap on what paid turns may cost you per UTC day. Free turns never count towards it; '
      + 'a paid turn that would go past it is refused until the cap resets at 00:00 UTC.'),
    h('dl', { class: 'facts' },
      h('div', {}, h('dt', {}, 'Your cap'),
        h('dd', { 'data-testid': 'daily-limit' }, cap == null ? 'No cap' : `${formatCredits(cap)} credits a day`)),
      h('div', {}, h('dt', {}, 'Paid spending today'),
        h('dd', { 'data-testid': 'spent-today' },
          cap == null ? `${formatCredits(spent)} credits` : `${formatCredits(spent)} of ${formatCredits(cap)} credits`))),
    cap == null ? null : usageBar(spent, toMillicredits(cap)),
    form);
}

/**
 * Today's spend against the cap as a bar (whole percent computed in integers). The bar stops at full, the
 * text does not: a turn that overran its hold can take the day past the cap, and "170 %" is what happened.
 */
function usageBar(spent, cap) {
  const percent = cap === 0n ? (spent > 0n ? 100n : 0n) : (spent * 100n) / cap;
  const over = spent > cap;
  return h('div', { class: `usage${over ? ' over' : ''}` },
    h('progress', { max: '100', value: (percent > 100n ? 100n : percent).toString(), 'aria-label': 'Share of today\'s cap spent' }),
    h('span', { class: 'hint', 'data-testid': 'cap-percent' }, `${percent}% of today's cap`,
      over ? ` (${formatCreditsShort(spent - cap)} credits over it: a turn cost more than it held)` : ''));
}
