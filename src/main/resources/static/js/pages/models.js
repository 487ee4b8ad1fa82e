// "/models?worldId=&journeyId=" — the model picker: each model's estimated cost per turn in this world,
// which ones are credits only, the default; the choice is remembered on this device for the journey.
import { h, replace, main } from '../dom.js';
import { api } from '../session.js';
import { startPage, errorNotice } from '../layout.js';
import { formatCredits } from '../money.js';
import { accuracyLine } from '../explain.js';

const params = new URLSearchParams(location.search);
const worldId = params.get('worldId') || null;
const journeyId = params.get('journeyId') || null;
const choiceKey = `imagina.credits.model.${journeyId ?? '(no journey)'}`;
const BASIS = {
  world: 'Calibrated on this world’s real turns',
  model: 'Based on this model’s turns in all worlds',
  prior: 'First estimate: no turns played yet',
};

const session = startPage({ active: '/models' });
if (session) load();

async function load() {
  const query = new URLSearchParams({ accountId: session.accountId });
  if (worldId) query.set('worldId', worldId);
  if (journeyId) query.set('journeyId', journeyId);
  const [models, account] = await Promise.allSettled([api(`/api/v1/models?${query}`), api('/api/v1/accounts/me')]);
  if (models.status === 'rejected') {
    if (models.reason.status !== 401) {
      replace(main(), h('h1', {}, 'Choose a model'), errorNotice(models.reason, 'Could not load the models.'));
    }
    return;
  }
  render(models.value.models ?? [], account.status === 'fulfilled' ? account.value : null);
}

function storedChoice() {
  try {
    return localStorage.getItem(choiceKey);
  } catch {
    return null;
  }
}

function remember(modelId) {
  try {
    localStorage.setItem(choiceKey, modelId);
  } catch {
    /* not remembered, still shown for now */
  }
}

function render(models, account) {
  const announce = h('p', { class: 'visually-hidden', role: 'status' });
  const known = new Set(models.map((m) => m.id));
  const stored = storedChoice();
  let selected = known.has(stored) ? stored
    : models.find((m) => m.cacheWarm)?.id ?? models.find((m) => m.isDefault)?.id ?? null;
  const list = h('ul', { class: 'model-list', role: 'list' });
  const draw = () => list.replaceChildren(...models.map((m) => modelCard(m, m.id === selected, choose)));
  const choose = (model) => {
    selected = model.id;
    remember(model.id);
    draw();
    announce.textContent = `${model.name} chosen${journeyId ? ' for this journey' : ''}.`;
    list.querySelector(`[data-model-id="${CSS.escape(model.id)}"] button`)?.focus();
  };
  draw();
  const context = [worldId ? `world ${worldId}` : null, journeyId ? `journey ${journeyId}` : null].filter(Boolean);
  replace(main(),
    h('h1', {}, 'Choose a model'),
    h('p', { class: 'lede' },
      'Estimated cost per turn', context.length ? ` in ${context.join(', ')}` : '',
      '. The real cost of each turn is computed from what the model actually used.'),
    account ? h('p', { class: 'notice' },
      `You have ${formatCredits(account.balanceMillicredits)} credits and ${account.freeTurns.remaining} free turn`
      + `${account.freeTurns.remaining === 1 ? '' : 's'} left today. Free turns apply to every model without the `,
      h('span', { class: 'badge badge-credits' }, 'credits only'), ' badge.') : null,
    list,
    h('p', { class: 'hint' }, journeyId
      ? 'Your choice is remembered on this device for this journey.'
      : 'Your choice is remembered on this device.'),
    announce);
}

function modelCard(model, isSelected, choose) {
  const e = model.estimate ?? {};
  const headline = model.cacheWarm ? e.followUpMillicredits : e.firstTurnMillicredits;
  const button = h('button', { type: 'button', class: `button ${isSelected ? 'primary' : ''}`, 'aria-pressed': String(isSelected) },
    isSelected ? 'Chosen' : 'Use this model', h('span', { class: 'visually-hidden' }, `: ${model.name}`));
  button.addEventListener('click', () => choose(model));
  return h('li', {
    class: `card model${isSelected ? ' selected' : ''}`, 'data-testid': 'model', 'data-model-id': model.id,
    'data-selected': String(isSelected),
  },
    h('div', { class: 'model-head' },
      h('h2', {}, model.name),
      h('p', { class: 'badges' },
        model.isDefault ? h('span', { class: 'badge badge-default', 'data-testid': 'default-model' }, 'Default') : null,
        model.creditsOnly ? h('span', { class: 'badge badge-credits', 'data-testid': 'credits-only' }, 'credits only') : null,
        isSelected ? h('span', { class: 'badge badge-selected', 'data-testid': 'selected' }, 'Selected') : null)),
    h('p', { class: 'model-meta' }, [model.provider, model.tier].filter(Boolean).join(' · ')),
    headline == null ? h('p', { 'data-testid': 'estimate' }, 'No estimate yet')
      : h('div', { class: 'estimate', 'data-testid': 'estimate' },
        h('p', { class: 'estimate-headline' }, '≈ ', h('strong', {}, formatCredits(headline)), ' credits per turn',
          h('span', { class: 'hint' }, model.cacheWarm ? ' (follow-up turn, cache warm)' : ' (first turn)')),
        h('p', { class: 'estimate-range' }, `Usually ${formatCredits(e.lowMillicredits)}–${formatCredits(e.highMillicredits)} credits`),
        h('p', { class: 'estimate-basis', 'data-basis': e.basis },
          BASIS[e.basis] ?? e.basis, e.samples ? ` (${e.samples} turn${e.samples === 1 ? '' : 's'})` : ''),
        accuracyLine(e)),
    model.prices ? priceDetails(model.prices) : null,
    button);
}

/** The list prices behind the estimate, for players who want to check the arithmetic. */
function priceDetails(prices) {
  const rows = [
    ['Input', prices.inputUsdPerMTok], ['Cached input', prices.cacheReadUsdPerMTok],
    ['Cache write', prices.cacheWriteUsdPerMTok], ['Output', prices.outputUsdPerMTok],
  ].filter(([, v]) => v != null);
  return h('details', { class: 'prices' },
    h('summary', {}, 'Prices'),
    h('dl', { class: 'facts compact' }, rows.map(([label, value]) =>
      h('div', {}, h('dt', {}, label), h('dd', {}, `$${value} per million tokens`)))));
}
