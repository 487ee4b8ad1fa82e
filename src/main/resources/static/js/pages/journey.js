// "/journeys/{journeyId}" — the journey's cost panel (the game's credits popover): balance, free turns,
// recent turns with what they cost, and how many more paid turns the balance buys on the current model.
import { h, replace, main, timeOf } from '../dom.js';
import { api } from '../session.js';
import { startPage, errorNotice, figure } from '../layout.js';
import { formatCredits, toMillicredits } from '../money.js';
import { fillWorldTitle } from '../names.js';
import '../explain.js'; // "Why this cost?" on every turn (data-turn-id)

const tokenCount = new Intl.NumberFormat();
const journeyId = decodeURIComponent(location.pathname.split('/')[2] ?? '');
const session = startPage({});
if (session) load();

async function load() {
  const [costs, account] = await Promise.allSettled([
    api(`/api/v1/journeys/${encodeURIComponent(journeyId)}/costs`),
    api('/api/v1/accounts/me'),
  ]);
  const failed = [costs, account].find((r) => r.status === 'rejected');
  if (failed) {
    if (failed.reason.status !== 401) {
      replace(main(), h('h1', {}, 'Journey credits'), errorNotice(failed.reason, 'Could not load this journey’s costs.'));
    }
    return;
  }
  const names = await modelNames(costs.value.worldId);
  render(costs.value, account.value, names);
}

/** Model ids → names, for display; the panel still works with bare ids if the catalog cannot be read. */
async function modelNames(worldId) {
  try {
    const query = new URLSearchParams({ journeyId });
    if (worldId) query.set('worldId', worldId);
    const { models } = await api(`/api/v1/models?${query}`);
    return new Map(models.map((m) => [m.id, m]));
  } catch {
    return new Map();
  }
}

/** The model chosen in the picker for this journey (models.js keeps it on this device), if any. */
function pickedModelId() {
  try {
    return localStorage.getItem(`imagina.credits.model.${journeyId}`);
  } catch {
    return null;
  }
}

/**
 * The panel's estimate on the model the next turn will use: the journey's current one, unless the
 * player chose another in the picker, whose own estimate then gives the per-turn cost and the turns left.
 */
function nextTurnEstimate(costs, account, models) {
  const picked = models.get(pickedModelId());
  if (!picked || picked.id === costs.currentModelId || !picked.estimate) {
    return { model: models.get(costs.currentModelId), modelId: costs.currentModelId, picked: false, ...(costs.estimate ?? {}) };
  }
  const e = picked.estimate;
  const perTurn = toMillicredits((picked.cacheWarm ? e.followUpMillicredits : e.firstTurnMillicredits) ?? 0);
  const available = toMillicredits(account.availableMillicredits ?? account.balanceMillicredits);
  const turnsRemaining = perTurn > 0n && available > 0n ? available / perTurn : 0n;
  return { model: picked, modelId: picked.id, picked: true, perTurnMillicredits: perTurn, turnsRemaining };
}

function render(costs, account, models) {
  const estimate = nextTurnEstimate(costs, account, models);
  const current = estimate.model;
  const currentName = current?.name ?? estimate.modelId;
  const turns = toMillicredits(estimate.turnsRemaining ?? 0);
  const free = account.freeTurns.remaining;
  const pickerQuery = new URLSearchParams();
  if (costs.worldId) pickerQuery.set('worldId', costs.worldId);
  pickerQuery.set('journeyId', journeyId);

  replace(main(),
    h('h1', {}, 'Journey credits'),
    h('p', { class: 'hint' }, 'Journey ', h('code', {}, journeyId),
      costs.worldId ? [' in ', fillWorldTitle(h('strong', { class: 'world-name' }), costs.worldId)] : null),
    h('section', { class: 'card hero', 'aria-label': 'Balance and free turns' },
      h('div', { class: 'figures' },
        figure('Balance', h('span', { 'data-testid': 'balance' }, formatCredits(account.balanceMillicredits)), 'credits',
          { class: 'figure-main' }),
        figure('Free turns left today', h('span', { 'data-testid': 'free-turns' }, String(free)),
          `of ${account.freeTurns.dailyAllowance}`)),
      h('p', { class: 'turns-remaining', 'data-testid': 'turns-remaining', 'data-model-id': estimate.modelId },
        turns > 0n
          ? ['You can play ', h('strong', {}, `about ${turns} more turn${turns === 1n ? '' : 's'}`), ` on ${currentName}`]
          : ['Your balance buys ', h('strong', {}, 'about 0 more turns'), ` on ${currentName}`],
        estimate.picked ? ' (chosen in the picker)' : '',
        estimate.perTurnMillicredits != null
          ? ` at about ${formatCredits(estimate.perTurnMillicredits)} credits per turn` : '',
        current?.creditsOnly ? ' (credits only: free turns do not apply).'
          : free > 0 ? `, after your ${free} free turn${free === 1 ? '' : 's'} today.` : '.'),
      h('p', { class: 'actions' },
        h('a', { class: 'button', href: `/models?${pickerQuery}` }, 'Change model'),
        h('a', { class: 'button primary', href: '/buy' }, 'Buy credits'))),
    h('section', { class: 'card', 'aria-labelledby': 'recent-heading' },
      h('h2', { id: 'recent-heading' }, 'Recent turns'),
      costs.recentTurns?.length
        ? h('ol', { class: 'turn-list', reversed: true }, costs.recentTurns.map((t) => turnItem(t, models)))
        : h('p', { class: 'hint' }, 'No turns in this journey yet.'),
      h('p', {}, h('a', { href: '/history' }, 'Full history'))));
}

function turnItem(turn, models) {
  const free = turn.fundedBy === 'free_turn';
  const count = (n) => tokenCount.format(n ?? 0);
  const tokens = [`${count(turn.inputTokens)} in`, turn.cacheReadTokens ? `${count(turn.cacheReadTokens)} cached` : null,
    `${count(turn.outputTokens)} out`].filter(Boolean).join(' · ');
  return h('li', { class: 'turn', 'data-testid': 'recent-turn', 'data-funded-by': turn.fundedBy, 'data-turn-id': turn.turnId },
    h('div', { class: 'turn-main' },
      h('span', { class: 'turn-model' }, models.get(turn.modelId)?.name ?? turn.modelId),
      h('span', { class: 'turn-when hint' }, timeOf(turn.settledAt), ' · ', `${tokens} tokens`)),
    h('div', { class: 'turn-cost num free-amount' },
      free
        ? [h('s', {}, formatCredits(turn.costMillicredits)), h('span', { class: 'visually-hidden' }, ' credits, not charged:'),
          ' ', h('span', { class: 'free-note' }, 'free turn')]
        : h('span', { class: 'debit' }, formatCredits(-BigInt(turn.chargedMillicredits ?? turn.costMillicredits)))));
}
