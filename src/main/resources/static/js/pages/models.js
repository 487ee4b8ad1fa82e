// "/models?worldId=&journeyId=" — the model picker: each model's estimated cost per turn in this world,
// which ones are credits only, the default; the choice is remembered on this device for the journey.
import { h, replace, main } from '../dom.js';
import { api } from '../session.js';
import { startPage, errorNotice } from '../layout.js';
import { formatCredits } from '../money.js';
import { fillWorldTitle, tierName } from '../names.js';
import { accuracyLine } from '../explain.js';

const params = new URLSearchParams(location.search);
const worldId = params.get('worldId') || null;
const journeyId = params.get('journeyId') || null;
const choiceKey = `imagina.credits.model.${journeyId ?? '(no journey)'}`;
/** How many turns of a model in a world before its estimate uses that world's own turns (estimates/Calibration). */
const WORLD_CALIBRATION_TURNS = 20;

/** What the estimate rests on, and when it will calibrate further. */
function basisText(e) {
  const n = e.samples ?? 0;
  const turns = `${n} turn${n === 1 ? '' : 's'}`;
  const thisWorld = worldId ? ` After ${WORLD_CALIBRATION_TURNS} turns of it in this world it uses this world’s own.` : '';
  if (e.basis === 'world') return `Calibrated on ${turns} of this model in this world.`;
  if (e.basis === 'model') {
    return `Based on ${turns} of this model in all worlds${worldId ? ', scaled to this world’s prompt size' : ''}.${thisWorld}`;
  }
  if (e.basis === 'prior') {
    return 'Catalog estimate for a typical turn: no calibrated turns of this model yet. Estimates are '
      + `recalibrated from settled turns every 5 minutes.${thisWorld}`;
  }
  return e.basis ?? '';
}

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
  // A story turn is played on a text model; image models make the world builder's pictures.
  const imageModels = models.filter((m) => m.tier === 'image');
  const storyModels = models.filter((m) => m.tier !== 'image');
  const known = new Set(storyModels.map((m) => m.id));
  const stored = storedChoice();
  let selected = known.has(stored) ? stored
    : storyModels.find((m) => m.cacheWarm)?.id ?? storyModels.find((m) => m.isDefault)?.id ?? null;
  const list = h('ul', { class: 'model-list', role: 'list' });
  const draw = () => list.replaceChildren(...storyModels.map((m) => modelCard(m, m.id === selected, choose)));
  const choose = (model) => {
    selected = model.id;
    remember(model.id);
    draw();
    announce.textContent = `${model.name} chosen${journeyId ? ' for this journey' : ''}.`;
    list.querySelector(`[data-model-id="${CSS.escape(model.id)}"] button`)?.focus();
  };
  draw();
  replace(main(),
    h('h1', {}, 'Choose a model'),
    h('p', { class: 'lede' },
      'Estimated cost per story turn', worldId ? [' in ', fillWorldTitle(h('strong', { class: 'world-name' }), worldId)] : '',
      '. The real cost of each turn is computed from what the model actually used.'),
    account ? h('p', { class: 'notice' },
      `You have ${formatCredits(account.balanceMillicredits)} credits and ${account.freeTurns.remaining} free turn`
      + `${account.freeTurns.remaining === 1 ? '' : 's'} left today. Free turns apply to every model without the `,
      h('span', { class: 'badge badge-credits' }, 'credits only'), ' badge.') : null,
    list,
    h('p', { class: 'hint' }, journeyId
      ? 'Your choice is remembered on this device for this journey.'
      : 'Your choice is remembered on this device.'),
    imageModels.length === 0 ? null : h('section', { class: 'image-models', 'aria-labelledby': 'image-models-heading' },
      h('h2', { id: 'image-models-heading' }, 'Image models'),
      h('p', { class: 'hint' }, 'Used by the world builder for pictures, not for story turns.'),
      h('ul', { class: 'model-list', role: 'list' }, imageModels.map((m) => modelCard(m, false, null)))),
    announce);
}

function modelCard(model, isSelected, choose) {
  const e = model.estimate ?? {};
  const headline = model.cacheWarm ? e.followUpMillicredits : e.firstTurnMillicredits;
  let button = null;
  if (choose) {
    button = h('button', { type: 'button', class: `button ${isSelected ? 'primary' : ''}`, 'aria-pressed': String(isSelected) },
      isSelected ? 'Chosen' : 'Use this model', h('span', { class: 'visually-hidden' }, `: ${model.name}`));
    button.addEventListener('click', () => choose(model));
  }
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
    h('p', { class: 'model-meta', 'data-testid': 'tier' }, [providerName(model.provider), tierName(model.tier)].filter(Boolean).join(' · ')),
    headline == null ? h('p', { 'data-testid': 'estimate' }, 'No estimate yet')
      : h('div', { class: 'estimate', 'data-testid': 'estimate' },
        h('p', { class: 'estimate-headline' }, '≈ ', h('strong', {}, formatCredits(headline)), ' credits per turn',
          h('span', { class: 'hint' }, model.cacheWarm ? ' (follow-up turn, cache warm)' : ' (first turn)')),
        h('p', { class: 'estimate-range' }, `Usually ${formatCredits(e.lowMillicredits)}–${formatCredits(e.highMillicredits)} credits`),
        h('p', { class: 'estimate-basis', 'data-basis': e.basis, 'data-testid': 'basis' }, basisText(e)),
        accuracyLine(e)),
    model.prices ? priceDetails(model.prices) : null,
    button);
}

const PROVIDERS = { anthropic: 'Anthropic', openai: 'OpenAI', google: 'Google', gemini: 'Google' };

function providerName(provider) {
  return PROVIDERS[provider] ?? provider;
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
