// The one place that talks to /console/api. JSON in and out, the session cookie
// travels same-origin, and every mutation carries the CSRF token from the session.
// Failures are thrown as ApiError {status, code, message, requestId}.

const BASE = '/console/api';
let csrfToken = null;
let unauthorizedHandler = null;

export class ApiError extends Error {
  constructor(status, code, message, requestId) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.requestId = requestId;
  }
}

export function setCsrfToken(token) { csrfToken = token || null; }

// Called when a request answers 4001 (session gone), so the app can show sign-in.
export function onUnauthorized(fn) { unauthorizedHandler = fn; }

export async function request(method, path, body, { quietAuth = false } = {}) {
  const headers = { Accept: 'application/json' };
  const init = { method, headers, credentials: 'same-origin', cache: 'no-store' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) {
    headers['X-CSRF-Token'] = csrfToken;
  }

  let response;
  try {
    response = await fetch(BASE + path, init);
  } catch (e) {
    throw new ApiError(0, 0, String(e && e.message ? e.message : e), null);
  }

  const text = await response.text();
  let data = null;
  if (text) {
    try { data = JSON.parse(text); } catch { data = null; }
  }

  if (!response.ok) {
    const error = data && data.Error ? data.Error : {};
    // A body without an error code (a proxy's error page, say) still gets a code
    // the pages understand.
    const fallback = { 400: 4000, 401: 4001, 403: 4003, 404: 4004, 409: 4009 }[response.status] || response.status;
    const code = Number(error.Code) || fallback;
    const err = new ApiError(response.status, code, error.Message || response.statusText,
      data && data.RequestId ? data.RequestId : null);
    if (code === 4001 && !quietAuth && unauthorizedHandler) unauthorizedHandler(err);
    throw err;
  }
  return data;
}

export const get = (path, opts) => request('GET', path, undefined, opts);
export const post = (path, body) => request('POST', path, body === undefined ? {} : body);
export const patch = (path, body) => request('PATCH', path, body);
export const del = (path) => request('DELETE', path);

// Builds "?a=1&b=2" from an object, leaving out empty values.
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

// A list endpoint, every page of it (for select boxes: roles, applications).
export async function getAll(path, params) {
  const size = 100;
  const items = [];
  for (let page = 1; page <= 50; page++) {
    const data = await get(path + query({ ...params, page, size }));
    const batch = itemsOf(data);
    items.push(...batch);
    const total = data && typeof data.total === 'number' ? data.total : items.length;
    if (batch.length < size || items.length >= total) break;
  }
  return items;
}

// Lists answer {"items": [...]}; tolerate a bare array too.
export function itemsOf(data) {
  if (Array.isArray(data)) return data;
  return data && Array.isArray(data.items) ? data.items : [];
}

export const enc = encodeURIComponent;
