// Console entry point: connects to the service's WebSocket, signs in with the token kept in
// sessionStorage (entered once per tab), and wires the views to the hash route.

import { RpcClient } from './rpc.js';
import { $, showError } from './ui.js';
import { CameraGrid } from './cameras.js';
import { FileBrowser } from './files.js';
import { SystemPanel, TOPICS } from './system.js';
import { SourcesPanel } from './sources.js';
import { initViewer } from './viewer.js';

const TOKEN_KEY = 'videosensor.token';
const VIEWS = ['cameras', 'files', 'sources', 'system'];

async function main() {
  const config = await (await fetch('/console/config.json', { cache: 'no-store' })).json();
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const rpc = new RpcClient(`${scheme}://${location.host}${config.websocket_path}`);
  const session = { role: null, permissions: [] };
  const ctx = {
    rpc,
    config,
    token: () => sessionStorage.getItem(TOKEN_KEY) || '',
    can: (permission) => session.permissions.includes(permission),
  };
  window.videoSensorConsole = { ctx, session };
  initViewer();

  let grid = null;
  let files = null;
  let system = null;
  let sources = null;

  const showView = () => {
    const signedIn = Boolean(session.role);
    // #camera/<device> is the single-camera view: the cameras page with one tile, large.
    const route = location.hash.slice(1);
    const focus = route.startsWith('camera/') ? decodeURIComponent(route.slice('camera/'.length)) : null;
    const allowed = (name) => name !== 'sources' || ctx.can('admin');
    const view = VIEWS.includes(route) && allowed(route) ? route : 'cameras';
    for (const link of document.querySelectorAll('#nav a[data-needs]')) link.hidden = !ctx.can(link.dataset.needs);
    $('#login').hidden = signedIn || Boolean(ctx.token());
    $('#nav').hidden = !signedIn;
    $('#nav-toggle').hidden = !signedIn;
    setNavOpen(false);
    showConnection();
    for (const name of VIEWS) $(`#view-${name}`).hidden = !signedIn || name !== view;
    for (const link of document.querySelectorAll('#nav a')) {
      link.classList.toggle('active', link.dataset.view === view);
      if (link.dataset.view === view) link.setAttribute('aria-current', 'page'); else link.removeAttribute('aria-current');
    }
    document.body.dataset.view = signedIn ? view : 'login';
    if (!signedIn) return;
    grid?.focus(focus);
    if (view === 'files') files.load();
    if (view === 'system') system.load();
    if (view === 'sources') sources.load();
  };

  // The indicator says only what is true: reaching the service is not being signed in.
  let socketState = 'connecting';
  const showConnection = () => {
    const indicator = $('#connection');
    const text = socketState === 'online' ? (session.role ? 'connected' : 'not signed in')
      : socketState === 'connecting' ? 'connecting…' : 'service unreachable';
    indicator.dataset.state = socketState === 'online' && !session.role ? 'idle' : socketState;
    indicator.textContent = text;
  };
  const setNavOpen = (open) => {
    $('#nav').classList.toggle('open', open);
    $('#nav-toggle').setAttribute('aria-expanded', String(open));
  };

  const signOut = (message) => {
    sessionStorage.removeItem(TOKEN_KEY);
    session.role = null;
    session.permissions = [];
    grid?.clear();
    $('#who').textContent = '';
    $('#sign-out').hidden = true;
    const error = $('#login-error');
    error.hidden = !message;
    error.textContent = message || '';
    showView();
  };

  const signIn = async () => {
    const token = ctx.token();
    if (!token || !rpc.connected) return;
    let result;
    try {
      result = await rpc.call('authenticate', { auth_token: token });
    } catch (error) {
      signOut(plainAuthMessage(error));
      return;
    }
    session.role = result.role;
    session.permissions = result.permissions || [];
    document.body.dataset.role = result.role;
    $('#who').textContent = `signed in as ${result.role}`;
    $('#sign-out').hidden = false;
    // Views are rebuilt per sign-in: the buttons a tile shows depend on the role.
    grid?.clear();
    grid = new CameraGrid(ctx);
    files ??= new FileBrowser(ctx);
    system ??= new SystemPanel(ctx);
    sources ??= new SourcesPanel(ctx);
    ctx.onCamerasChanged = () => files.setCameras(grid.cameras);
    try {
      await rpc.call('subscribe_events', { topics: TOPICS });
      await grid.load();
      files.setCameras(grid.cameras);
    } catch (error) {
      showError('Could not load the cameras', error);
    }
    showView();
  };

  $('#login-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const input = $('#token');
    sessionStorage.setItem(TOKEN_KEY, input.value.trim());
    input.value = '';
    signIn();
  });
  $('#sign-out').addEventListener('click', () => signOut());
  window.addEventListener('hashchange', showView);
  rpc.addEventListener('state', (e) => {
    socketState = e.detail;
    showConnection();
  });
  $('#nav-toggle').addEventListener('click', () => setNavOpen($('#nav-toggle').getAttribute('aria-expanded') !== 'true'));
  rpc.addEventListener('open', () => signIn());
  rpc.addEventListener('notification', (e) => {
    if (e.detail.method === 'system.shutdown') showError('The service is shutting down', { message: 'the connection will drop', suggestion: 'the console reconnects when the service is back' });
  });
  showView();
  rpc.connect();
}

/** What a person needs to hear when sign-in fails: no method names, no protocol words. */
function plainAuthMessage(error) {
  switch (error.code) {
    case -32001:
      return 'This token was not accepted: it may be mistyped, expired or revoked. Paste it again, or ask your administrator for a new one.';
    case -32040:
      return 'Too many failed sign-in attempts from this browser. Wait a minute, then try again with a valid token.';
    case -32000:
      return 'The service cannot be reached right now. The console keeps trying; sign in again when the indicator says "not signed in".';
    default:
      return `Signing in did not work (${error.message}). Try again, or ask your administrator.`;
  }
}

main().catch((error) => showError('The console could not start', error));
