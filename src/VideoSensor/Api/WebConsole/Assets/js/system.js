// System panel: component health (get_status for admins, /health otherwise), storage and retention
// (admins), and the live event log fed by subscribe_events.

import { $, el, formatBytes, showError, showInfo } from './ui.js';

export const TOPICS = [
  'camera.connected', 'camera.disconnected', 'camera.status_change',
  'recording.start', 'recording.progress', 'recording.stop', 'recording.error',
  'snapshot.taken', 'snapshot.error',
  'system.health', 'system.startup', 'system.shutdown', 'storage.low_space',
];
const MAX_EVENTS = 200;

// Components by the names people know them by (the API's keys are snake_case identifiers).
const COMPONENT_NAMES = {
  ffmpeg: 'FFmpeg',
  mediamtx: 'MediaMTX',
  dapr: 'Dapr sidecar',
  storage: 'Storage',
  websocket_server: 'WebSocket server',
  camera_monitor: 'Camera monitor',
  feed_ownership: 'Feed ownership',
};
export const componentName = (key) => COMPONENT_NAMES[key] || key.replaceAll('_', ' ').replace(/^./, (c) => c.toUpperCase());

export class SystemPanel {
  #ctx;

  constructor(ctx) {
    this.#ctx = ctx;
    ctx.rpc.addEventListener('notification', (e) => this.#onNotification(e.detail));
    $('#retention-form').addEventListener('submit', (e) => { e.preventDefault(); this.#saveRetention(); });
    $('#retention-type').addEventListener('change', () => { $('#retention-form').dataset.policy = $('#retention-type').value; });
  }

  async load() {
    await Promise.all([this.#loadHealth(), this.#loadStorage()]);
  }

  async #loadHealth() {
    let report;
    try {
      if (this.#ctx.can('admin')) {
        report = await this.#ctx.rpc.call('get_status');
        $('#health-note').textContent = `version ${report.version} · up ${Math.round(report.uptime)} s`;
      } else {
        const response = await fetch('/health', { cache: 'no-store' });
        report = await response.json();
        $('#health-note').textContent = `version ${report.version} · up ${Math.round(report.uptime)} s (from /health)`;
      }
    } catch (error) {
      showError('Could not read the service health', error);
      return;
    }
    // get_status keeps the health objects in component_details (components holds the plain states older clients read).
    this.#renderHealth(report.status, report.component_details || report.components || {});
  }

  #renderHealth(status, components) {
    const badge = $('#health-status');
    badge.textContent = status;
    badge.dataset.status = status;
    $('#components').replaceChildren(...Object.entries(components).map(([name, c]) =>
      el('tr', { dataset: { component: name, status: c.status } },
        el('th', { scope: 'row' }, componentName(name)),
        el('td', {}, el('span', { class: 'badge', dataset: { status: c.status } }, c.status)),
        el('td', { class: 'detail' }, detail(c.detail || c.details || '')))));
  }

  async #loadStorage() {
    const panel = $('#storage-panel');
    panel.hidden = !this.#ctx.can('admin');
    if (panel.hidden) return;
    let info;
    try {
      info = await this.#ctx.rpc.call('get_storage_info');
    } catch (error) {
      showError('Could not read storage', error);
      return;
    }
    const percent = Math.min(100, Math.max(0, info.usage_percentage));
    const bar = $('#storage-used');
    bar.style.width = `${percent}%`;
    bar.dataset.level = info.low_space_warning ? 'low' : 'ok';
    $('#storage-text').textContent = `${formatBytes(info.used_space)} of ${formatBytes(info.total_space)} used (${percent.toFixed(1)} %), `
      + `${formatBytes(info.available_space)} free · recordings ${formatBytes(info.recordings_size)} · snapshots ${formatBytes(info.snapshots_size)}`
      + (info.low_space_warning ? ' · LOW SPACE' : '');
    const policy = info.retention_policy;
    if (policy) {
      $('#retention-type').value = policy.policy_type;
      $('#retention-form').dataset.policy = policy.policy_type;
      $('#retention-age').value = policy.max_age_days;
      $('#retention-size').value = policy.max_size_gb;
      $('#retention-enabled').checked = policy.enabled;
      $('#retention-text').textContent = describe(policy);
    }
  }

  async #saveRetention() {
    const type = $('#retention-type').value;
    // "Never" is the manual policy; automatic clean-up is off there whatever the box says.
    const params = { policy_type: type, enabled: type !== 'manual' && $('#retention-enabled').checked };
    const age = Number($('#retention-age').value);
    const size = Number($('#retention-size').value);
    if (age > 0) params.max_age_days = age;
    if (size > 0) params.max_size_gb = size;
    try {
      const result = await this.#ctx.rpc.call('set_retention_policy', params);
      $('#retention-text').textContent = result.message || describe(result);
      showInfo('Retention policy saved');
    } catch (error) {
      showError('Could not save the retention policy', error);
    }
  }

  #onNotification({ method, params }) {
    if (method === 'system_health_update' || method === 'system.health') {
      if (params.components) this.#renderHealth(params.status, params.components);
    }
    // Console previews refresh every few seconds; they would drown the log.
    if (method === 'snapshot.taken' && String(params.filename || '').startsWith('preview-')) return;
    if (method === 'recording.progress') return;
    if (!TOPICS.includes(method) && !method.endsWith('_update')) return;
    const log = $('#event-log');
    const time = params.timestamp ? new Date(params.timestamp) : new Date();
    const summary = Object.entries(params)
      .filter(([k, v]) => !['timestamp', 'device', 'streams'].includes(k) && v !== null && typeof v !== 'object')
      .map(([k, v]) => `${k}=${v}`).join(' ');
    log.prepend(el('li', { dataset: { topic: method } },
      el('time', {}, time.toLocaleTimeString()), ' ',
      el('strong', {}, method), ' ',
      params.device ? el('code', {}, params.device) : '', ' ', summary));
    while (log.children.length > MAX_EVENTS) log.lastElementChild.remove();
    $('#no-events').hidden = log.children.length > 0;
  }
}

/**
 * A component's detail: its first clause in plain view, the rest (config keys, paths, environment variable
 * names — what an administrator needs to fix it) folded under "How to fix".
 */
function detail(text) {
  const cut = text.search(/; | \(/);
  if (cut < 0 || text.length <= 80) return text;
  return el('span', {}, text.slice(0, cut),
    el('details', {}, el('summary', {}, 'How to fix'), el('span', { class: 'fix' }, text.slice(cut).replace(/^; /, ''))));
}

function describe(policy) {
  if (!policy.enabled || policy.policy_type === 'manual') return 'Nothing is deleted automatically.';
  return policy.policy_type === 'age'
    ? `Files older than ${policy.max_age_days} days are deleted.`
    : `The oldest files are deleted while storage use exceeds ${policy.max_size_gb} GB.`;
}
