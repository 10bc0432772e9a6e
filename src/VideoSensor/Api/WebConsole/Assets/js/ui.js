// Small DOM and formatting helpers shared by the views.

/** Creates an element: el('button', {class: 'x', onclick: f}, 'text', child...). */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') node.addEventListener(key.slice(2), value);
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else if (value === true) node.setAttribute(key, '');
    else node.setAttribute(key, String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export const $ = (selector, root = document) => root.querySelector(selector);

export function formatBytes(bytes) {
  if (bytes === undefined || bytes === null || Number.isNaN(bytes)) return '–';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = Number(bytes);
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit++; }
  return `${value.toFixed(unit === 0 || value >= 100 ? 0 : 1)} ${units[unit]}`;
}

/** 75.2 -> "1:15"; 3725 -> "1:02:05". */
export function formatDuration(seconds) {
  if (seconds === undefined || seconds === null || Number.isNaN(seconds)) return '–';
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}

export function formatTime(iso) {
  if (!iso) return '–';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

/**
 * Shows an error the way a person wants it: what failed, why, and what to do
 * (error.data.suggestion from the service).
 */
export function showError(what, error) {
  const details = error?.details && error.details !== error.message ? error.details : '';
  const toast = el('div', { class: 'toast error', role: 'alert' },
    el('strong', {}, what),
    el('div', { class: 'toast-message' }, error?.message || String(error)),
    details ? el('div', { class: 'toast-details' }, details) : null,
    error?.suggestion ? el('div', { class: 'toast-suggestion' }, `What to do: ${error.suggestion}`) : null);
  addToast(toast, 12000);
}

export function showInfo(text) {
  addToast(el('div', { class: 'toast info', role: 'status' }, text), 4000);
}

function addToast(toast, ms) {
  const close = el('button', { type: 'button', class: 'toast-close', 'aria-label': 'Dismiss', onclick: () => toast.remove() }, '×');
  toast.prepend(close);
  document.getElementById('toasts').append(toast);
  setTimeout(() => toast.remove(), ms);
}

/** Fetches a protected file with the token in a header and returns an object URL (caller revokes). */
export async function fetchObjectUrl(path, token, signal) {
  const response = await fetch(path, { headers: { Authorization: `Bearer ${token}` }, signal, cache: 'no-store' });
  if (!response.ok) {
    const error = new Error(`${path} answered ${response.status}`);
    // The service's problem details say why (camera not connected, ffmpeg failed...).
    error.details = await response.json().then((problem) => problem.detail, () => undefined);
    throw error;
  }
  return URL.createObjectURL(await response.blob());
}

/** A URL a media element or link can follow on its own: the token travels as ?token=. */
export function withToken(path, token) {
  return `${path}${path.includes('?') ? '&' : '?'}token=${encodeURIComponent(token)}`;
}
