// Remembers, for this tab, the balance before a checkout, so /buy/success can tell when the credits
// have arrived (the payment is confirmed by a webhook, possibly a moment after the redirect).
const KEY = 'imagina.credits.balanceBeforePurchase';

export function rememberBalanceBefore(balanceMillicredits) {
  try {
    sessionStorage.setItem(KEY, String(balanceMillicredits));
  } catch {
    /* without storage, the success page falls back to the purchase history */
  }
}

export function balanceBefore() {
  try {
    const value = sessionStorage.getItem(KEY);
    return value != null && /^-?\d+$/.test(value) ? BigInt(value) : null;
  } catch {
    return null;
  }
}

export function forgetBalanceBefore() {
  try {
    sessionStorage.removeItem(KEY);
  } catch {
    /* nothing stored */
  }
}
