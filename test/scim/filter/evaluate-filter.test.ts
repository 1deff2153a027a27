import { evaluateFilter, matchesElement } from '../../../src/scim/filter/evaluate-filter';
import { parseFilter } from '../../../src/scim/filter/parse-filter';
import { resolveFilter, resolveValueFilter } from '../../../src/scim/filter/resolve-filter';
import { loadSchemaRegistry } from '../../../src/scim/schema/registry';
import { resolveAttribute } from '../../../src/scim/schema/resolve-attribute';
import type { Json, JsonObject } from '../../../src/scim/values/json';

const registry = loadSchemaRegistry();
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

const matches = (text: string, resource: JsonObject) => evaluateFilter(resolveFilter(registry.user, parseFilter(text)), resource);

const bjensen: JsonObject = {
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE],
  id: 'b-1',
  externalId: 'AbC',
  userName: 'BJensen',
  name: { familyName: 'Jensen', givenName: 'Barbara' },
  nickName: '😀',
  active: false,
  emails: [
    { value: 'bjensen@example.com', type: 'work', primary: true },
    { value: 'babs@jensen.org', type: 'home' },
  ],
  [ENTERPRISE]: { department: 'Tour Operations', manager: { value: 'm-26118915' } },
  meta: { resourceType: 'User', created: '2011-08-01T19:29:49+01:00', lastModified: '2011-08-01T18:29:49.793Z' },
};

