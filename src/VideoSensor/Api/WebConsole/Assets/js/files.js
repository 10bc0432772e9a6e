// Recordings and snapshots browser: paginated, filtered by camera; play, view, download, delete.

import { $, el, formatBytes, formatDuration, formatTime, showError, showInfo, withToken } from './ui.js';
import { openImage, openVideo } from './viewer.js';

const PAGE = 20;

export class FileBrowser {
  #ctx;
  #kind = 'recordings';
  #offset = 0;
  #total = 0;

  constructor(ctx) {
    this.#ctx = ctx;
    const tabs = [...document.querySelectorAll('.tabs [role=tab]')];
    for (const tab of tabs) {
      tab.addEventListener('click', () => this.#select(tab));
      // The WAI-ARIA tabs pattern: arrows move between tabs, Home/End to the ends.
      tab.addEventListener('keydown', (e) => {
        const at = tabs.indexOf(tab);
        const to = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: tabs.length - 1 }[e.key];
        if (to === undefined) return;
        e.preventDefault();
        const next = tabs[(to + tabs.length) % tabs.length];
        next.focus();
        this.#select(next);
      });
    }
    $('#file-camera').addEventListener('change', () => { this.#offset = 0; this.load(); });
    $('#file-refresh').addEventListener('click', () => this.load());
    $('#page-prev').addEventListener('click', () => { this.#offset = Math.max(0, this.#offset - PAGE); this.load(); });
    $('#page-next').addEventListener('click', () => { this.#offset += PAGE; this.load(); });
  }

  #select(tab) {
    if (this.#kind === tab.dataset.kind) return;
    this.#kind = tab.dataset.kind;
    this.#offset = 0;
    this.load();
  }

  /** Keeps the camera filter in step with the grid. */
  setCameras(cameras) {
    const select = $('#file-camera');
    const current = select.value;
    select.replaceChildren(el('option', { value: '' }, 'all cameras'),
      ...cameras.map((c) => el('option', { value: c.device }, c.name ? `${c.name} (${c.device})` : c.device)));
    select.value = cameras.some((c) => c.device === current) ? current : '';
  }

  async load() {
    for (const tab of document.querySelectorAll('.tabs [role=tab]')) {
      const selected = tab.dataset.kind === this.#kind;
      tab.setAttribute('aria-selected', String(selected));
      tab.tabIndex = selected ? 0 : -1;
      if (selected) $('#files-panel').setAttribute('aria-labelledby', tab.id);
    }
    const params = { limit: PAGE, offset: this.#offset };
    const device = $('#file-camera').value;
    if (device) params.device = device;
    const rows = $('#file-rows');
    let page;
    try {
      page = await this.#ctx.rpc.call(this.#kind === 'recordings' ? 'list_recordings' : 'list_snapshots', params);
    } catch (error) {
      showError(`Could not list ${this.#kind}`, error);
      return;
    }
    this.#total = page.total;
    if (page.files.length === 0 && this.#offset > 0 && page.total > 0) {
      this.#offset = Math.max(0, Math.floor((page.total - 1) / PAGE) * PAGE);
      await this.load();
      return;
    }
    document.querySelector('.files').dataset.kind = this.#kind;
    rows.replaceChildren(...page.files.map((f) => this.#row(f)));
    if (page.files.length === 0) rows.append(el('tr', {}, el('td', { colspan: 6, class: 'empty' }, `No ${this.#kind} yet.`)));
    const first = page.total === 0 ? 0 : this.#offset + 1;
    $('#page-info').textContent = `${first}–${this.#offset + page.files.length} of ${page.total}`;
    $('#page-prev').disabled = this.#offset === 0;
    $('#page-next').disabled = this.#offset + page.files.length >= page.total;
  }

  #row(file) {
    const recording = this.#kind === 'recordings';
    const url = file.download_url || `/files/${this.#kind}/${encodeURIComponent(file.filename)}`;
    const token = this.#ctx.token();
    const open = recording
      ? el('button', { type: 'button', dataset: { action: 'play' }, onclick: () => openVideo(file.filename, url, token, `${file.device} · ${formatDuration(file.duration)} · ${formatBytes(file.file_size)}`) }, 'Play')
      : el('button', { type: 'button', dataset: { action: 'view' }, onclick: () => openImage(file.filename, url, token, `${file.device} · ${formatBytes(file.file_size)}`) }, 'View');
    const download = el('a', { class: 'button', href: withToken(url, token), download: file.filename, rel: 'noreferrer' }, 'Download');
    const remove = this.#ctx.can('control')
      ? el('button', { type: 'button', class: 'danger', dataset: { action: 'delete', control: '' }, onclick: () => this.#delete(file) }, 'Delete')
      : null;
    return el('tr', { dataset: { filename: file.filename, kind: this.#kind } },
      el('td', {}, file.device),
      el('td', { class: 'filename' }, file.filename),
      el('td', {}, formatBytes(file.file_size)),
      el('td', { class: 'col-duration' }, recording ? formatDuration(file.duration) : ''),
      el('td', {}, formatTime(file.modified_time)),
      el('td', { class: 'row-actions' }, open, download, remove));
  }

  async #delete(file) {
    if (!window.confirm(`Delete ${file.filename}? This cannot be undone.`)) return;
    try {
      await this.#ctx.rpc.call(this.#kind === 'recordings' ? 'delete_recording' : 'delete_snapshot', { filename: file.filename });
      showInfo(`Deleted ${file.filename}`);
      await this.load();
    } catch (error) {
      showError(`Could not delete ${file.filename}`, error);
    }
  }
}
