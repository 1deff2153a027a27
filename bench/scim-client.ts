import http from 'node:http';

/** One SCIM request over a kept-alive agent; resolves with the status once the body is read. */
export type Send = (method: string, path: string, body?: object) => Promise<number>;

/** The benchmarks' client: every request under `basePath`, with the bearer token. */
export function request(agent: http.Agent, port: number, token: string, basePath: string): Send {
  return (method, path, body) => new Promise((resolve, reject) => {
    const payload = body ? JSON.stringify(body) : undefined;
    const req = http.request({ agent, host: '127.0.0.1', port, method, path: basePath + path, headers: {
      Authorization: `Bearer ${token}`, ...(payload ? { 'Content-Type': 'application/scim+json', 'Content-Length': Buffer.byteLength(payload) } : {}),
    } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/** One request whose answer is read as JSON (for the few requests whose body the benchmark needs). */
export function requestJson(agent: http.Agent, port: number, token: string, path: string, method = 'GET', body?: object): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const payload = body ? JSON.stringify(body) : undefined;
    const req = http.request({ agent, host: '127.0.0.1', port, method, path, headers: {
      Authorization: `Bearer ${token}`, ...(payload ? { 'Content-Type': 'application/scim+json', 'Content-Length': Buffer.byteLength(payload) } : {}),
    } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} });
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}
