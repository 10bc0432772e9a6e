// Console entry point: connects to the service's WebSocket, signs in with the token kept in
// sessionStorage (entered once per tab), and wires the views to the hash route.

import { RpcClient } from './rpc.js';
import { $, showError } from './ui.js';
import { CameraGrid } from './cameras.js';
import { FileBrowser } from './files.js';
import { SystemPanel, TOPICS } from './system.js';
import { initViewer } from './viewer.js';

const TOKEN_KEY = 'videosensor.token';
const VIEWS = ['cameras', 'files', 'system'];

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

  const showView = () => {
    const signedIn = Boolean(session.role);
    const view = VIEWS.includes(location.hash.slice(1)) ? location.hash.slice(1) : 'cameras';
    $('#login').hidden = signedIn || Boolean(ctx.token());
    $('#nav').hidden = !signedIn;
    for (const name of VIEWS) $(`#view-${name}`).hidden = !signedIn || name !== view;
    for (const link of document.querySelectorAll('#nav a')) link.classList.toggle('active', link.dataset.view === view);
    document.body.dataset.view = signedIn ? view : 'login';
    if (!signedIn) return;
    if (view === 'files') files.load();
    if (view === 'system') system.load();
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
      signOut(`${error.message}${error.suggestion ? ` — ${error.suggestion}` : ''}`);
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
    const indicator = $('#connection');
    indicator.dataset.state = e.detail;
    indicator.textContent = e.detail;
  });
  rpc.addEventListener('open', () => signIn());
  rpc.addEventListener('notification', (e) => {
    if (e.detail.method === 'system.shutdown') showError('The service is shutting down', { message: 'the connection will drop', suggestion: 'the console reconnects when the service is back' });
  });
  showView();
  rpc.connect();
}

main().catch((error) => showError('The console could not start', error));
