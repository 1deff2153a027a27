import type { AttributeDefinition } from '../../../src/scim/schema/definitions';
import { loadSchemaRegistry } from '../../../src/scim/schema/registry';
import { lenientResource, lenientValue, takesBareValue } from '../../../src/scim/values/idp-leniency';
import type { Json } from '../../../src/scim/values/json';

const registry = loadSchemaRegistry();
const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';

const core = (name: string) => registry.user.core.attributes.find((a) => a.name === name)!;
const enterprise = (name: string) => registry.user.extensions.find((e) => e.schema.id === ENT)!.schema.attributes.find((a) => a.name === name)!;
const attribute = (overrides: Partial<AttributeDefinition>): AttributeDefinition => ({
  name: 'x', type: 'string', multiValued: false, required: false, mutability: 'readWrite', returned: 'default', ...overrides,
});

describe('booleans sent as strings (Entra without aadOptscim062020)', () => {
  it.each<[Json, boolean]>([['True', true], ['False', false], ['true', true], ['false', false], ['TRUE', true], ['fAlSe', false]])(
    'reads %j for a boolean attribute as %j', (sent, expected) => {
      expect(lenientValue(core('active'), sent)).toBe(expected);
    });

  it.each<Json>(['yes', '1', '', ' true', 'True ', 'truthy'])('leaves %j for the validator to refuse', (sent) => {
    expect(lenientValue(core('active'), sent)).toBe(sent);
  });

  it('never converts a string attribute that holds "True"', () => {
    expect(lenientValue(core('title'), 'True')).toBe('True');
    expect(lenientValue(core('emails'), [{ value: 'True', type: 'False', display: 'true' }])).toEqual([{ value: 'True', type: 'False', display: 'true' }]);
  });

  it('reads the primary sub-attribute of every element of a multi-valued attribute, keys in any case', () => {
    expect(lenientValue(core('emails'), [{ value: 'a@x.y', primary: 'True' }, { value: 'b@x.y', Primary: 'false' }]))
      .toEqual([{ value: 'a@x.y', primary: true }, { value: 'b@x.y', Primary: false }]);
  });

  it('reads a single element given for a multi-valued attribute', () => {
    expect(lenientValue(core('phoneNumbers'), { value: '+1', primary: 'TRUE' })).toEqual({ value: '+1', primary: true });
  });

  it('reads booleans of any schema, also multi-valued ones', () => {
    expect(lenientValue(attribute({ type: 'boolean', multiValued: true }), ['True', false, 'false'])).toEqual([true, false, false]);
  });

  it('leaves real booleans, numbers and nulls alone', () => {
    expect(lenientValue(core('active'), true)).toBe(true);
    expect(lenientValue(core('active'), 1)).toBe(1);
    expect(lenientValue(core('emails'), [{ value: 'a@x.y', primary: null }])).toEqual([{ value: 'a@x.y', primary: null }]);
  });
});

describe('a bare string for a singular complex attribute with a value sub-attribute (Entra manager)', () => {
  it('is {value: string}', () => {
    expect(lenientValue(enterprise('manager'), '26118915-6090-4610-87e4-49d8ca9f808d')).toEqual({ value: '26118915-6090-4610-87e4-49d8ca9f808d' });
  });

  it.each(['', '   '])('%j means no value (null)', (sent) => {
    expect(lenientValue(enterprise('manager'), sent)).toBeNull();
  });

  it('leaves an object as it is', () => {
    expect(lenientValue(enterprise('manager'), { value: 'm', $ref: 'https://x/Users/m' })).toEqual({ value: 'm', $ref: 'https://x/Users/m' });
  });

  it('applies only where the schema has such an attribute', () => {
    expect(takesBareValue(enterprise('manager'))).toBe(true);
    expect(takesBareValue(core('name'))).toBe(false); // complex, but no value sub-attribute
    expect(takesBareValue(core('emails'))).toBe(false); // multi-valued
    expect(lenientValue(core('name'), 'Ann')).toBe('Ann');
    expect(lenientValue(core('emails'), ['a@x.y'])).toEqual(['a@x.y']);
  });
});

describe('lenientResource: a whole POST/PUT body', () => {
  it('reads core, extension and URN-qualified keys, in any case, and leaves the rest alone', () => {
    const body = {
      schemas: [USER, 'urn:unknown:schema'],
      userName: 'True',
      Active: 'False',
      EMAILS: [{ value: 'a@x.y', primary: 'True' }],
      [ENT]: { Manager: 'm-1', department: 'True' },
      [`${ENT}:manager`]: 'm-2',
      [`${USER}:active`]: 'true',
      shoeSize: 'True',
      'urn:unknown:schema': { flag: 'True' },
      nickName: null,
    };
    expect(lenientResource(registry.user, body)).toEqual({
      schemas: [USER, 'urn:unknown:schema'],
      userName: 'True',
      Active: false,
      EMAILS: [{ value: 'a@x.y', primary: true }],
      [ENT]: { Manager: { value: 'm-1' }, department: 'True' },
      [`${ENT}:manager`]: { value: 'm-2' },
      [`${USER}:active`]: true,
      shoeSize: 'True',
      'urn:unknown:schema': { flag: 'True' },
      nickName: null,
    });
  });

  it('turns an empty manager into null, which the validator drops as unassigned', () => {
    expect(lenientResource(registry.user, { [ENT]: { manager: '' } })).toEqual({ [ENT]: { manager: null } });
  });

  it('does not touch the input', () => {
    const body = { active: 'True', emails: [{ value: 'a@x.y', primary: 'True' }] };
    lenientResource(registry.user, body);
    expect(body).toEqual({ active: 'True', emails: [{ value: 'a@x.y', primary: 'True' }] });
  });

  it('leaves keys that are no attribute path at all', () => {
    expect(lenientResource(registry.user, { 'not a path!': 'True', '': 'x' })).toEqual({ 'not a path!': 'True', '': 'x' });
  });
});
