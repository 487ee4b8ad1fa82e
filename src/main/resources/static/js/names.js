// Names instead of ids: a world's title and a pack's name, looked up once per page and filled in where
// the id was shown first (so a page never waits for them, and still reads if a lookup fails).
import { api } from './session.js';

const worlds = new Map();
let packs = null;

/** The world's title (or its id when it cannot be read). */
export function worldTitle(worldId) {
  if (!worlds.has(worldId)) {
    worlds.set(worldId, api(`/api/v1/worlds/${encodeURIComponent(worldId)}`)
      .then((w) => w.title || worldId)
      .catch(() => worldId));
  }
  return worlds.get(worldId);
}

/** An element showing a world: its id now, its title as soon as it is known. */
export function fillWorldTitle(element, worldId) {
  element.dataset.worldId = worldId;
  element.textContent = worldId;
  worldTitle(worldId).then((title) => { element.textContent = title; });
  return element;
}

/** Pack id → name, from the public pack list. */
export function packNames() {
  if (!packs) {
    packs = api('/api/v1/packs', { token: null })
      .then(({ packs: list }) => new Map((list ?? []).map((p) => [p.id, p.name])))
      .catch(() => new Map());
  }
  return packs;
}

/** "Credit pack pack-medium ($10.00)" → "Credit pack Medium ($10.00)". */
export function withPackName(description, names) {
  return String(description ?? '').replace(/Credit pack (\S+)/, (whole, id) => (names.has(id) ? `Credit pack ${names.get(id)}` : whole));
}

const TIERS = { standard: 'Standard', economy: 'Economy', image: 'Image', reasoning: 'Reasoning', 'astral-lumen': 'Astral Lumen' };

/** A tier slug as players read it: "astral-lumen" → "Astral Lumen". */
export function tierName(tier) {
  if (!tier) return '';
  return TIERS[tier] ?? tier.split(/[-_]/).map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(' ');
}
