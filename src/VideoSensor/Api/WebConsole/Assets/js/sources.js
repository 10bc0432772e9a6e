// Sources and settings (admins): RTSP feeds added, edited, tested and removed through /api/v1/sources, their
// credentials entered once (PUT .../credentials stores them as secrets and answers only references, so the
// page never gets a password back), and a few live settings through PATCH /api/v1/config, whose field
// errors are shown beside the form.

import { $, el, showError, showInfo } from './ui.js';
import { rest } from './rest.js';

// Settings an administrator changes here: [config path, label, hint].
const SETTINGS = [
  ['cameras.rtsp_probe_interval_seconds', 'RTSP probe interval (s)', 'how often each RTSP source is checked'],
  ['discovery.scan_interval_seconds', 'Discovery scan interval (s)', '0 turns network discovery off'],
  ['discovery.timeout_ms', 'Discovery timeout (ms)', 'per host and port, 50–30000'],
  ['limits.max_streams', 'Maximum live streams', 'ingests at once, 1–256; applies after a restart'],
];

export class SourcesPanel {
  #ctx;
  #editing = null;

  constructor(ctx) {
    this.#ctx = ctx;
    $('#source-form').addEventListener('submit', (e) => { e.preventDefault(); this.#save(); });
    $('#source-cancel').addEventListener('click', () => this.#edit(null));
    $('#settings-form').addEventListener('submit', (e) => { e.preventDefault(); this.#saveSettings(); });
    $('#settings-fields').replaceChildren(...SETTINGS.map(([path, label, hint]) => {
      const id = `setting-${path.replaceAll('.', '-').replaceAll('_', '-')}`;
      return el('div', { class: 'field' },
        el('label', { for: id }, label),
        el('input', { id, type: 'number', dataset: { path }, 'aria-describedby': `${id}-hint` }),
        el('span', { id: `${id}-hint`, class: 'hint' }, hint));
    }));
  }

  async load() {
    await Promise.all([this.#loadSources(), this.#loadSettings()]);
  }

  async #loadSources() {
    let list;
    try {
      list = await rest(this.#ctx, 'GET', '/api/v1/sources');
    } catch (error) {
      showError('Could not list the sources', error);
      return;
    }
    const rows = $('#source-rows');
    rows.replaceChildren(...list.sources.map((s) => this.#row(s)));
    $('#no-sources').hidden = list.sources.length > 0;
  }

  #row(source) {
    const managed = source.origin === 'api';
    const credentials = source.password ? 'password stored' : source.username ? 'user name stored' : 'no credentials';
    return el('li', { class: 'source', dataset: { id: source.id, status: source.status } },
      el('div', { class: 'source-head' },
        el('strong', {}, source.name), ' ', el('code', {}, source.id), ' ',
        el('span', { class: 'badge', dataset: { status: source.status } }, source.status)),
      el('div', { class: 'source-url' }, source.url),
      el('div', { class: 'hint' }, `${source.transport} · ${source.resolution} · ${source.fps} fps · ${credentials}${managed ? '' : ' · from the config file (read-only here)'}`),
      source.reason ? el('div', { class: 'source-reason' }, source.reason) : null,
      el('div', { class: 'row-actions' },
        el('button', { type: 'button', dataset: { action: 'test' }, onclick: (e) => this.#test(source, e.target) }, 'Test'),
        managed ? el('button', { type: 'button', dataset: { action: 'edit' }, onclick: () => this.#edit(source) }, 'Edit') : null,
        managed ? el('button', { type: 'button', class: 'danger', dataset: { action: 'remove' }, onclick: () => this.#remove(source) }, 'Remove') : null));
  }

  #edit(source) {
    this.#editing = source;
    const form = $('#source-form');
    form.reset();
    $('#source-form-title').textContent = source ? `Edit ${source.id}` : 'Add an RTSP source';
    $('#source-id').readOnly = Boolean(source);
    $('#source-cancel').hidden = !source;
    this.#formError('');
    if (source) {
      $('#source-id').value = source.id;
      $('#source-name').value = source.name;
      $('#source-url').value = source.url;
      $('#source-transport').value = source.transport;
      $('#source-resolution').value = source.resolution;
      $('#source-fps').value = source.fps;
    }
    // Stored credentials are never shown: the fields say so and stay empty.
    $('#source-username').placeholder = source?.username ? 'stored — leave empty to keep' : '';
    $('#source-password').placeholder = source?.password ? 'stored — leave empty to keep' : '';
    if (source) $('#source-name').focus();
  }

  async #save() {
    const value = (id) => $(id).value.trim();
    const id = value('#source-id');
    const body = { id, name: value('#source-name'), url: value('#source-url'), transport: $('#source-transport').value };
    if (value('#source-resolution')) body.resolution = value('#source-resolution');
    if (value('#source-fps')) body.fps = Number(value('#source-fps'));
    const username = $('#source-username').value;
    const password = $('#source-password').value;
    const button = $('#source-form button[type=submit]');
    button.disabled = true;
    try {
      let refs = { username: this.#editing?.username || null, password: this.#editing?.password || null };
      if (username || password) {
        // Stored first, so the source's first probe already signs in; only references come back.
        const stored = await rest(this.#ctx, 'PUT', `/api/v1/sources/${encodeURIComponent(id)}/credentials`,
          { username: username || null, password: password || null });
        refs = { username: stored.username || refs.username, password: stored.password || refs.password };
      }
      if (refs.username) body.username = refs.username;
      if (refs.password) body.password = refs.password;
      const saved = this.#editing
        ? await rest(this.#ctx, 'PUT', `/api/v1/sources/${encodeURIComponent(id)}`, body)
        : await rest(this.#ctx, 'POST', '/api/v1/sources', body);
      showInfo(`${saved.id} saved: ${saved.status}${saved.reason ? ` (${saved.reason})` : ''}`);
      this.#edit(null);
      await this.#loadSources();
    } catch (error) {
      this.#formError(error.field ? `${error.field}: ${error.message}` : error.message, error.field);
    } finally {
      $('#source-username').value = '';
      $('#source-password').value = '';
      button.disabled = false;
    }
  }

  #formError(text, field) {
    const box = $('#source-error');
    box.textContent = text;
    box.hidden = !text;
    for (const input of $('#source-form').querySelectorAll('input, select')) input.removeAttribute('aria-invalid');
    const input = field && $(`#source-${field.split('.')[0]}`);
    if (input) { input.setAttribute('aria-invalid', 'true'); input.focus(); }
  }

  async #test(source, button) {
    button.disabled = true;
    try {
      const probed = await rest(this.#ctx, 'POST', `/api/v1/sources/${encodeURIComponent(source.id)}/probe`);
      showInfo(`${probed.id}: ${probed.status}${probed.reason ? ` — ${probed.reason}` : ''}`);
      await this.#loadSources();
    } catch (error) {
      showError(`Could not test ${source.id}`, error);
    } finally {
      button.disabled = false;
    }
  }

  async #remove(source) {
    if (!window.confirm(`Remove ${source.id}? Its camera disappears and its stored credentials are deleted.`)) return;
    try {
      await rest(this.#ctx, 'DELETE', `/api/v1/sources/${encodeURIComponent(source.id)}`);
      showInfo(`Removed ${source.id}`);
      await this.#loadSources();
    } catch (error) {
      showError(`Could not remove ${source.id}`, error);
    }
  }

  async #loadSettings() {
    let config;
    try {
      config = await rest(this.#ctx, 'GET', '/api/v1/config');
    } catch (error) {
      showError('Could not read the settings', error);
      return;
    }
    for (const input of $('#settings-fields').querySelectorAll('input')) {
      const current = input.dataset.path.split('.').reduce((node, key) => node?.[key], config);
      input.value = current ?? '';
      input.dataset.loaded = input.value;
    }
  }

  async #saveSettings() {
    const patch = {};
    for (const input of $('#settings-fields').querySelectorAll('input')) {
      input.removeAttribute('aria-invalid');
      if (input.value === input.dataset.loaded) continue;
      const keys = input.dataset.path.split('.');
      let node = patch;
      for (const key of keys.slice(0, -1)) node = (node[key] ??= {});
      node[keys.at(-1)] = input.value === '' ? input.value : Number(input.value);
    }
    const message = $('#settings-message');
    if (Object.keys(patch).length === 0) { message.textContent = 'Nothing changed.'; return; }
    try {
      const result = await rest(this.#ctx, 'PATCH', '/api/v1/config', patch);
      message.dataset.kind = 'ok';
      message.textContent = `Saved. ${result.applied.length ? `In effect now: ${result.applied.join(', ')}.` : ''} ${result.restart_required.length ? `After a restart: ${result.restart_required.join(', ')}.` : ''}`.trim();
      await this.#loadSettings();
    } catch (error) {
      message.dataset.kind = 'error';
      message.textContent = error.message;
      const path = (error.field || '').replaceAll(':', '.');
      const input = [...$('#settings-fields').querySelectorAll('input')].find((i) => path && (path === i.dataset.path || error.message.includes(i.dataset.path)));
      if (input) { input.setAttribute('aria-invalid', 'true'); input.focus(); }
    }
  }
}
