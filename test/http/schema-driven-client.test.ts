import { BASE, startTestApp, type TestApp } from '../support/test-app';
import { operatorToken, scimClient, tenantWithToken, type ScimClient } from '../support/tenants';

/**
 * Issue 12 §1: a client that knows RFC 7643/7644 and nothing of Roster (as generic SCIM test
 * tools and SDKs are) reads GET /ResourceTypes and /Schemas, builds the smallest resource those
 * say is valid, and gets it created. Whatever the server requires, /Schemas must say.
 */

interface Attribute {
  name: string;
  type: string;
  multiValued: boolean;
  required: boolean;
  mutability: string;
  description?: string;
  canonicalValues?: string[];
  referenceTypes?: string[];
  subAttributes?: Attribute[];
}
interface Schema { id: string; attributes: Attribute[] }
interface ResourceType { name: string; endpoint: string; schema: string; schemaExtensions: { schema: string; required: boolean }[] }
type Json = string | number | boolean | Json[] | { [key: string]: Json };
type Body = Record<string, Json>;

let unique = 0;

/**
 * A value of an attribute's type. The one thing a schema cannot say is a string's format: like
 * real tools, the client writes an email-shaped string where the attribute's name (or the
 * description the server gives it) says "email".
 */
function valueOf(attribute: Attribute, parent?: Attribute): Json {
  const one = (): Json => {
    switch (attribute.type) {
      case 'complex': {
        const required = (attribute.subAttributes ?? []).filter((sub) => sub.required && sub.mutability !== 'readOnly');
        // A complex attribute with no required sub-attribute still needs something: its value.
        const chosen = required.length > 0 ? required : (attribute.subAttributes ?? []).filter((sub) => sub.name === 'value');
        return Object.fromEntries(chosen.map((sub) => [sub.name, valueOf(sub, attribute)]));
      }
      case 'boolean': return true;
      case 'integer': return 1;
      case 'decimal': return 1.5;
      case 'dateTime': return new Date().toISOString();
      case 'binary': return 'AA==';
      case 'reference': return 'https://example.com/generated';
      default: {
        if (attribute.canonicalValues?.length) return attribute.canonicalValues[0];
        const says = `${parent?.name ?? ''} ${attribute.name} ${attribute.description ?? ''}`;
        const id = `${attribute.name.toLowerCase()}${++unique}`;
        return /e-?mail/i.test(says) ? `${id}@example.com` : id;
      }
    }
  };
  return attribute.multiValued ? [one()] : one();
}

/** The required, writable attributes of a schema, each with a generated value. */
const requiredOf = (schema: Schema): Body =>
  Object.fromEntries(schema.attributes.filter((a) => a.required && a.mutability !== 'readOnly').map((a) => [a.name, valueOf(a)]));

/** The client: discovery first, then the smallest body of each resource type. */
async function discover(client: ScimClient) {
  const types = await client.get('/ResourceTypes');
  const schemas = await client.get('/Schemas');
  expect([types.status, schemas.status]).toEqual([200, 200]);
  const schemaById = new Map((schemas.body.Resources as Schema[]).map((s) => [s.id, s]));
  const schema = (id: string) => {
    const found = schemaById.get(id);
    if (!found) throw new Error(`/ResourceTypes names ${id}, which /Schemas does not list`);
    return found;
  };
  return {
    types: types.body.Resources as ResourceType[],
    /** The smallest body /Schemas allows: the core schema's required attributes, and those of each required extension. */
    smallest(type: ResourceType): Body {
      const extensions = type.schemaExtensions.filter((e) => e.required).map((e) => e.schema);
      return {
        schemas: [type.schema, ...extensions],
        ...requiredOf(schema(type.schema)),
        ...Object.fromEntries(extensions.map((id) => [id, requiredOf(schema(id))])),
      };
    },
  };
}

describe('a client that builds its requests from /Schemas and /ResourceTypes alone', () => {
  let t: TestApp;
  let operator: string;
  beforeAll(async () => {
    t = await startTestApp();
    operator = await operatorToken(t);
  });
  afterAll(() => t.close());

  const tenant = async (id: string, settings: object) => scimClient(t, await tenantWithToken(t, operator, id, settings), `/scim/v2/tenants/${id}`);

  /** Builds the smallest User and Group of `client`'s tenant and creates them; returns the bodies sent. */
  async function createSmallest(client: ScimClient): Promise<Record<string, Body>> {
    const discovered = await discover(client);
    const sent: Record<string, Body> = {};
    for (const type of discovered.types) {
      const body = discovered.smallest(type);
      const response = await client.post(type.endpoint, body);
      if (response.status !== 201) throw new Error(`${type.name}: ${response.status} ${JSON.stringify(response.body)} for ${JSON.stringify(body)}`);
      expect(response.body).toMatchObject(Object.fromEntries(Object.entries(body).filter(([key]) => key !== 'schemas')));
      sent[type.name] = body;
    }
    return sent;
  }

  it('creates the smallest User and Group under the default required set (userName, given and family name, an email)', async () => {
    const sent = await createSmallest(scimClient(t, t.token, BASE));
    expect(Object.keys(sent).sort()).toEqual(['Group', 'User']);
    expect(Object.keys(sent.User).sort()).toEqual(['emails', 'name', 'schemas', 'userName']);
    expect(Object.keys(sent.User.name).sort()).toEqual(['familyName', 'givenName']);
    expect(sent.User.emails).toEqual([{ value: expect.stringMatching(/@example\.com$/) }]);
    expect(Object.keys(sent.Group).sort()).toEqual(['displayName', 'schemas']);
  });

  it('creates a User of userName alone in a tenant that requires nothing more (requiredUserAttributes: [])', async () => {
    const sent = await createSmallest(await tenant('service-accounts', { requiredUserAttributes: [] }));
    expect(Object.keys(sent.User).sort()).toEqual(['schemas', 'userName']);
  });

  it('creates a User with only an email beside userName in a tenant that requires only emails', async () => {
    const sent = await createSmallest(await tenant('emails-only', { requiredUserAttributes: ['emails'] }));
    expect(Object.keys(sent.User).sort()).toEqual(['emails', 'schemas', 'userName']);
  });

  it('writes an email as userName where the tenant says userNames are email addresses (USERNAME_FORMAT=email)', async () => {
    const sent = await createSmallest(await tenant('by-email', { usernameFormat: 'email' }));
    expect(sent.User.userName).toMatch(/@example\.com$/);
  });

  describe('and nothing /Schemas marks required is optional in fact', () => {
    const without = (body: Body, path: string): Body => {
      const [top, sub] = path.split('.');
      if (!sub) return Object.fromEntries(Object.entries(body).filter(([key]) => key !== top));
      const value = body[top];
      const strip = (item: Json) => Object.fromEntries(Object.entries(item as Body).filter(([key]) => key !== sub));
      return { ...body, [top]: Array.isArray(value) ? value.map(strip) : strip(value) };
    };

    it.each([
      ['User', 'userName'], ['User', 'name'], ['User', 'name.givenName'], ['User', 'name.familyName'], ['User', 'emails'], ['User', 'emails.value'],
      ['Group', 'displayName'],
    ])('a %s without %s is refused (400)', async (typeName, path) => {
      const client = scimClient(t, t.token, BASE);
      const discovered = await discover(client);
      const type = discovered.types.find((rt) => rt.name === typeName)!;
      const response = await client.post(type.endpoint, without(discovered.smallest(type), path));
      expect(response.status).toBe(400);
    });
  });
});
