/**
 * The console's one way to the server: same origin, the session's bearer token, JSON in and out.
 * Every failure becomes an ApiError carrying the server's own SCIM sentence (RFC 7644 §3.12
 * `detail`), so a view shows what the server said instead of guessing.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly scimType?: string,
  ) {
    super(detail);
  }
}

export interface Answer<T> {
  readonly status: number;
  readonly body: T;
  readonly etag?: string;
}

export type Query = Record<string, string | number | boolean | undefined>;

export interface CallOptions {
  readonly body?: unknown;
  readonly query?: Query;
  readonly headers?: Record<string, string>;
}

/** A path with its query; undefined values are left out. */
export function withQuery(path: string, query: Query = {}): string {
  const pairs = Object.entries(query).filter((pair): pair is [string, string | number | boolean] => pair[1] !== undefined && pair[1] !== '');
  if (!pairs.length) return path;
  return `${path}?${new URLSearchParams(pairs.map(([k, v]) => [k, String(v)])).toString()}`;
}

const SCIM_JSON = 'application/scim+json';

/** Called when the server says the token is no longer good (401): the session ends. */
let onUnauthorized: () => void = () => undefined;
export const whenUnauthorized = (handler: () => void) => {
  onUnauthorized = handler;
};

export async function call<T>(token: string, method: string, path: string, options: CallOptions = {}): Promise<Answer<T>> {
  const headers: Record<string, string> = { Accept: `${SCIM_JSON}, application/json`, Authorization: `Bearer ${token}`, ...options.headers };
  if (options.body !== undefined) headers['Content-Type'] = path.startsWith('/admin') ? 'application/json' : SCIM_JSON;
  let response: Response;
  try {
    response = await fetch(withQuery(path, options.query), {
      method, headers, credentials: 'omit', cache: 'no-store',
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
  } catch {
    throw new ApiError(0, 'The server cannot be reached. Check that Roster is running, then try again.');
  }
  const text = await response.text();
  const body = text ? parseJson(text) : undefined;
  if (!response.ok) {
    if (response.status === 401) onUnauthorized();
    throw errorOf(response.status, body);
  }
  return { status: response.status, body: body as T, etag: response.headers.get('ETag') ?? undefined };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function errorOf(status: number, body: unknown): ApiError {
  if (body && typeof body === 'object') {
    const b = body as Record<string, unknown>;
    const detail = typeof b.detail === 'string' ? b.detail : typeof b.error_description === 'string' ? b.error_description : undefined;
    if (detail) return new ApiError(status, detail, typeof b.scimType === 'string' ? b.scimType : undefined);
  }
  return new ApiError(status, `The server answered ${status} without an explanation.`);
}
