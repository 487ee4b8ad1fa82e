// Money on the dashboard: the API sends whole millicredits (1 credit = 1,000 millicredits).
// Everything here is integer arithmetic on BigInt, so no amount is ever rounded by a binary float.

const THOUSANDS = /\B(?=(\d{3})+(?!\d))/g;
export const MILLICREDITS_PER_CREDIT = 1000n;
/** The largest cap the API accepts (10^12 millicredits). */
export const MAX_LIMIT_MILLICREDITS = 1_000_000_000_000n;

/** A whole number from the API (a safe integer), a digit string or a BigInt, as a BigInt. */
export function toMillicredits(value) {
  return wholeNumber(value);
}

function wholeNumber(value) {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return BigInt(value);
  throw new TypeError(`Not a whole number: ${value}`);
}

/**
 * 1234500 → "1,234.500"; -5 → "-0.005". Options: sign (a "+" on positive amounts),
 * grouping (thousands separators, on by default; off for values put back into an input).
 */
export function formatCredits(millicredits, { sign = false, grouping = true } = {}) {
  const m = toMillicredits(millicredits);
  const negative = m < 0n;
  const abs = negative ? -m : m;
  let whole = (abs / MILLICREDITS_PER_CREDIT).toString();
  if (grouping) whole = whole.replace(THOUSANDS, ',');
  const fraction = (abs % MILLICREDITS_PER_CREDIT).toString().padStart(3, '0');
  const prefix = negative ? '-' : sign && abs > 0n ? '+' : '';
  return `${prefix}${whole}.${fraction}`;
}

/**
 * Credits without the trailing zeros where they read better than a ledger's three decimals:
 * 250000 → "250", 39600 → "39.6", 5 → "0.005". (The balance keeps formatCredits: the contract's form.)
 */
export function formatCreditsShort(millicredits, options = {}) {
  return formatCredits(millicredits, options).replace(/\.(\d*?)0+$/, (_, kept) => (kept ? `.${kept}` : ''));
}

/**
 * What a person typed as credits ("12.5", "1,000", "0.005") → exact millicredits as a BigInt.
 * Throws an Error whose message can be shown next to the field. A comma is only accepted as a
 * thousands separator in its proper places, so "1,5" is refused rather than read as 15.
 */
export function parseCredits(text) {
  const raw = String(text ?? '').trim();
  if (raw === '') throw new Error('Enter an amount in credits.');
  let digits = raw;
  if (raw.includes(',')) {
    if (!/^\d{1,3}(,\d{3})+(\.\d*)?$/.test(raw)) {
      throw new Error('Use a dot for decimals and commas only between thousands, e.g. 1,250.5');
    }
    digits = raw.replaceAll(',', '');
  }
  const match = /^(\d+)(?:\.(\d*))?$/.exec(digits);
  if (!match) throw new Error('Enter a positive number of credits, e.g. 50 or 12.5');
  const fraction = match[2] ?? '';
  if (fraction.length > 3) {
    throw new Error('Credits have at most three decimals (1 credit = 1,000 millicredits).');
  }
  const millicredits = BigInt(match[1]) * MILLICREDITS_PER_CREDIT + BigInt(fraction.padEnd(3, '0') || '0');
  if (millicredits > MAX_LIMIT_MILLICREDITS) {
    throw new Error(`That is more than the largest cap, ${formatCredits(MAX_LIMIT_MILLICREDITS)} credits.`);
  }
  return millicredits;
}

/** A BigInt the API accepts as a JSON integer (exact: every value here is far below 2^53). */
export function toJsonNumber(millicredits) {
  const m = toMillicredits(millicredits);
  if (m > BigInt(Number.MAX_SAFE_INTEGER) || m < -BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new RangeError('Amount too large to send exactly.');
  }
  return Number(m);
}

/**
 * A price in the currency's smallest unit (Stripe's convention: cents for USD, yen for JPY) as
 * local currency text. The decimal point is placed in the digit string and Intl is given that
 * string, which it formats exactly.
 */
export function formatPrice(minorUnits, currency) {
  const code = String(currency || 'usd').toUpperCase();
  const format = new Intl.NumberFormat(undefined, { style: 'currency', currency: code });
  const decimals = format.resolvedOptions().maximumFractionDigits;
  const m = wholeNumber(minorUnits);
  const negative = m < 0n;
  const digits = (negative ? -m : m).toString().padStart(decimals + 1, '0');
  const text = decimals === 0 ? digits : `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
  return format.format(`${negative ? '-' : ''}${text}`);
}

/** Sum of millicredit amounts, exactly. */
export function sum(values) {
  return values.reduce((total, v) => total + toMillicredits(v), 0n);
}
