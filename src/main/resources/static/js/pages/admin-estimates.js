// "/admin/estimates" — how close the picker's estimates were: overall, per model, per model and world, per day.
import { h, replace, main } from '../dom.js';
import { startAdmin, adminApi, errorBox, table, cell } from '../admin/console.js';

const session = startAdmin({ active: '/admin/estimates' });
if (session) load();

function pct(share) {
  return share == null ? '—' : `${(Number(share) * 100).toFixed(1)} %`;
}

function err(value) {
  return value == null ? '—' : `${value} %`;
}

function row(testid, label, a) {
  return h('tr', { 'data-testid': testid }, cell(label), cell(String(a.turns), { num: true }),
    cell(err(a.medianAbsPercentError), { num: true }), cell(pct(a.withinRangeShare), { num: true }));
}

const COLUMNS = [{ label: 'Turns', num: true }, { label: 'Median abs. error', num: true }, { label: 'Within range', num: true }];

async function load() {
  replace(main(), h('h1', {}, 'Estimate accuracy'), h('p', { class: 'loading', role: 'status' }, 'Loading…'));
  try {
    const r = await adminApi('/api/v1/admin/estimates/accuracy');
    const models = table('Per model', ['Model', ...COLUMNS]);
    for (const m of r.models) models.body.append(row('accuracy-model', m.modelId, m.accuracy));
    const groups = table('Per model and world', ['Model · world', ...COLUMNS]);
    for (const g of r.groups) groups.body.append(row('accuracy-group', `${g.modelId} · ${g.worldId}`, g.accuracy));
    const days = table('Drift, per day', ['Day', ...COLUMNS]);
    for (const d of r.days) days.body.append(row('accuracy-day', d.day, d.accuracy));
    replace(main(), h('h1', {}, 'Estimate accuracy'),
      h('section', { class: 'card hero' },
        h('p', { 'data-testid': 'accuracy-overall' }, r.overall && r.overall.turns > 0
          ? `Last ${r.overall.turns} settled play turns (window ${r.window} per group): ${pct(r.overall.withinRangeShare)} `
            + `landed within the range the picker showed; median absolute error ${err(r.overall.medianAbsPercentError)}.`
          : 'No settled play turns with a stored estimate yet.')),
      h('section', { class: 'card' }, models.el),
      h('section', { class: 'card' }, groups.el),
      h('section', { class: 'card' }, days.el));
  } catch (error) {
    replace(main(), h('h1', {}, 'Estimate accuracy'), errorBox(error, 'Could not load the estimate accuracy.'));
  }
}
