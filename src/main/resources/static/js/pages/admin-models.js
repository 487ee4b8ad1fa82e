// "/admin/models" — the model catalog and its prices; a price change is reviewed against the model's typical
// first and follow-up turn (old cost → new cost) before it is confirmed. Settled turns keep what they cost.
import { h, replace, main } from '../dom.js';
import { formatCredits, toMillicredits } from '../money.js';
import { startAdmin, adminApi, errorBox, reasonField, review, table, cell } from '../admin/console.js';

const PRICE_FIELDS = [
  ['inputUsdPerMTok', 'Input'],
  ['cacheReadUsdPerMTok', 'Cache read'],
  ['cacheWriteUsdPerMTok', 'Cache write (5 min)'],
  ['cacheWrite1hUsdPerMTok', 'Cache write (1 h)'],
  ['outputUsdPerMTok', 'Output'],
  ['usdPerImage', 'Per image'],
  ['usdPerWebSearch', 'Per web search'],
];
const DECIMAL = /^\d{1,5}(\.\d{1,9})?$/;

const session = startAdmin({ active: '/admin/models' });
if (session) load();

async function load(message) {
  try {
    const { models } = await adminApi('/api/v1/models');
    const t = table('Models', ['Model', 'Provider · tier', 'Flags', ...PRICE_FIELDS.map(([, l]) => ({ label: `${l} $`, num: true })),
      { label: 'First turn', num: true }, '']);
    const editor = h('div');
    for (const m of models) {
      const edit = h('button', { type: 'button', class: 'button small', 'data-testid': 'edit-prices' }, 'Edit prices…');
      edit.addEventListener('click', () => editForm(editor, m));
      t.body.append(h('tr', { 'data-testid': 'model-row', 'data-model-id': m.id },
        cell([h('strong', {}, m.name), h('br'), h('code', {}, m.id)]), cell(`${m.provider} · ${m.tier}`),
        cell([m.isDefault ? 'default' : null, m.creditsOnly ? 'credits only' : null].filter(Boolean).join(', ') || '—'),
        PRICE_FIELDS.map(([f]) => cell(m.prices?.[f] ?? '—', { num: true })),
        cell(m.estimate ? formatCredits(m.estimate.firstTurnMillicredits) : '—', { num: true }), cell(edit)));
    }
    replace(main(), h('h1', {}, 'Models and prices'),
      message ? h('p', { class: 'notice notice-ok', role: 'status' }, message) : null,
      h('p', { class: 'hint' }, 'Prices in USD per million tokens (per image, per search for units).'),
      h('section', { class: 'card' }, t.el), editor);
  } catch (error) {
    replace(main(), h('h1', {}, 'Models and prices'), errorBox(error, 'Could not load the catalog.'));
  }
}

function editForm(box, model) {
  const inputs = {};
  const fields = PRICE_FIELDS.map(([f, label]) => {
    inputs[f] = h('input', { id: `price-${f}`, name: f, inputmode: 'decimal', autocomplete: 'off', 'data-testid': `price-${f}`,
      value: model.prices?.[f] ?? '' });
    return h('div', { class: 'field' }, h('label', { for: `price-${f}` }, `${label} (USD)`), inputs[f]);
  });
  const error = h('div');
  const reviewBox = h('div');
  const form = h('form', { class: 'form', novalidate: true, 'data-testid': 'price-form' },
    h('h2', {}, `Prices of ${model.name}`), h('div', { class: 'grid-2' }, fields), reasonField('price-reason'), error,
    h('p', {}, h('button', { type: 'submit', class: 'button', 'data-testid': 'price-review' }, 'Review')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    error.replaceChildren();
    const prices = { ...model.prices };
    for (const [f, label] of PRICE_FIELDS) {
      const v = inputs[f].value.trim();
      if (v === '') { delete prices[f]; continue; }
      if (!DECIMAL.test(v)) {
        replace(error, errorBox(`${label}: a decimal number of USD such as 3 or 0.30.`));
        inputs[f].focus();
        return;
      }
      prices[f] = v;
    }
    const reason = form.querySelector('textarea').value.trim();
    if (!reason) {
      replace(error, errorBox('A reason is required.'));
      return;
    }
    let preview;
    try {
      preview = await adminApi(`/api/v1/admin/models/${encodeURIComponent(model.id)}/typical-turn?prices=${encodeURIComponent(JSON.stringify(prices))}`);
    } catch (err) {
      replace(error, errorBox(err, 'These prices are refused:'));
      return;
    }
    const changed = PRICE_FIELDS.filter(([f]) => String(model.prices?.[f] ?? '') !== String(prices[f] ?? ''))
      .map(([f, label]) => `${label}: $${model.prices?.[f] ?? '—'} → $${prices[f] ?? '—'}`);
    const delta = (d) => `${toMillicredits(d) > 0n ? '+' : ''}${formatCredits(d)}`;
    review(reviewBox, {
      lines: [
        changed.length ? `Change ${changed.join('; ')}.` : 'No price changes (the model is saved as it is).',
        h('span', { 'data-testid': 'price-change-first' }, `Typical first turn: ${formatCredits(preview.current.firstTurnMillicredits)} → `
          + `${formatCredits(preview.proposed.firstTurnMillicredits)} credits (${delta(preview.firstTurnChangeMillicredits)}).`),
        `Typical follow-up turn: ${formatCredits(preview.current.followUpMillicredits)} → ${formatCredits(preview.proposed.followUpMillicredits)} `
          + `credits (${delta(preview.followUpChangeMillicredits)}).`,
        'Turns already settled keep what they cost; open holds settle at the new prices.',
        `Reason: ${reason}`,
      ],
      confirmLabel: 'Change the prices',
      run: () => adminApi(`/api/v1/admin/models/${encodeURIComponent(model.id)}`, { method: 'PUT', reason, body: {
        name: model.name, provider: model.provider, tier: model.tier, creditsOnly: model.creditsOnly, isDefault: model.isDefault,
        prices, cacheTtlSeconds: model.cacheTtlSeconds } }),
      done: () => { setTimeout(() => load(`Prices of ${model.name} changed.`), 600); return 'Saved.'; },
    });
  });
  replace(box, h('section', { class: 'card' }, form, reviewBox));
  inputs.inputUsdPerMTok.focus();
}
