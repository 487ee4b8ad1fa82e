// "/history" — the ledger newest first, page by page over the cursor API, with a type filter and a CSV download.
import { h, replace, main, timeOf } from '../dom.js';
import { api } from '../session.js';
import { startPage, errorNotice } from '../layout.js';
import { formatCredits, toMillicredits } from '../money.js';
import { fillWorldTitle, packNames, withPackName } from '../names.js';
import '../explain.js'; // "Why this cost?" on every row with a data-turn-id

const PAGE_SIZE = 50;
const TYPES = {
  purchase: 'Purchase',
  turn: 'Turn',
  free_turn: 'Free turn',
  world_text: 'World text',
  world_image: 'World image',
  revenue_share: 'Revenue share',
  adjustment: 'Adjustment',
  refund: 'Refund',
  grant: 'Promotional credits',
  expiry: 'Credits expired',
  dispute: 'Payment disputed',
  dispute_reversal: 'Dispute reversed',
};
/** What these rows mean, said plainly beside the row's own description. */
const MEANING = {
  grant: 'Credits given to you; they are spent before your own, soonest to expire first.',
  expiry: 'The unspent part of promotional credits reached its expiry date.',
  dispute: 'A card payment was disputed with the bank, so the credits it bought were taken back.',
  dispute_reversal: 'The dispute was decided in your favour: the credits are back.',
};

const session = startPage({ active: '/history' });
const state = { type: initialType(), cursor: null, count: 0, generation: 0 };
let rows, moreButton, status, problem;
if (session) {
  layout();
  loadPage();
}

function initialType() {
  const type = new URLSearchParams(location.search).get('type');
  return type && type in TYPES ? type : '';
}

function layout() {
  const select = h('select', { id: 'type-filter', name: 'type' },
    h('option', { value: '' }, 'All transactions'),
    Object.entries(TYPES).map(([value, label]) => h('option', { value, selected: value === state.type }, label)));
  select.addEventListener('change', () => {
    state.type = select.value;
    const url = new URL(location.href);
    if (state.type) url.searchParams.set('type', state.type);
    else url.searchParams.delete('type');
    history.replaceState(history.state, '', url);
    restart();
  });
  const download = h('button', { type: 'button', class: 'button', 'data-testid': 'download-csv' }, 'Download CSV');
  download.addEventListener('click', () => downloadCsv(download));

  rows = h('tbody', { id: 'tx-rows' });
  moreButton = h('button', { type: 'button', class: 'button', hidden: true, 'aria-controls': 'tx-rows' }, 'More');
  moreButton.addEventListener('click', loadPage);
  status = h('p', { class: 'hint', role: 'status' });
  problem = h('div');

  replace(main(),
    h('h1', {}, 'History'),
    h('form', { class: 'toolbar', role: 'search', 'aria-label': 'Filter transactions', onsubmit: (e) => e.preventDefault() },
      h('div', { class: 'field' }, h('label', { for: 'type-filter' }, 'Show'), select),
      download),
    problem,
    h('div', { class: 'card table-card' },
      h('table', { class: 'tx-table' },
        h('caption', { class: 'visually-hidden' }, 'Your transactions, newest first'),
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, 'When'),
          h('th', { scope: 'col' }, 'What'),
          h('th', { scope: 'col', class: 'num' }, 'Amount'),
          h('th', { scope: 'col', class: 'num' }, 'Balance after'))),
        rows)),
    h('div', { class: 'more' }, moreButton, status));
}

function restart() {
  state.generation += 1;
  state.cursor = null;
  state.count = 0;
  rows.replaceChildren();
  loadPage();
}

async function loadPage() {
  const generation = state.generation;
  const params = new URLSearchParams({ limit: String(PAGE_SIZE) });
  if (state.cursor) params.set('cursor', state.cursor);
  if (state.type) params.set('type', state.type);
  moreButton.disabled = true;
  status.textContent = 'Loading…';
  problem.replaceChildren();
  try {
    const [page, packs] = await Promise.all([api(`/api/v1/accounts/me/transactions?${params}`), packNames()]);
    if (generation !== state.generation) return; // the filter changed while this page was loading
    for (const item of page.items) rows.append(row(item, packs));
    state.count += page.items.length;
    state.cursor = page.nextCursor ?? null;
    moreButton.hidden = !state.cursor;
    moreButton.disabled = false;
    status.textContent = state.count === 0
      ? (state.type ? `No ${TYPES[state.type].toLowerCase()} transactions.` : 'No transactions yet.')
      : `Showing ${state.count} transaction${state.count === 1 ? '' : 's'}${state.cursor ? '' : ', all there are'}.`;
  } catch (error) {
    if (generation !== state.generation) return;
    moreButton.disabled = false;
    status.textContent = '';
    problem.replaceChildren(errorNotice(error, 'Could not load the history.'));
  }
}

function row(item, packs) {
  const amount = toMillicredits(item.amountMillicredits);
  const world = item.worldId ? fillWorldTitle(h('span', { class: 'world-name' }), item.worldId) : null;
  const details = item.modelId || world
    ? [item.modelId, item.modelId && world ? ' · ' : null, world ? ['in ', world] : null] : null;
  return h('tr', { 'data-testid': 'tx-row', 'data-type': item.type, 'data-id': item.id, 'data-turn-id': item.turnId },
    h('td', { 'data-label': 'When' }, timeOf(item.createdAt)),
    h('td', { 'data-label': 'What' },
      h('span', { class: `tag tag-${item.type}` }, TYPES[item.type] ?? item.type), ' ',
      h('span', { class: 'description' }, withPackName(item.description, packs)),
      MEANING[item.type] ? h('span', { class: 'details meaning' }, MEANING[item.type]) : null,
      details ? h('span', { class: 'details' }, details) : null),
    h('td', { 'data-label': 'Amount', class: 'num' }, amountCell(item, amount)),
    h('td', { 'data-label': 'Balance after', class: 'num' }, formatCredits(item.balanceAfterMillicredits)));
}

/** A free turn costs nothing: its full cost is shown struck through, so the player sees what it saved. */
function amountCell(item, amount) {
  if (item.type === 'free_turn') {
    return h('span', { class: 'free-amount' },
      h('s', {}, formatCredits(item.fullCostMillicredits ?? 0)),
      h('span', { class: 'visually-hidden' }, ' credits, not charged:'),
      ' ', h('span', { class: 'free-note' }, 'free turn'));
  }
  return h('span', { class: amount < 0n ? 'debit' : amount > 0n ? 'credit' : '' }, formatCredits(amount, { sign: true }));
}

/** The CSV needs the bearer token, so it is fetched here and handed to the browser as a file. */
async function downloadCsv(button) {
  button.disabled = true;
  problem.replaceChildren();
  try {
    const query = state.type ? `?type=${encodeURIComponent(state.type)}` : '';
    const response = await api(`/api/v1/accounts/me/transactions.csv${query}`, { accept: 'text/csv' });
    const blob = await response.blob();
    const url = URL.createObjectURL(blob);
    const link = h('a', { href: url, download: `transactions-${session.accountId || 'me'}.csv`, hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  } catch (error) {
    problem.replaceChildren(errorNotice(error, 'Could not download the CSV.'));
  } finally {
    button.disabled = false;
  }
}
