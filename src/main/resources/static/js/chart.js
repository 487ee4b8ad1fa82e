// A plain SVG chart of a world's days: what players spent in it and the owner's share, as bars, and
// the cumulative share against the authoring cost (the break-even line). Amounts stay exact BigInts;
// only the pixel geometry uses ordinary numbers.
import { formatCredits, toMillicredits } from './money.js';

const SVG = 'http://www.w3.org/2000/svg';
const WIDE = { w: 640, h: 240, pad: { top: 16, right: 16, bottom: 32, left: 64 } };
const NARROW = { w: 360, h: 220, pad: { top: 16, right: 8, bottom: 30, left: 48 } };
const dayLabel = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });

function el(tag, attrs = {}, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text != null) node.textContent = text;
  return node;
}

/** days: oldest first, each {day, playSpendMillicredits, shareMillicredits}; authoring: millicredits. */
export function earningsChart(days, authoringMillicredits, { title, narrow = false }) {
  const { w: W, h: H, pad: PAD } = narrow ? NARROW : WIDE;
  const authoring = toMillicredits(authoringMillicredits);
  let cumulative = 0n;
  const points = days.map((d) => {
    cumulative += toMillicredits(d.shareMillicredits);
    return { day: d.day, spend: toMillicredits(d.playSpendMillicredits), share: toMillicredits(d.shareMillicredits), cumulative };
  });
  const top = [authoring, ...points.map((p) => p.spend), cumulative].reduce((a, b) => (b > a ? b : a), 1n);
  const step = niceStep(top);
  const yMax = ((top + step - 1n) / step) * step;
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const y = (m) => PAD.top + plotH - (Number(m) / Number(yMax)) * plotH;
  const slot = plotW / Math.max(points.length, 1);
  const x = (i) => PAD.left + i * slot;

  const svg = el('svg', { viewBox: `0 0 ${W} ${H}`, class: `chart${narrow ? ' narrow' : ''}`, role: 'img' });
  const titleId = `chart-${Math.random().toString(36).slice(2)}`;
  svg.setAttribute('aria-labelledby', titleId);
  const paidBack = cumulative >= authoring;
  svg.append(el('title', { id: titleId }, `${title}: cumulative earnings ${formatCredits(cumulative)} credits against `
    + `an authoring cost of ${formatCredits(authoring)} credits; ${paidBack ? 'paid for itself' : 'not yet paid for itself'}.`));

  for (let v = 0n; v <= yMax; v += step) {
    svg.append(el('line', { x1: PAD.left, x2: W - PAD.right, y1: y(v), y2: y(v), class: 'grid' }));
    svg.append(el('text', { x: PAD.left - 6, y: y(v) + 4, class: 'axis', 'text-anchor': 'end' }, shortCredits(v)));
  }
  points.forEach((p, i) => {
    const bar = Math.max(2, Math.min(18, slot / 3));
    const cx = x(i) + slot / 2;
    svg.append(el('rect', { x: cx - bar - 1, y: y(p.spend), width: bar, height: Math.max(0, y(0n) - y(p.spend)), class: 'bar-spend' }));
    svg.append(el('rect', { x: cx + 1, y: y(p.share), width: bar, height: Math.max(0, y(0n) - y(p.share)), class: 'bar-share' }));
  });
  if (points.length > 0) {
    // The cumulative share starts from 0 at the chart's left edge, so even a single day draws a line, and
    // each day gets a dot on it.
    const path = [`M${PAD.left},${y(0n).toFixed(1)}`]
      .concat(points.map((p, i) => `L${(x(i) + slot / 2).toFixed(1)},${y(p.cumulative).toFixed(1)}`)).join(' ');
    svg.append(el('path', { d: path, class: 'line-cumulative' }));
    points.forEach((p, i) => svg.append(el('circle', { cx: (x(i) + slot / 2).toFixed(1), cy: y(p.cumulative).toFixed(1), r: 3.5, class: 'dot-cumulative' })));
    const labels = new Set([0, points.length - 1]);
    labels.forEach((i) => svg.append(el('text', {
      x: x(i) + slot / 2, y: H - PAD.bottom + 18, class: 'axis', 'text-anchor': points.length === 1 ? 'middle' : i === 0 ? 'start' : 'end',
    }, dayLabel.format(new Date(`${points[i].day}T00:00:00Z`)))));
  }
  svg.append(el('line', { x1: PAD.left, x2: W - PAD.right, y1: y(authoring), y2: y(authoring), class: 'line-breakeven' }));
  svg.append(el('text', { x: W - PAD.right, y: y(authoring) - 6, class: 'axis label-breakeven', 'text-anchor': 'end' },
    `break-even: ${formatCredits(authoring)}`));
  return svg;
}

/** A round tick step (1, 2 or 5 × 10^n millicredits) giving about four grid lines. */
function niceStep(top) {
  const rough = top / 4n > 0n ? top / 4n : 1n;
  let power = 1n;
  while (power * 10n <= rough) power *= 10n;
  for (const f of [1n, 2n, 5n, 10n]) if (power * f >= rough) return power * f;
  return power * 10n;
}

/** Axis labels in whole credits where possible ("1,200"), else with decimals. */
function shortCredits(millicredits) {
  const text = formatCredits(millicredits);
  return text.endsWith('.000') ? text.slice(0, -4) : text;
}

export function chartLegend() {
  const legend = document.createElement('ul');
  legend.className = 'legend';
  for (const [cls, label] of [['bar-spend', 'Players’ paid spend'], ['bar-share', 'Your share'],
    ['line-cumulative', 'Your share, cumulative'], ['line-breakeven', 'Authoring cost (break-even)']]) {
    const item = document.createElement('li');
    const swatch = document.createElement('span');
    swatch.className = `swatch ${cls}`;
    swatch.setAttribute('aria-hidden', 'true');
    item.append(swatch, label);
    legend.append(item);
  }
  return legend;
}
