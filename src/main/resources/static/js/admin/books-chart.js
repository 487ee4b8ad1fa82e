// The books as a plain SVG chart: per day, credits in (purchases, grants, adjustments, revenue share, reversals)
// and out (consumed, refunds, disputes, expiry) as bars, and the closing outstanding credits as a line.
// Amounts stay BigInt; only pixel geometry uses ordinary numbers.
import { formatCredits, toMillicredits } from '../money.js';

const SVG = 'http://www.w3.org/2000/svg';
const W = 720;
const H = 240;
const PAD = { top: 14, right: 12, bottom: 28, left: 72 };
const IN = ['purchasedMillicredits', 'bonusMillicredits', 'grantedMillicredits', 'revenueShareMillicredits', 'disputeReversedMillicredits'];
const OUT = ['consumedMillicredits', 'refundedMillicredits', 'disputedMillicredits', 'expiredMillicredits'];

function el(tag, attrs = {}, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text != null) node.textContent = text;
  return node;
}

function total(day, fields) {
  let sum = 0n;
  for (const f of fields) sum += toMillicredits(day[f] ?? 0);
  const adjusted = toMillicredits(day.adjustedMillicredits ?? 0);
  if (fields === IN && adjusted > 0n) sum += adjusted;
  if (fields === OUT && adjusted < 0n) sum -= adjusted;
  return sum;
}

/** days: oldest first, as GET /api/v1/admin/books answers them. */
export function booksChart(days) {
  const points = days.map((d) => ({ day: d.day, in: total(d, IN), out: total(d, OUT), closing: toMillicredits(d.closingMillicredits) }));
  let top = 1n;
  let bottom = 0n;
  for (const p of points) {
    for (const v of [p.in, p.out, p.closing]) if (v > top) top = v;
    if (p.closing < bottom) bottom = p.closing;
  }
  const span = Number(top - bottom);
  const plotH = H - PAD.top - PAD.bottom;
  const plotW = W - PAD.left - PAD.right;
  const y = (m) => PAD.top + plotH - (Number(m - bottom) / span) * plotH;
  const slot = plotW / Math.max(points.length, 1);
  const x = (i) => PAD.left + i * slot;
  const svg = el('svg', { viewBox: `0 0 ${W} ${H}`, class: 'books-chart', role: 'img', 'data-testid': 'books-chart',
    'aria-label': `Credits in, out and outstanding over ${points.length} days` });
  for (const v of [bottom, top]) {
    svg.append(el('line', { x1: PAD.left, x2: W - PAD.right, y1: y(v), y2: y(v), class: 'grid' }));
    svg.append(el('text', { x: PAD.left - 6, y: y(v) + 4, class: 'axis', 'text-anchor': 'end' }, formatCredits(v)));
  }
  const bar = Math.max(2, Math.min(14, slot / 3));
  points.forEach((p, i) => {
    const cx = x(i) + slot / 2;
    svg.append(el('rect', { x: cx - bar - 1, y: y(p.in), width: bar, height: Math.max(0, y(bottom > 0n ? bottom : 0n) - y(p.in)), class: 'bar-in' }));
    svg.append(el('rect', { x: cx + 1, y: y(p.out), width: bar, height: Math.max(0, y(bottom > 0n ? bottom : 0n) - y(p.out)), class: 'bar-out' }));
  });
  if (points.length > 0) {
    svg.append(el('path', { class: 'line-closing',
      d: points.map((p, i) => `${i === 0 ? 'M' : 'L'}${(x(i) + slot / 2).toFixed(1)},${y(p.closing).toFixed(1)}`).join(' ') }));
    svg.append(el('text', { x: PAD.left, y: H - 8, class: 'axis' }, points[0].day));
    svg.append(el('text', { x: W - PAD.right, y: H - 8, class: 'axis', 'text-anchor': 'end' }, points[points.length - 1].day));
  }
  return svg;
}

export function booksLegend() {
  const ul = document.createElement('ul');
  ul.className = 'legend-admin';
  for (const [cls, label] of [['in', 'Credits in'], ['out', 'Credits out'], ['closing', 'Outstanding at close']]) {
    const li = document.createElement('li');
    const swatch = document.createElement('span');
    swatch.className = `swatch ${cls}`;
    swatch.setAttribute('aria-hidden', 'true');
    li.append(swatch, label);
    ul.append(li);
  }
  return ul;
}
