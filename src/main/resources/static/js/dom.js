// A tiny DOM builder: every text goes in as a text node, so nothing from the API becomes markup.

export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  setAttributes(el, attrs);
  append(el, children);
  return el;
}

export function setAttributes(el, attrs) {
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value == null || value === false) continue;
    if (key === 'class') el.setAttribute('class', value);
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
}

export function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child == null || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

export function replace(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

export function main() {
  return document.getElementById('main');
}

/** The page's first heading takes focus after a full re-render, so screen readers start at the top. */
export function focusHeading(root = main()) {
  const heading = root.querySelector('h1');
  if (heading) {
    heading.setAttribute('tabindex', '-1');
    heading.focus({ preventScroll: true });
  }
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dayOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });

/** An ISO instant in the viewer's time zone, inside a <time> element. */
export function timeOf(iso) {
  if (!iso) return h('span', {}, '—');
  return h('time', { datetime: iso }, dateTime.format(new Date(iso)));
}

/** An ISO instant's date only, in the viewer's zone (same style as every other date on the pages). */
export function dateOf(iso) {
  if (!iso) return h('span', {}, '—');
  return h('time', { datetime: iso, title: dateTime.format(new Date(iso)) },
    new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' }).format(new Date(iso)));
}

/** A UTC day ("2026-11-24") as a date, without shifting it into the viewer's zone. */
export function dayOf(day) {
  return h('time', { datetime: day }, dayOnly.format(new Date(`${day}T00:00:00Z`)));
}

export function plural(n, one, many) {
  return `${n} ${n === 1 || n === 1n ? one : many}`;
}
