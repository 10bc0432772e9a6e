// JSON-RPC 2.0 over the service's WebSocket: requests with ids, notifications as events,
// reconnection with back-off. The page signs in again after every reconnect (see app.js).

export class RpcError extends Error {
  constructor(method, error) {
    super(error.message || 'request failed');
    this.method = method;
    this.code = error.code;
    this.data = error.data || {};
  }

  /** What to do about it, as the service says (error.data.suggestion). */
  get suggestion() { return this.data.suggestion || ''; }

  /** The most specific description the service gave. */
  get details() { return this.data.details || this.data.detail || ''; }
}

export class RpcClient extends EventTarget {
  #url;
  #socket = null;
  #nextId = 1;
  #pending = new Map();
  #retryMs = 500;
  #closedByUser = false;
  #timeoutMs;

  constructor(url, timeoutMs = 30000) {
    super();
    this.#url = url;
    this.#timeoutMs = timeoutMs;
  }

  get connected() { return this.#socket?.readyState === WebSocket.OPEN; }

  connect() {
    this.#closedByUser = false;
    const socket = new WebSocket(this.#url);
    this.#socket = socket;
    this.dispatchEvent(new CustomEvent('state', { detail: 'connecting' }));
    socket.addEventListener('open', () => {
      this.#retryMs = 500;
      this.dispatchEvent(new CustomEvent('state', { detail: 'online' }));
      this.dispatchEvent(new Event('open'));
    });
    socket.addEventListener('message', (e) => this.#receive(e.data));
    socket.addEventListener('close', () => {
      if (this.#socket !== socket) return;
      this.#socket = null;
      for (const [, p] of this.#pending) p.reject(new RpcError(p.method, { code: -32000, message: 'connection lost', data: { suggestion: 'the console reconnects by itself; try again in a moment' } }));
      this.#pending.clear();
      this.dispatchEvent(new CustomEvent('state', { detail: 'offline' }));
      if (!this.#closedByUser) {
        setTimeout(() => this.connect(), this.#retryMs);
        this.#retryMs = Math.min(this.#retryMs * 2, 15000);
      }
    });
  }

  close() {
    this.#closedByUser = true;
    this.#socket?.close(1000, 'signed out');
  }

  /** Calls a method; resolves with result, rejects with RpcError. */
  call(method, params) {
    if (!this.connected) {
      return Promise.reject(new RpcError(method, { code: -32000, message: 'not connected to the service', data: { suggestion: 'wait for the connection indicator to turn green' } }));
    }
    const id = this.#nextId++;
    const message = { jsonrpc: '2.0', id, method };
    if (params !== undefined) message.params = params;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new RpcError(method, { code: -32000, message: `${method} timed out`, data: { suggestion: 'the service is busy or unreachable; try again' } }));
      }, this.#timeoutMs);
      this.#pending.set(id, {
        method,
        resolve: (v) => { clearTimeout(timer); resolve(v); },
        reject: (e) => { clearTimeout(timer); reject(e); },
      });
      this.#socket.send(JSON.stringify(message));
    });
  }

  #receive(text) {
    let message;
    try { message = JSON.parse(text); } catch { return; }
    if (message.method) {
      this.dispatchEvent(new CustomEvent('notification', { detail: { method: message.method, params: message.params || {} } }));
      return;
    }
    const pending = this.#pending.get(message.id);
    if (!pending) {
      if (message.error) this.dispatchEvent(new CustomEvent('orphan-error', { detail: new RpcError('', message.error) }));
      return;
    }
    this.#pending.delete(message.id);
    if (message.error) pending.reject(new RpcError(pending.method, message.error));
    else pending.resolve(message.result);
  }
}
