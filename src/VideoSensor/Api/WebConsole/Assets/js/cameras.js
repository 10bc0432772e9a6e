// The camera grid: one tile per camera, kept current by notifications, with the actions the
// signed-in role allows (viewers get none of the control buttons).

import { $, el, formatBytes, formatDuration, showError, showInfo } from './ui.js';
import { LiveView } from './live.js';
import { openImage } from './viewer.js';
import { renderControls } from './controls.js';

export class CameraGrid {
  #ctx;
  #grid = $('#grid');
  #tiles = new Map();
  #clock = null;
  #listener = (e) => this.#onNotification(e.detail);

  constructor(ctx) {
    this.#ctx = ctx;
    ctx.rpc.addEventListener('notification', this.#listener);
  }

  /** Camera ids and names, for the file browser's filter. */
  get cameras() { return [...this.#tiles.values()].map((t) => t.camera); }

  async load() {
    const list = await this.#ctx.rpc.call('get_camera_list');
    const seen = new Set();
    for (const camera of list.cameras) {
      seen.add(camera.device);
      this.upsert(camera);
    }
    for (const device of [...this.#tiles.keys()]) if (!seen.has(device)) this.#remove(device);
    this.#refreshEmpty();
    clearInterval(this.#clock);
    this.#clock = setInterval(() => this.#tickTimers(), 1000);
  }

  /** Shows one camera alone and large (null: all of them). */
  focus(device) {
    const known = device && this.#tiles.has(device);
    if (known) this.#grid.dataset.focus = device; else delete this.#grid.dataset.focus;
    for (const tile of this.#tiles.values()) tile.node.classList.toggle('focused', known && tile.camera.device === device);
    $('#grid-back').hidden = !known;
    if (known) window.scrollTo({ top: 0 });
  }

  /** Stops every live view and forgets the tiles; the grid no longer listens. */
  clear() {
    this.#ctx.rpc.removeEventListener('notification', this.#listener);
    clearInterval(this.#clock);
    for (const device of [...this.#tiles.keys()]) this.#remove(device);
  }

  upsert(update) {
    let tile = this.#tiles.get(update.device);
    if (!tile) {
      tile = this.#createTile(update);
      this.#tiles.set(update.device, tile);
      this.#insertSorted(tile.node);
      this.#refreshEmpty();
      this.#ctx.onCamerasChanged?.();
    }
    const before = tile.camera.status;
    tile.camera = { ...tile.camera, ...update };
    this.#render(tile);
    if (!tile.started || before !== tile.camera.status) {
      tile.started = true;
      tile.live.start(tile.camera);
    }
  }

  #remove(device) {
    const tile = this.#tiles.get(device);
    if (!tile) return;
    tile.live.stop();
    tile.node.remove();
    this.#tiles.delete(device);
  }

  #refreshEmpty() { $('#no-cameras').hidden = this.#tiles.size > 0; }

  #insertSorted(node) {
    const after = [...this.#grid.children].find((n) => n.dataset.device.localeCompare(node.dataset.device) > 0);
    this.#grid.insertBefore(node, after || null);
  }

  #createTile(camera) {
    const control = this.#ctx.can('control');
    const node = el('article', { class: 'tile', dataset: { device: camera.device } },
      el('header', {},
        el('span', { class: 'dot' }),
        el('h3', { class: 'name' }),
        el('code', { class: 'device' }, camera.device),
        el('a', { class: 'button open-camera', href: `#camera/${encodeURIComponent(camera.device)}`, 'aria-label': `Open ${camera.device} alone` }, 'Open')),
      el('div', { class: 'live', dataset: { mode: 'none' } },
        el('video', { muted: true, playsinline: true, autoplay: true }),
        el('img', { alt: `picture of ${camera.device}` }),
        el('span', { class: 'live-label' }),
        el('span', { class: 'live-reason', hidden: true })),
      el('dl', { class: 'meta' },
        el('dt', {}, 'Status'), el('dd', { class: 'status' }),
        el('dt', {}, 'Resolution'), el('dd', { class: 'resolution' }),
        el('dt', {}, 'FPS'), el('dd', { class: 'fps' })),
      el('div', { class: 'recording', hidden: true },
        el('span', { class: 'rec-dot' }), 'REC ',
        el('span', { class: 'rec-time' }, '0:00'), ' · ',
        el('span', { class: 'rec-size' }, '0 B')),
      el('div', { class: 'actions' },
        control ? el('button', { type: 'button', class: 'control', dataset: { action: 'snapshot', control: '' } }, 'Snapshot') : null,
        control ? el('button', { type: 'button', class: 'control', dataset: { action: 'record', control: '' } }, 'Record') : null,
        control && camera.kind === 'usb' ? el('button', { type: 'button', class: 'control', dataset: { action: 'controls', control: '' }, 'aria-expanded': 'false' }, 'Controls') : null,
        el('button', { type: 'button', dataset: { action: 'capabilities' } }, 'Capabilities')),
      el('div', { class: 'camera-controls', hidden: true }),
      el('pre', { class: 'capabilities', hidden: true }));
    const tile = { node, camera: { ...camera }, live: null, started: false, recording: null };
    node.querySelector('video').muted = true;
    tile.live = new LiveView(node.querySelector('.live'), camera.device, this.#ctx);
    node.querySelector('.actions').addEventListener('click', (e) => {
      const button = e.target.closest('button');
      if (button) this.#act(tile, button.dataset.action, button);
    });
    return tile;
  }

  #render(tile) {
    const { node, camera } = tile;
    node.dataset.status = camera.status;
    $('.name', node).textContent = camera.name || camera.device;
    $('.status', node).textContent = camera.status;
    $('.resolution', node).textContent = camera.resolution || '–';
    $('.fps', node).textContent = camera.fps ?? '–';
    if (camera.reason) node.title = camera.reason; else node.removeAttribute('title');
    const recording = tile.recording;
    $('.recording', node).hidden = !recording;
    const record = node.querySelector('[data-action="record"]');
    if (record) {
      record.textContent = recording ? 'Stop' : 'Record';
      record.classList.toggle('danger', Boolean(recording));
    }
    this.#tickTimers();
  }

  async #act(tile, action, button) {
    const device = tile.camera.device;
    button.disabled = true;
    try {
      if (action === 'snapshot') {
        const shot = await this.#ctx.rpc.call('take_snapshot', { device });
        await openImage(`Snapshot of ${device}`, shot.download_url || `/files/snapshots/${encodeURIComponent(shot.filename)}`, this.#ctx.token(),
          `${shot.filename} · ${shot.resolution || ''} · ${formatBytes(shot.file_size)}`);
      } else if (action === 'record') {
        if (tile.recording) {
          const stopped = await this.#ctx.rpc.call('stop_recording', { device });
          tile.recording = null;
          showInfo(`Recorded ${formatDuration(stopped.duration)} (${formatBytes(stopped.file_size)}) from ${device}: ${stopped.filename}`);
        } else {
          const started = await this.#ctx.rpc.call('start_recording', { device });
          // The browser's clock times the recording: the server's may differ from it.
          tile.recording = { filename: started.filename, start: Date.now(), bytes: 0 };
        }
        this.#render(tile);
      } else if (action === 'controls') {
        const box = $('.camera-controls', tile.node);
        const open = box.hidden;
        if (open) await renderControls(this.#ctx, device, box);
        box.hidden = !open;
        button.setAttribute('aria-expanded', String(open));
      } else if (action === 'capabilities') {
        const pre = $('.capabilities', tile.node);
        if (!pre.hidden) { pre.hidden = true; return; }
        const caps = await this.#ctx.rpc.call('get_camera_capabilities', { device });
        pre.textContent = [
          `formats: ${caps.formats.join(', ') || '–'}`,
          `resolutions: ${caps.resolutions.join(', ') || '–'}`,
          `frame rates: ${(caps.fps_options || caps.frame_rates || []).join(', ') || '–'}`,
          `features: ${(caps.capabilities || []).join(', ') || '–'}`,
          `validation: ${caps.validation_status}`,
        ].join('\n');
        pre.hidden = false;
      }
    } catch (error) {
      showError(`${action} on ${device} failed`, error);
    } finally {
      button.disabled = false;
    }
  }

  #tickTimers() {
    for (const tile of this.#tiles.values()) {
      if (!tile.recording) continue;
      const seconds = (Date.now() - tile.recording.start) / 1000;
      $('.rec-time', tile.node).textContent = formatDuration(seconds);
      tile.node.dataset.recordingSeconds = String(Math.floor(seconds));
      $('.rec-size', tile.node).textContent = formatBytes(tile.recording.bytes);
    }
  }

  #onNotification({ method, params }) {
    const device = params.device;
    switch (method) {
      case 'camera_status_update':
      case 'camera.connected':
      case 'camera.disconnected':
      case 'camera.status_change':
        if (device) this.upsert(pick(params));
        break;
      case 'recording.start':
      case 'recording.progress':
      case 'recording_status_update':
        this.#recordingUpdate(device, params);
        break;
      case 'recording.stop':
      case 'recording.error':
        this.#recordingUpdate(device, { ...params, status: params.restarting || params.recovered ? 'RECORDING' : 'STOPPED' });
        break;
      default:
    }
  }

  #recordingUpdate(device, params) {
    const tile = this.#tiles.get(device);
    if (!tile) return;
    if (params.status === 'RECORDING' || params.status === 'RECONNECTING' || params.status === 'STARTED') {
      const start = tile.recording?.start ?? (Date.now() - (params.duration || 0) * 1000);
      tile.recording = { filename: params.filename || tile.recording?.filename, start, bytes: params.bytes ?? params.file_size ?? tile.recording?.bytes ?? 0 };
    } else if (params.status === 'STOPPED' || params.status === 'FAILED' || params.status === 'ERROR') {
      tile.recording = null;
    }
    this.#render(tile);
  }
}

function pick(params) {
  const camera = { device: params.device };
  // A notification may carry only some fields (a control change has no status): absent or null ones keep the tile's.
  for (const key of ['status', 'name', 'resolution', 'fps', 'streams', 'reason']) if (params[key] !== undefined && params[key] !== null) camera[key] = params[key];
  if ('reason' in params && params.reason === null) camera.reason = null;
  return camera;
}
