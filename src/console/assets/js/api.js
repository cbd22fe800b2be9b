/* global fetch, localStorage, window, Blob, CustomEvent, setTimeout, URLSearchParams */
/**
 * Talking to the hub: JSON in and out, problem documents as `ApiError`s. Signed in, the browser
 * carries the session cookie (HttpOnly, SameSite, set by `POST /v1/session`); the page never keeps the
 * key. Every request says `X-Requested-With`, which the hub requires of changes made with the session
 * cookie (a cross-site form cannot send it).
 *
 * The cookie is HttpOnly, so the page cannot see it; it remembers only that it signed in (a flag, no
 * secret), to ask the hub who it is on load instead of showing the sign-in form.
 */
const SIGNED_IN = 'suyuan.console.signedIn';

function flag(on) {
  try {
    if (on) localStorage.setItem(SIGNED_IN, '1');
    else localStorage.removeItem(SIGNED_IN);
  } catch { /* not remembered */ }
}
const flagged = () => {
  try { return localStorage.getItem(SIGNED_IN) === '1'; } catch { return true; }
};

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail ?? problem?.title ?? `HTTP ${status}`);
    this.status = status;
    this.code = problem?.code ?? `HTTP_${status}`;
    this.problem = problem ?? {};
  }
}

function headers(extra = {}) {
  return { 'x-requested-with': 'suyuan-console', ...extra };
}

/**
 * A request to the hub. `body` is sent as JSON unless it is bytes or a Blob (sent as they are).
 * Resolves to the parsed JSON (or text); rejects with `ApiError`. A 401 tells the page to sign in.
 */
export async function api(path, { method = 'GET', body, raw = false, type, signal, extraHeaders = {} } = {}) {
  const init = { method, credentials: 'same-origin', headers: headers(extraHeaders), signal };
  if (body !== undefined) {
    if (body instanceof Blob || body instanceof ArrayBuffer || ArrayBuffer.isView(body)) {
      init.body = body;
      init.headers['content-type'] = type ?? 'application/octet-stream';
    } else {
      init.body = JSON.stringify(body);
      init.headers['content-type'] = 'application/json';
    }
  }
  const res = await fetch(path, init);
  const contentType = res.headers.get('content-type') ?? '';
  if (!res.ok) {
    const problem = contentType.includes('json') ? await res.json().catch(() => undefined) : undefined;
    const error = new ApiError(res.status, problem);
    if (res.status === 401 && !path.startsWith('/v1/session')) window.dispatchEvent(new CustomEvent('suyuan:unauthenticated'));
    throw error;
  }
  if (raw) return res;
  if (res.status === 204) return null;
  return contentType.includes('json') ? res.json() : res.text();
}

/** Whether an error says the hub has no such route (an API not in this hub), rather than no such thing. */
export const missingRoute = (error) => error instanceof ApiError && error.status === 404 && error.code === 'NOT_FOUND' && /no route/.test(error.message);

/** Who is signed in: `{ keyId, name, roles, scopes }`, or `null`. */
export async function currentSession() {
  if (!flagged()) return null;
  try {
    return await api('/v1/session');
  } catch {
    flag(false);
    return null;
  }
}

/** Signs in with an API key: the hub sets the session cookie and answers who the key stands for. */
export async function signIn(key) {
  const principal = await api('/v1/session', { method: 'POST', body: { key } });
  flag(true);
  return principal;
}

export async function signOut() {
  try { await api('/v1/session', { method: 'DELETE' }); } catch { /* already gone */ }
  flag(false);
}

/** Downloads a response body (e.g. a message's original bytes) under `name`. */
export async function download(path, name) {
  const res = await api(path, { raw: true });
  const url = URL.createObjectURL(await res.blob());
  const a = window.document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Query text from an object, skipping empty values. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const text = q.toString();
  return text ? `?${text}` : '';
}