describe('evaluateFilter', () => {
  describe('decides each documented rule', () => {
    it.each<[string, string, JsonObject, boolean]>([
      // Any value of a multi-valued attribute may satisfy a comparison.
      ['any value of a multi-valued attribute', 'emails.value eq "babs@jensen.org"', bjensen, true],
      ['any value, by the complex attribute\'s value', 'emails co "jensen.org"', bjensen, true],
      ['no value satisfies', 'emails.value eq "nobody@example.com"', bjensen, false],
      // ne is exactly not eq.
      ['ne on a missing attribute', 'title ne "Boss"', bjensen, true],
      ['ne when one of several values is equal', 'emails.value ne "babs@jensen.org"', bjensen, false],
      ['ne when no value is equal', 'emails.value ne "x@y"', bjensen, true],
      ['ne null is presence', 'name ne null', bjensen, true],
      ['eq null on a missing attribute', 'title eq null', bjensen, true],
      // Case: folded unless caseExact.
      ['userName ignores case', 'userName eq "bjensen"', bjensen, true],
      ['userName sw ignores case', 'userName sw "BJ"', bjensen, true],
      ['externalId is caseExact', 'externalId eq "abc"', bjensen, false],
      ['externalId matches as written', 'externalId eq "AbC"', bjensen, true],
      ['id is caseExact', 'id eq "B-1"', bjensen, false],
      // Booleans.
      ['false equals false', 'active eq false', bjensen, true],
      ['false is not true', 'active eq true', bjensen, false],
      ['false is present', 'active pr', bjensen, true],
      // dateTimes as instants, even when the resource holds another zone.
      ['a stored +01:00 time equals its UTC instant', 'meta.created eq "2011-08-01T18:29:49Z"', bjensen, true],
      ['ordering across zones', 'meta.created lt "2011-08-01T20:00:00+01:00"', bjensen, true],
      ['milliseconds count', 'meta.lastModified gt "2011-08-01T18:29:49.792Z"', bjensen, true],
      ['milliseconds count, the other way', 'meta.lastModified gt "2011-08-01T18:29:49.793Z"', bjensen, false],
      // Strings order by code point, as UTF-8 databases order them.
      ['a character above U+FFFF sorts after U+FFFD', 'nickName gt "\\ufffd"', bjensen, true],
      ['a character above U+FFFF sorts after U+FFFF', 'nickName gt "\\uffff"', bjensen, true],
      ['a character above U+FFFF sorts before a higher one', 'nickName lt "\\ud83d\\ude01"', bjensen, true],
      ['a prefix sorts first', 'userName gt "bjen"', bjensen, true],
      ['ge on an equal folded string', 'userName ge "BJENSEN"', bjensen, true],
      ['le on an equal folded string', 'userName le "bjensen"', bjensen, true],
      // Value paths: one element satisfies the whole bracket filter.
      ['one element satisfies both conditions', 'emails[type eq "work" and value co "example"]', bjensen, true],
      ['the conditions hold on different elements only', 'emails[type eq "home" and value co "example"]', bjensen, false],
      ['the Entra form', 'emails[type eq "home"].value eq "BABS@jensen.org"', bjensen, true],
      // Extension attributes, qualified or not.
      ['an extension sub-attribute', `${ENTERPRISE}:manager.value eq "m-26118915"`, bjensen, true],
      ['an unqualified extension attribute', 'department sw "tour"', bjensen, true],
      ['an extension complex attribute by its value', 'manager eq "M-26118915"', bjensen, true],
    ])('%s: %s', (_, text, resource, expected) => {
      expect(matches(text, resource)).toBe(expected);
    });
  });

  describe('presence', () => {
    it.each<[string, JsonObject, boolean]>([
      ['title pr', { title: 'x' }, true],
      ['title pr', { title: '' }, false],
      ['title pr', { title: null }, false],
      ['title pr', {}, false],
      ['active pr', { active: false }, true],
      ['emails pr', { emails: [] }, false],
      ['emails pr', { emails: [{ type: 'work' }] }, false],
      ['emails pr', { emails: [{ value: '' }, { value: 'a@b' }] }, true],
      ['name pr', { name: {} }, false],
      ['name pr', { name: { givenName: '', familyName: null } }, false],
      ['name pr', { name: { givenName: 'B' } }, true],
      ['name eq null', { name: { givenName: '' } }, true],
    ])('%s over %j is %p', (text, resource, expected) => {
      expect(matches(text, resource)).toBe(expected);
    });
  });

  describe('never throws on data of an unexpected shape', () => {
    it.each<[string, JsonObject]>([
      ['userName eq "1"', { userName: 1 }],
      ['active eq true', { active: 'true' }],
      ['meta.created gt "2020-01-01"', { meta: { created: 'not a date' } }],
      ['emails[type eq "work"]', { emails: ['work'] }],
      ['emails.value eq "x"', { emails: 'x@y' }],
      ['name.givenName eq "x"', { name: 'x' }],
    ])('%s over %j does not match', (text, resource) => {
      expect(matches(text, resource)).toBe(false);
    });
  });

  it('reads attribute names in the resource case-insensitively', () => {
    expect(matches('userName eq "x"', { USERNAME: 'x' })).toBe(true);
    expect(matches('emails[TYPE eq "work"]', { Emails: [{ Type: 'Work' }] })).toBe(true);
  });
});

describe('matchesElement', () => {
  const emails = resolveAttribute(registry.user, { attribute: 'emails' })!;
  const members = resolveAttribute(registry.group, { attribute: 'members' })!;

  it('selects the elements of a multi-valued attribute that a PATCH value filter names', () => {
    const filter = resolveValueFilter(emails, parseFilter('type eq "work" or primary eq true'));
    const elements: Json[] = [
      { value: 'a@x', type: 'home', primary: true },
      { value: 'b@x', type: 'Work' },
      { value: 'c@x', type: 'other' },
      'not an object',
    ];
    expect(elements.filter((e) => matchesElement(filter, e, emails))).toEqual(elements.slice(0, 2));
  });

  it('compares member values exactly, since they are caseExact', () => {
    const filter = resolveValueFilter(members, parseFilter('value eq "Abc"'));
    expect(matchesElement(filter, { value: 'Abc' }, members)).toBe(true);
    expect(matchesElement(filter, { value: 'abc' }, members)).toBe(false);
  });
});
