// The live picture of one camera tile: WebRTC through MediaMTX's WHEP endpoint, then HLS when the
// browser plays it natively, then a snapshot refreshed every few seconds. Each step has a deadline so
// a missing data plane costs seconds, not a blank tile.

import { fetchObjectUrl, withToken } from './ui.js';

const PREVIEW_WIDTH = 640;

export class LiveView {
  #ctx;
  #device;
  #video;
  #img;
  #label;
  #box;
  #abort = null;
  #cleanup = [];
  #timer = null;
  #objectUrl = null;

  constructor(box, device, ctx) {
    this.#box = box;
    this.#device = device;
    this.#ctx = ctx;
    this.#video = box.querySelector('video');
    this.#img = box.querySelector('img');
    this.#label = box.querySelector('.live-label');
  }

  get mode() { return this.#box.dataset.mode; }

  /** (Re)starts the chain. Safe to call again: the previous attempt is stopped first. */
  async start(camera) {
    this.stop();
    const abort = new AbortController();
    this.#abort = abort;
    if (camera.status !== 'CONNECTED') {
      this.#setMode('offline', `camera ${camera.status.toLowerCase()}`);
      return;
    }
    const reasons = [];
    let links = camera.streams || {};
    try {
      const info = await this.#ctx.rpc.call('get_stream_url', { device: this.#device });
      links = info.streams || links;
    } catch (error) {
      reasons.push(`live video unavailable: ${error.details || error.message}`);
      links = null;
    }
    if (abort.signal.aborted) return;
    if (links?.webrtc) {
      this.#setMode('connecting', 'connecting (WebRTC)…');
      try {
        await this.#webrtc(new URL('whep', links.webrtc.endsWith('/') ? links.webrtc : `${links.webrtc}/`).href, abort.signal);
        this.#setMode('webrtc', 'live · WebRTC');
        return;
      } catch (error) {
        if (abort.signal.aborted) return;
        reasons.push(`WebRTC: ${error.message}`);
        this.#stopMedia();
      }
    }
    if (links?.hls && this.#video.canPlayType('application/vnd.apple.mpegurl')) {
      this.#setMode('connecting', 'connecting (HLS)…');
      try {
        await this.#hls(links.hls, abort.signal);
        this.#setMode('hls', 'live · HLS');
        return;
      } catch (error) {
        if (abort.signal.aborted) return;
        reasons.push(`HLS: ${error.message}`);
        this.#stopMedia();
      }
    }
    this.#box.title = reasons.join('\n');
    this.#snapshots(abort.signal);
  }

  stop() {
    this.#abort?.abort();
    this.#abort = null;
    clearTimeout(this.#timer);
    this.#stopMedia();
    this.#dropPreview();
  }

  #setMode(mode, label) {
    this.#box.dataset.mode = mode;
    this.#label.textContent = label;
  }

  #stopMedia() {
    for (const undo of this.#cleanup.splice(0)) {
      try { undo(); } catch { /* already closed */ }
    }
    this.#video.removeAttribute('src');
    this.#video.srcObject = null;
    this.#video.load();
  }

  async #webrtc(whepUrl, signal) {
    const pc = new RTCPeerConnection();
    let resource = null;
    this.#cleanup.push(() => {
      pc.close();
      if (resource) fetch(resource, { method: 'DELETE', headers: this.#auth() }).catch(() => {});
    });
    pc.addTransceiver('video', { direction: 'recvonly' });
    pc.addTransceiver('audio', { direction: 'recvonly' });
    const stream = new MediaStream();
    pc.addEventListener('track', (e) => {
      stream.addTrack(e.track);
      this.#video.srcObject = stream;
    });
    await pc.setLocalDescription(await pc.createOffer());
    await iceGathered(pc, 2000);
    const response = await withDeadline(fetch(whepUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/sdp', ...this.#auth() },
      body: pc.localDescription.sdp,
      signal,
    }), this.#ctx.config.live_timeout_seconds * 1000, 'no answer from the WHEP endpoint');
    if (response.status !== 201) throw new Error(`WHEP endpoint answered ${response.status}`);
    const location = response.headers.get('Location');
    resource = location ? new URL(location, whepUrl).href : null;
    await pc.setRemoteDescription({ type: 'answer', sdp: await response.text() });
    await playing(this.#video, this.#ctx.config.live_timeout_seconds * 1000, signal);
  }

