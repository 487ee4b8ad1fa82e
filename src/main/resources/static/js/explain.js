// "Why this cost?": any element of the page with data-turn-id (a history row, a journey panel turn) gets a
// button that opens the turn's explanation (GET /api/v1/turns/{id}/explanation) in plain words, under the row.
// Self-contained on purpose: a page opts in with one import and a data-turn-id on its turn rows.
import { h, main } from './dom.js';
import { api } from './session.js';
import { errorNotice } from './layout.js';

let panels = 0;

function stylesheet() {
  if (document.querySelector('link[data-explain-css]')) return;
  document.head.append(h('link', { rel: 'stylesheet', href: '/css/explain.css', 'data-explain-css': true }));
}

/** Adds the button to every turn row not yet seen; called as rows appear. */
function enhance(root) {
  for (const row of root.querySelectorAll('[data-turn-id]:not([data-explain-ready])')) {
    const turnId = row.getAttribute('data-turn-id');
    if (!turnId) continue;
    row.setAttribute('data-explain-ready', '');
    const button = h('button', {
      type: 'button', class: 'button small ghost explain-button', 'data-testid': 'explain-turn', 'aria-expanded': 'false',
    }, 'Why this cost?');
    button.addEventListener('click', () => toggle(row, turnId, button));
    const cell = row.tagName === 'TR' ? (row.querySelector('td[data-label="What"]') ?? row.lastElementChild) : row;
    cell?.append(' ', button);
  }
}

async function toggle(row, turnId, button) {
  const open = document.getElementById(button.getAttribute('aria-controls') ?? '');
  if (open) {
    open.remove();
    button.removeAttribute('aria-controls');
    button.setAttribute('aria-expanded', 'false');
    return;
  }
  panels += 1;
  const id = `turn-explanation-${panels}`;
  const body = h('div', { class: 'explanation', id, 'data-testid': 'turn-explanation', role: 'region',
    'aria-label': 'How this turn’s cost was worked out', 'aria-busy': 'true' }, h('p', { class: 'hint' }, 'Loading…'));
  const panel = row.tagName === 'TR'
    ? h('tr', { class: 'explanation-row', id }, h('td', { colspan: String(row.cells.length) }, body))
    : body;
  if (row.tagName === 'TR') {
    body.removeAttribute('id');
    row.after(panel);
  } else {
    row.append(panel);
  }
  button.setAttribute('aria-controls', id);
  button.setAttribute('aria-expanded', 'true');
  try {
    const explanation = await api(`/api/v1/turns/${encodeURIComponent(turnId)}/explanation`);
    body.replaceChildren(...String(explanation.text ?? '').split('\n').filter(Boolean).map((line) => h('p', {}, line)));
    body.setAttribute('data-cost', String(explanation.costMillicredits));
  } catch (error) {
    body.replaceChildren(errorNotice(error, 'Could not explain this turn.'));
  } finally {
    body.removeAttribute('aria-busy');
  }
}

/**
 * The picker's one line about how good the estimates have been: "last 500 turns: 80 % within the range shown".
 * Null until the model has settled turns whose estimate was stored.
 */
export function accuracyLine(estimate) {
  const a = estimate?.accuracy;
  if (!a || !a.turns) return null;
  const share = Math.round(Number(a.withinRangeShare) * 100);
  return h('p', { class: 'estimate-accuracy hint', 'data-testid': 'estimate-accuracy' },
    `Last ${a.turns} turn${a.turns === 1 ? '' : 's'}: ${share} % within the range shown`,
    a.medianAbsPercentError != null ? `, typically ${a.medianAbsPercentError} % off the estimate.` : '.');
}

const root = main();
if (root) {
  stylesheet();
  enhance(root);
  new MutationObserver(() => enhance(root)).observe(root, { childList: true, subtree: true });
}
