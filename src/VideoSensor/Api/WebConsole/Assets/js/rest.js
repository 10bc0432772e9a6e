// The REST management API from the page: the token in a header, problem details turned into errors that
// name the field the service rejected (so a form can say which input is wrong).

export class RestError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `the service answered ${status}`);
    this.status = status;
    this.field = problem?.field || '';
    this.suggestion = problem?.suggestion || '';
  }
}

export async function rest(ctx, method, path, body) {
  const headers = { Authorization: `Bearer ${ctx.token()}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store' });
  if (response.status === 204) return null;
  const payload = await response.json().catch(() => null);
  if (!response.ok) throw new RestError(response.status, payload);
  return payload;
}
