import request from 'supertest';
import { Tokens } from '../../src/app/tokens';
import type { TestApp } from './test-app';

/** An operator token (no tenant) of a test app: it manages tenants and may act in every one. */
export async function operatorToken(t: TestApp): Promise<string> {
  return (await new Tokens(t.store.operators).create('operator')).secret;
}

/** Creates tenant `id` through the admin API and returns a new service token of it. */
export async function tenantWithToken(t: TestApp, operator: string, id: string, settings: object = {}): Promise<string> {
  const created = await request(t.app).post('/admin/tenants').set('Authorization', `Bearer ${operator}`).send({ id, name: `Tenant ${id}`, settings });
  if (created.status !== 201) throw new Error(`tenant ${id}: ${created.status} ${JSON.stringify(created.body)}`);
  const token = await request(t.app).post(`/admin/tenants/${id}/tokens`).set('Authorization', `Bearer ${operator}`).send({ name: 'idp' });
  if (token.status !== 201) throw new Error(`token of ${id}: ${token.status} ${JSON.stringify(token.body)}`);
  return token.body.token as string;
}

/** A supertest client bound to one token and one SCIM base path. */
export function scimClient(t: TestApp, token: string, base: string) {
  const auth = (test: request.Test) => test.set('Authorization', `Bearer ${token}`);
  const json = (test: request.Test, body?: object) => (body === undefined ? auth(test) : auth(test).set('Content-Type', 'application/scim+json').send(JSON.stringify(body)));
  return {
    get: (path: string) => auth(request(t.app).get(base + path)),
    post: (path: string, body?: object) => json(request(t.app).post(base + path), body),
    put: (path: string, body?: object) => json(request(t.app).put(base + path), body),
    patch: (path: string, body?: object) => json(request(t.app).patch(base + path), body),
    delete: (path: string) => auth(request(t.app).delete(base + path)),
  };
}
export type ScimClient = ReturnType<typeof scimClient>;
