// The player's token and calls to the public JSON API with it.
// A page opened with #token=<JWT> keeps that token for this browser tab (sessionStorage) and takes it
// out of the address bar, so it is not bookmarked, shared or left in the history.

const TOKEN_KEY = 'imagina.credits.token';
let memoryToken = null; // where storage is blocked (some embedded frames), the token lives in memory

function storage() {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}

function save(token) {
  memoryToken = token;
  try {
    storage()?.setItem(TOKEN_KEY, token);
  } catch {
    /* storage full or blocked: memory only */
  }
}

function read() {
  try {
    return storage()?.getItem(TOKEN_KEY) ?? memoryToken;
  } catch {
    return memoryToken;
  }
}

/** Moves a #token=... from the URL into the tab's storage, then answers the current token (or null). */
export function currentToken() {
  const params = new URLSearchParams(location.hash.slice(1));
  const fromUrl = params.get('token');
  if (fromUrl) {
    save(fromUrl);
    params.delete('token');
    const rest = params.toString();
    history.replaceState(history.state, '', location.pathname + location.search + (rest ? `#${rest}` : ''));
  }
  const token = read();
  if (!token) return null;
  const { exp } = claims(token);
  if (typeof exp === 'number' && exp * 1000 <= Date.now()) {
    signOut();
    return null;
  }
  return token;
}

/** The token's claims, decoded for display only: the server checks the signature on every call. */
export function claims(token) {
  try {
    const part = token.split('.')[1];
    const base64 = part.replaceAll('-', '+').replaceAll('_', '/').padEnd(Math.ceil(part.length / 4) * 4, '=');
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return {};
  }
}

export function signOut() {
  memoryToken = null;
  try {
    storage()?.removeItem(TOKEN_KEY);
  } catch {
    /* nothing stored */
  }
}

/** An API failure, carrying the problem+json body's code and detail. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `The request failed (HTTP ${status}).`);
    this.name = 'ApiError';
    this.status = status;
    this.code = problem?.code ?? null;
    this.problem = problem ?? {};
  }
}

/**
 * fetch() against the API with the bearer token. JSON in and out by default; pass
 * accept (e.g. 'text/csv') to get the raw Response back. A 401 means the token is gone or expired:
 * it is dropped and the page is told (event "credits:signed-out") so it can ask to sign in again.
 */
export async function api(path, { method = 'GET', body, accept = 'application/json', token = currentToken() } = {}) {
  const headers = { Accept: accept === 'application/json' ? accept : `${accept}, application/problem+json` };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
      credentials: 'omit',
    });
  } catch {
    throw new ApiError(0, { detail: 'The credits service cannot be reached. Check your connection and try again.' });
  }
  if (!response.ok) {
    let problem = null;
    try {
      problem = await response.json();
    } catch {
      /* not JSON */
    }
    if (response.status === 401) {
      signOut();
      window.dispatchEvent(new CustomEvent('credits:signed-out'));
    }
    throw new ApiError(response.status, problem);
  }
  if (accept !== 'application/json') return response;
  return response.status === 204 ? null : response.json();
}
