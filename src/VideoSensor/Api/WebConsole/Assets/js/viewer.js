// The modal viewer: a snapshot (fetched with the token in a header) or a recording (played from
// /files/recordings/... with ?token=, since a <video> element cannot send headers).

import { $, el, fetchObjectUrl, withToken, showError } from './ui.js';

const dialog = () => $('#viewer');
let objectUrl = null;

function reset(title, meta) {
  if (objectUrl) URL.revokeObjectURL(objectUrl);
  objectUrl = null;
  const body = $('#viewer-body');
  for (const media of body.querySelectorAll('video')) { media.pause(); media.removeAttribute('src'); media.load(); }
  body.replaceChildren();
  $('#viewer-title').textContent = title;
  $('#viewer-meta').textContent = meta || '';
  return body;
}

export function initViewer() {
  $('#viewer-close').addEventListener('click', () => dialog().close());
  dialog().addEventListener('close', () => reset('', ''));
}

export async function openImage(title, path, token, meta) {
  const body = reset(title, meta);
  const img = el('img', { id: 'viewer-image', alt: title });
  body.append(img);
  if (!dialog().open) dialog().showModal();
  try {
    objectUrl = await fetchObjectUrl(path, token);
    img.src = objectUrl;
    await img.decode();
  } catch (error) {
    showError(`Could not show ${title}`, error);
  }
}

export function openVideo(title, path, token, meta) {
  const body = reset(title, meta);
  const video = el('video', { id: 'viewer-video', controls: true, preload: 'auto', playsinline: true });
  video.muted = true;
  video.addEventListener('error', () => showError(`Could not play ${title}`, { message: video.error?.message || 'the browser cannot play this file', suggestion: 'download it and play it with a desktop player' }));
  video.src = withToken(path, token);
  body.append(video);
  if (!dialog().open) dialog().showModal();
  video.play().catch(() => { /* the user can press play */ });
}

/**
 * Plays a recording's segments one after another in one <video>: each segment is a file of its own (served
 * with Range), the next is loaded when one ends. data-segment on the video says which one plays.
 */
export function openRecording(title, segments, token, meta) {
  if (segments.length === 1) { openVideo(title, segments[0].url, token, meta); return; }
  const body = reset(title, meta);
  const video = el('video', { id: 'viewer-video', controls: true, preload: 'auto', playsinline: true });
  video.muted = true;
  const where = el('p', { class: 'hint', id: 'viewer-segment' });
  const load = (index) => {
    video.dataset.segment = String(index);
    where.textContent = `segment ${index + 1} of ${segments.length} · ${segments[index].name}`;
    video.src = withToken(segments[index].url, token);
    video.play().catch(() => { /* the user can press play */ });
  };
  video.addEventListener('ended', () => {
    const next = Number(video.dataset.segment) + 1;
    if (next < segments.length) load(next);
  });
  video.addEventListener('error', () => showError(`Could not play ${title}`, { message: video.error?.message || 'the browser cannot play this file', suggestion: 'download it and play it with a desktop player' }));
  body.append(video, where);
  if (!dialog().open) dialog().showModal();
  load(0);
}
