// The live picture of one camera tile: WebRTC through MediaMTX's WHEP endpoint, then HLS (through hls.js
// over Media Source Extensions, or the browser's own player where there are none), then a snapshot refreshed
// every few seconds with the reason live video failed written on the tile. Each step has a deadline so a
// missing data plane costs seconds, not a blank tile.
//
// MediaMTX is reached on the host this page was loaded from, with the ports and paths of the URLs the
// API gives: those name the configured public host, which a browser that opened the console under
// another name or address may not resolve. The page's Content-Security-Policy allows exactly these two
// origins (ConsolePolicy builds it from the request's Host).

import { fetchObjectUrl, withToken } from './ui.js';

const PREVIEW_WIDTH = 640;

export class LiveView {
  #ctx;
  #device;
  #video;
  #img;
  #label;
  #reason;
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
    this.#reason = box.querySelector('.live-reason');
  }

  get mode() { return this.#box.dataset.mode; }

  /** (Re)starts the chain. Safe to call again: the previous attempt is stopped first. */
  async start(camera) {
    this.stop();
    const abort = new AbortController();
    this.#abort = abort;
    this.#showReason('');
    if (camera.status !== 'CONNECTED') {
      this.#setMode('offline', `camera ${camera.status.toLowerCase()}`);
      return;
    }
    const reasons = [];
    const technical = [];
    let links = camera.streams || {};
    try {
      const info = await this.#ctx.rpc.call('get_stream_url', { device: this.#device });
      links = info.streams || links;
    } catch (error) {
      reasons.push(plainReason(error));
      technical.push(`${error.details || error.message}`);
      links = null;
    }
    if (abort.signal.aborted) return;
    if (links?.webrtc && this.#ctx.config.webrtc !== false) {
      this.#setMode('connecting', 'connecting (WebRTC)…');
      try {
        const base = onPageHost(links.webrtc);
        await this.#webrtc(new URL('whep', base.endsWith('/') ? base : `${base}/`).href, abort.signal);
        this.#setMode('webrtc', 'live · WebRTC');
        return;
      } catch (error) {
        if (abort.signal.aborted) return;
        reasons.push(`WebRTC: ${error.message}`);
        this.#stopMedia();
      }
    }
    if (links?.hls) {
      this.#setMode('connecting', 'connecting (HLS)…');
      try {
        await this.#hls(onPageHost(links.hls), abort.signal);
        this.#setMode('hls', 'live · HLS');
        return;
      } catch (error) {
        if (abort.signal.aborted) return;
        reasons.push(`HLS: ${error.message}`);
        this.#stopMedia();
      }
    }
    if (reasons.length === 0) reasons.push('Live video is off: the service gave no stream address');
    // The tile says why in plain words; the service's own words (config keys, paths) are in the tooltip.
    this.#box.title = [...reasons, ...technical].join('\n');
    this.#showReason(reasons.join(' · '));
    this.#snapshots(abort.signal);
  }

  stop() {
    this.#abort?.abort();
    this.#abort = null;
    clearTimeout(this.#timer);
    this.#stopMedia();
    this.#dropPreview();
  }

  #showReason(text) {
    if (!this.#reason) return;
    this.#reason.textContent = text;
    this.#reason.hidden = !text;
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
    const deadline = this.#ctx.config.live_timeout_seconds * 1000;
    const mse = 'MediaSource' in window || 'ManagedMediaSource' in window;
    if (!mse && this.#video.canPlayType('application/vnd.apple.mpegurl')) {
      // A browser without Media Source Extensions (older iPhones) plays HLS itself. Its player cannot send
      // headers, so the token goes in the query, which MediaMTX hands to the service's auth callback.
      this.#video.src = withToken(url, this.#ctx.token());
      this.#cleanup.push(() => this.#video.removeAttribute('src'));
      await playing(this.#video, deadline, signal);
      return;
    }
    // Everywhere else hls.js (vendored, loaded only when needed) feeds the video through Media Source
    // Extensions: it plays MediaMTX's low-latency HLS and sends the token in a header. It goes first even
    // where the browser claims HLS of its own (recent Chromium answers "maybe"), since those players
    // cannot carry the token in a header and do not all play low-latency HLS.
    const { default: Hls } = await import('./vendor/hls.light.min.mjs');
    if (!Hls.isSupported()) throw new Error('this browser has neither HLS nor Media Source Extensions');
    const token = this.#ctx.token();
    const hls = new Hls({
      // Workers would come from blob: URLs, which the page's CSP does not allow; one stream per tile is light.
      enableWorker: false,
      lowLatencyMode: true,
      // The token travels in a header on every playlist and segment request. MediaMTX first answers the
      // playlist with a 302 to ?cookieCheck=1; the browser follows it on the same origin with the header kept.
      xhrSetup: (xhr) => xhr.setRequestHeader('Authorization', `Bearer ${token}`),
    });
    this.#cleanup.push(() => hls.destroy());
    const failed = new Promise((_, reject) => {
      hls.on(Hls.Events.ERROR, (_event, data) => {
        if (!data.fatal) return;
        const status = data.response?.code ? ` (${data.response.code})` : '';
        reject(new Error(`${data.details}${status}`));
      });
    });
    failed.catch(() => { /* a fatal error after the picture came is not this attempt's failure */ });
    hls.loadSource(url);
    hls.attachMedia(this.#video);
    await Promise.race([playing(this.#video, deadline, signal), failed]);
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

/** The same URL on the host this page was loaded from (same scheme, port and path). */
function onPageHost(link) {
  const url = new URL(link);
  url.hostname = location.hostname;
  return url.href;
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

/** Why the service gave no live stream, as an operator would say it (the technical detail goes to the tooltip). */
function plainReason(error) {
  const data = error.data || {};
  if (data.dependency === 'capacity') return 'Live video is off: all stream slots are in use (limits.max_streams)';
  if (data.dependency === 'mediamtx') return 'Live video is off: the media server (MediaMTX) is not running';
  if (error.code === -32020) return `Live video is off: the camera is not ready (${data.details || error.message})`;
  return `Live video is off: ${error.details || error.message}`;
}
