// Every call the UI makes goes through here: same-origin, with the login cookie Admin Router set (it forwards it
// upstream as the token). A 401 anywhere sends the user back to the login page.
export class ApiError extends Error {
  constructor(public status: number, public body: any, message: string) { super(message); }
}

let unauthorized: () => void = () => {};
export function onUnauthorized(handler: () => void) { unauthorized = handler; }

export interface CallOptions { method?: string; json?: unknown; accept?: string; contentType?: string; signal?: AbortSignal; }

export async function api<T = any>(path: string, options: CallOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: options.accept ?? 'application/json' };
  let body: string | undefined;
  if (options.json !== undefined) {
    headers['Content-Type'] = options.contentType ?? 'application/json';
    body = JSON.stringify(options.json);
  }
  let response: Response;
  try {
    response = await fetch(path, { method: options.method ?? (body ? 'POST' : 'GET'), headers, body, credentials: 'same-origin', signal: options.signal });
  } catch (e) {
    throw new ApiError(0, null, `cannot reach ${path}: ${(e as Error).message}`);
  }
  const text = await response.text();
  let data: any = text;
  try { data = text ? JSON.parse(text) : null; } catch { /* plain text answers stay text */ }
  if (response.status === 401) unauthorized();
  if (!response.ok) throw new ApiError(response.status, data, messageOf(response.status, data));
  return data as T;
}

function messageOf(status: number, data: any): string {
  if (data && typeof data === 'object' && typeof data.message === 'string') return `${status}: ${data.message}`;
  if (typeof data === 'string' && data.trim()) return data.trim().split('\n')[0].slice(0, 300);
  return `HTTP ${status}`;
}

/** Cosmos wants its own media types on both sides of each call. */
export function cosmos<T = any>(kind: string, body: unknown, versions: string[] = ['v1']): Promise<T> {
  const type = (dir: string, v: string) => `application/vnd.dcos.package.${kind}-${dir}+json;charset=utf-8;version=${v}`;
  return api<T>(`/package/${kind}`, { json: body, contentType: type('request', 'v1'), accept: versions.map(v => type('response', v)).join(', ') });
}

export const marathonAppPath = (id: string) => `/marathon/v2/apps${id.startsWith('/') ? id : '/' + id}`;
