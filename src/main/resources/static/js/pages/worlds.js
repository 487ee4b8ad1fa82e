// "/worlds" — My worlds: for each world the player owns, what building it cost against what it has
// earned (paid out) and what is pending, day by day, with a break-even chart.
import { h, replace, main, dayOf } from '../dom.js';
import { api } from '../session.js';
import { startPage, errorNotice, figure } from '../layout.js';
import { formatCredits, toMillicredits } from '../money.js';
import { earningsChart, chartLegend } from '../chart.js';

const CHART_DAYS = 30;
const session = startPage({ active: '/worlds' });
if (session) load();

async function load() {
  let worlds;
  try {
    worlds = (await api('/api/v1/worlds?ownerId=me')).worlds ?? [];
  } catch (error) {
    if (error.status === 401) return;
    // No list of worlds from the service (yet): the same as owning none, said plainly.
    if (error.status === 404 || error.status === 405) worlds = [];
    else {
      replace(main(), h('h1', {}, 'My worlds'), errorNotice(error, 'Could not load your worlds.'));
      return;
    }
  }
  if (worlds.length === 0) {
    replace(main(), h('h1', {}, 'My worlds'),
      h('section', { class: 'card empty', 'data-testid': 'no-worlds' },
        h('h2', {}, 'No worlds yet'),
        h('p', {}, 'When you build a world and publish it, other players’ paid turns in it earn you a share of '
          + 'what they spend. This page then shows whether each world has paid back what it cost to build.')));
    return;
  }
  const blocks = worlds.map((w) => h('section', {
    class: 'card world', 'data-testid': 'world-earnings', 'data-world-id': w.worldId, 'aria-labelledby': `world-${w.worldId}`,
  }, h('h2', { id: `world-${w.worldId}` }, w.title ?? w.worldId), h('p', { class: 'loading', role: 'status' }, 'Loading…')));
  replace(main(), h('h1', {}, 'My worlds'),
    h('p', { class: 'lede' }, 'What each of your worlds cost to build, and what it has earned from other players’ paid turns.'),
    blocks);
  await Promise.all(worlds.map((w, i) => fillWorld(blocks[i], w)));
}

async function fillWorld(block, world) {
  const heading = block.querySelector('h2');
  try {
    const earnings = await api(`/api/v1/worlds/${encodeURIComponent(world.worldId)}/earnings`);
    replace(block, heading, worldBody(world, earnings)); // replace() flattens the nested parts
  } catch (error) {
    if (error.status === 401) return;
    replace(block, heading, errorNotice(error, 'Could not load this world’s earnings.'));
  }
}

function worldBody(world, e) {
  const spent = toMillicredits(e.authoringSpentMillicredits);
  const earned = toMillicredits(e.earnedMillicredits);
  const pending = toMillicredits(e.pendingMillicredits);
  const net = earned + pending - spent;
  const published = e.published ?? world.published;
  const days = e.days ?? []; // newest first
  return [
    h('p', { class: 'badges' },
      h('span', { class: `badge ${published ? 'badge-default' : ''}` }, published ? 'Published' : 'Not published'),
      h('code', { class: 'hint' }, world.worldId)),
    h('div', { class: 'figures three' },
      figure('Build cost', h('span', { 'data-testid': 'authoring-spent' }, formatCredits(spent)), 'credits'),
      figure('Earned', h('span', { 'data-testid': 'earned' }, formatCredits(earned)), 'credits'),
      figure('Pending', h('span', { 'data-testid': 'pending' }, formatCredits(pending)), 'credits')),
    h('p', { class: `verdict ${net >= 0n ? 'good' : ''}`, 'data-testid': 'break-even' },
      net >= 0n
        ? `Paid for itself: ${formatCredits(net, { sign: true })} credits counting pending earnings.`
        : `${formatCredits(-net)} credits to go before it has paid for itself.`),
    published ? null : h('p', { class: 'hint' }, 'Unpublished worlds earn nothing: publish it so others can play.'),
    days.length === 0
      ? h('p', { class: 'hint' }, 'No paid plays by other players yet.')
      : [chartFigure(days.slice(0, CHART_DAYS).reverse(), spent, world.title ?? world.worldId), dayTable(days)],
  ];
}

/** The chart, drawn again with larger text when the screen crosses the phone width. */
function chartFigure(daysOldestFirst, spent, title) {
  const phone = window.matchMedia('(max-width: 40rem)');
  const draw = () => earningsChart(daysOldestFirst, spent, { title, narrow: phone.matches });
  const figureEl = h('figure', { class: 'chart-figure' }, draw(), h('figcaption', {}, chartLegend()));
  phone.addEventListener('change', () => figureEl.firstElementChild.replaceWith(draw()));
  return figureEl;
}

function dayTable(days) {
  return h('details', { class: 'days', open: true },
    h('summary', {}, `Day by day (${days.length} day${days.length === 1 ? '' : 's'})`),
    h('div', { class: 'table-scroll' },
      h('table', { class: 'day-table' },
        h('caption', { class: 'visually-hidden' }, 'Earnings per UTC day, newest first'),
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, 'Day (UTC)'), h('th', { scope: 'col', class: 'num' }, 'Paid plays'),
          h('th', { scope: 'col', class: 'num' }, 'Players'), h('th', { scope: 'col', class: 'num' }, 'Players spent'),
          h('th', { scope: 'col', class: 'num' }, 'Your share'), h('th', { scope: 'col' }, 'Status'))),
        h('tbody', {}, days.map((d) => h('tr', { 'data-testid': 'earnings-day' },
          h('th', { scope: 'row' }, dayOf(d.day)),
          h('td', { class: 'num' }, String(d.paidPlays)),
          h('td', { class: 'num' }, String(d.players)),
          h('td', { class: 'num' }, formatCredits(d.playSpendMillicredits)),
          h('td', { class: 'num' }, formatCredits(d.shareMillicredits)),
          h('td', {}, d.paidOut ? 'Paid out' : 'Pending')))))));
}