  async #hls(url, signal) {
    // A native player cannot send headers; MediaMTX hands the query to the service's auth callback.
    this.#video.src = withToken(url, this.#ctx.token());
    this.#cleanup.push(() => this.#video.removeAttribute('src'));
    await playing(this.#video, this.#ctx.config.live_timeout_seconds * 1000, signal);
  }

  /** The camera's current picture, grabbed in memory by the service (nothing stored), refreshed every few seconds. */
  async #snapshots(signal) {
    const refreshMs = this.#ctx.config.snapshot_refresh_seconds * 1000;
    this.#setMode('snapshot', 'preview · refreshing');
    const tick = async () => {
      if (signal.aborted) return;
      if (document.visibilityState === 'visible') {
        try {
          await this.#preview(signal);
          this.#box.dataset.snapshotError = '';
        } catch (error) {
          if (signal.aborted) return;
          this.#box.dataset.snapshotError = error.message;
          this.#label.textContent = `preview failed: ${error.details || error.message}`;
        }
      }
      if (!signal.aborted) this.#timer = setTimeout(tick, refreshMs);
    };
    await tick();
  }

  async #preview(signal) {
    await this.#show(`/api/v1/cameras/${encodeURIComponent(this.#device)}/preview.jpg?max_width=${PREVIEW_WIDTH}`, signal);
    this.#label.textContent = `preview · ${new Date().toLocaleTimeString()}`;
  }

  async #show(path, signal) {
    const url = await fetchObjectUrl(path, this.#ctx.token(), signal);
    await new Promise((resolve, reject) => {
      this.#img.onload = resolve;
      this.#img.onerror = () => reject(new Error('the snapshot could not be decoded'));
      this.#img.src = url;
    });
    if (this.#objectUrl) URL.revokeObjectURL(this.#objectUrl);
    this.#objectUrl = url;
  }

  #dropPreview() {
    if (this.#objectUrl) URL.revokeObjectURL(this.#objectUrl);
    this.#objectUrl = null;
  }

  #auth() { return { Authorization: `Bearer ${this.#ctx.token()}` }; }
}

function iceGathered(pc, ms) {
  if (pc.iceGatheringState === 'complete') return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => { clearTimeout(timer); pc.removeEventListener('icegatheringstatechange', check); resolve(); };
    const check = () => { if (pc.iceGatheringState === 'complete') done(); };
    const timer = setTimeout(done, ms);
    pc.addEventListener('icegatheringstatechange', check);
  });
}

function withDeadline(promise, ms, message) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(message)), ms); }),
  ]).finally(() => clearTimeout(timer));
}

/** Resolves when the video shows frames; rejects on error, abort or deadline. */
function playing(video, ms, signal) {
  return new Promise((resolve, reject) => {
    const finish = (error) => {
      clearTimeout(timer);
      video.removeEventListener('playing', ok);
      video.removeEventListener('error', bad);
      signal.removeEventListener('abort', aborted);
      if (error) reject(error); else resolve();
    };
    const ok = () => finish();
    const bad = () => finish(new Error(video.error?.message || 'the stream could not be played'));
    const aborted = () => finish(new Error('stopped'));
    const timer = setTimeout(() => finish(new Error('no picture in time')), ms);
    video.addEventListener('playing', ok);
    video.addEventListener('error', bad);
    signal.addEventListener('abort', aborted);
    video.play().catch(() => { /* autoplay waits for data; 'playing' or the deadline decides */ });
  });
}
