// Recordings and snapshots browser: paginated, filtered by camera; play, view, download, delete.

import { $, el, formatBytes, formatDuration, formatTime, showError, showInfo, withToken } from './ui.js';
import { openImage, openVideo, openRecording } from './viewer.js';
import { groupRecordings, localDay, localDateTime } from './recordings.js';
import { RestError } from './rest.js';

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
    $('#file-day').addEventListener('change', () => { this.#offset = 0; this.load(); });
    $('#export-form').addEventListener('submit', (e) => { e.preventDefault(); this.#export(); });
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
    document.querySelector('.files').dataset.kind = this.#kind;
    $('#export-form').hidden = this.#kind !== 'recordings';
    $('#file-day-label').hidden = this.#kind !== 'recordings';
    if (this.#kind === 'recordings') { await this.#loadRecordings(); return; }
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

  /** Recordings: every segment of the camera (up to 1000) grouped into recordings, filtered by day, paged here. */
  async #loadRecordings() {
    const params = { limit: 1000, offset: 0 };
    const device = $('#file-camera').value;
    if (device) params.device = device;
    let page;
    try {
      page = await this.#ctx.rpc.call('list_recordings', params);
    } catch (error) {
      showError('Could not list recordings', error);
      return;
    }
    const day = $('#file-day').value;
    const all = groupRecordings(page.files).filter((r) => !day || localDay(r.start) === day);
    this.#total = all.length;
    if (this.#offset >= all.length) this.#offset = Math.max(0, Math.floor((all.length - 1) / PAGE) * PAGE);
    const shown = all.slice(this.#offset, this.#offset + PAGE);
    const rows = $('#file-rows');
    rows.replaceChildren(...shown.map((r) => this.#recordingRow(r)));
    if (shown.length === 0) rows.append(el('tr', {}, el('td', { colspan: 6, class: 'empty' }, day ? `No recordings on ${day}.` : 'No recordings yet.')));
    const first = all.length === 0 ? 0 : this.#offset + 1;
    $('#page-info').textContent = `${first}–${this.#offset + shown.length} of ${all.length}`;
    $('#page-prev').disabled = this.#offset === 0;
    $('#page-next').disabled = this.#offset + shown.length >= all.length;
    // The export form starts at the newest recording shown.
    if (shown[0] && !$('#export-start').value) {
      $('#export-start').value = localDateTime(shown[0].start);
      $('#export-length').value = String(Math.max(1, Math.floor(shown[0].duration)));
    }
  }

  #recordingRow(recording) {
    const token = this.#ctx.token();
    const url = (f) => f.download_url || `/files/recordings/${encodeURIComponent(f.filename)}`;
    const first = recording.segments[0].file;
    const title = `${recording.device} · ${recording.start.toLocaleString()}`;
    const meta = `${formatDuration(recording.duration)} · ${recording.segments.length} segment${recording.segments.length === 1 ? '' : 's'} · ${formatBytes(recording.size)}`;
    // The first frame of the first segment is the thumbnail (the browser fetches only what it needs, by Range).
    const thumb = el('video', { class: 'thumb', muted: true, preload: 'metadata', playsinline: true, src: `${withToken(url(first), token)}#t=0.5`, 'aria-hidden': 'true', tabindex: '-1' });
    thumb.muted = true;
    const play = el('button', { type: 'button', dataset: { action: 'play' }, 'aria-label': `Play ${title}`,
      onclick: () => openRecording(title, recording.segments.map((s) => ({ url: url(s.file), name: s.file.filename, duration: s.duration })), token, meta) }, 'Play');
    // One segment downloads as it is; a longer recording as one MP4 through the export.
    const download = recording.segments.length === 1
      ? el('a', { class: 'button', href: withToken(url(first), token), download: first.filename, rel: 'noreferrer' }, 'Download')
      : el('button', { type: 'button', dataset: { action: 'download' }, onclick: () => this.#exportRange(recording.device, recording.start, recording.duration) }, 'Download');
    const remove = this.#ctx.can('control')
      ? el('button', { type: 'button', class: 'danger', dataset: { action: 'delete', control: '' }, onclick: () => this.#deleteRecording(recording) }, 'Delete')
      : null;
    return el('tr', { dataset: { filename: recording.filename, kind: 'recordings', segments: String(recording.segments.length) } },
      el('td', { class: 'thumb-cell' }, thumb, el('span', { class: 'thumb-device' }, recording.device)),
      el('td', {}, el('div', {}, recording.start.toLocaleString()), el('div', { class: 'filename' }, recording.filename)),
      el('td', {}, formatBytes(recording.size)),
      el('td', { class: 'col-duration' }, `${formatDuration(recording.duration)}${recording.segments.length > 1 ? ` (${recording.segments.length} segments)` : ''}`),
      el('td', {}, formatTime(first.modified_time)),
      el('td', { class: 'row-actions' }, play, download, remove));
  }

  async #deleteRecording(recording) {
    if (!window.confirm(`Delete the recording of ${recording.device} from ${recording.start.toLocaleString()} (${recording.segments.length} files)? This cannot be undone.`)) return;
    try {
      for (const s of recording.segments) await this.#ctx.rpc.call('delete_recording', { filename: s.file.filename });
      showInfo(`Deleted ${recording.filename}`);
      await this.load();
    } catch (error) {
      showError(`Could not delete ${recording.filename}`, error);
    }
  }

  #export() {
    const device = $('#file-camera').value;
    const start = new Date($('#export-start').value);
    const seconds = Number($('#export-length').value);
    const status = $('#export-status');
    if (!device) { status.textContent = 'Choose a camera first.'; return; }
    if (Number.isNaN(start.getTime()) || !(seconds > 0)) { status.textContent = 'Give a start time and a length in seconds.'; return; }
    this.#exportRange(device, start, seconds);
  }

  /** Fetches the range as one MP4 (token in a header) and hands it to the browser as a download. */
  async #exportRange(device, start, seconds) {
    const status = $('#export-status');
    const end = new Date(start.getTime() + seconds * 1000);
    const query = new URLSearchParams({ device, start: start.toISOString(), end: end.toISOString() });
    status.textContent = `Exporting ${formatDuration(seconds)} of ${device}…`;
    try {
      const response = await fetch(`/api/v1/recordings/export?${query}`, { headers: { Authorization: `Bearer ${this.#ctx.token()}` }, cache: 'no-store' });
      if (!response.ok) throw new RestError(response.status, await response.json().catch(() => null));
      const name = /filename=([^;]+)/.exec(response.headers.get('Content-Disposition') || '')?.[1]?.replaceAll('"', '') || `${device}.mp4`;
      const href = URL.createObjectURL(await response.blob());
      const link = el('a', { href, download: name, hidden: true });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(href), 60000);
      status.textContent = `Exported ${name}`;
    } catch (error) {
      status.textContent = `Export failed: ${error.message}`;
      showError('Could not export the clip', error);
    }
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
