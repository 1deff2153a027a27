import type { Filter } from '../../../src/scim/filter/ast';
import { ScimError } from '../../../src/scim/errors';
import type { AttributePath } from '../../../src/scim/path/attribute-path';
import { parseAttributePath, parsePatchPath } from '../../../src/scim/path/parse-path';
import type { PatchPath } from '../../../src/scim/path/patch-path';

// Builders keep the expected values as readable as the paths they come from.
const attr = (attribute: string, subAttribute?: string, schema?: string): AttributePath => ({
  ...(schema !== undefined && { schema }),
  attribute,
  ...(subAttribute !== undefined && { subAttribute }),
});
const eq = (attribute: string, value: string | number | boolean | null): Filter => ({
  kind: 'compare', path: attr(attribute), op: 'eq', value,
});
const and = (left: Filter, right: Filter): Filter => ({ kind: 'and', left, right });
const or = (left: Filter, right: Filter): Filter => ({ kind: 'or', left, right });
const not = (filter: Filter): Filter => ({ kind: 'not', filter });
const pr = (attribute: string): Filter => ({ kind: 'present', path: attr(attribute) });

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';

describe('parseAttributePath', () => {
  it.each<[string, AttributePath]>([
    ['userName', attr('userName')],
    ['name.familyName', attr('name', 'familyName')],
    ['members.$ref', attr('members', '$ref')],
    ['DisplayName', attr('DisplayName')],
    ['  emails.value  ', attr('emails', 'value')],
    [`${ENTERPRISE}:manager`, attr('manager', undefined, ENTERPRISE)],
    [`${ENTERPRISE}:manager.value`, attr('manager', 'value', ENTERPRISE)],
    [`${CORE}:name.givenName`, attr('name', 'givenName', CORE)],
  ])('%s', (text, expected) => {
    expect(parseAttributePath(text)).toStrictEqual(expected);
  });

  it.each<[string, string, RegExp]>([
    ['empty', '', /path is empty/],
    ['a value filter is not an attribute path', 'emails[type eq "work"]', /Expected the end of the path at position 6, but found "\["/],
    ['two paths', 'userName title', /Expected the end of the path at position 9, but found "title"/],
    ['too many dots', 'name.givenName.x', /Invalid attribute path "name.givenName.x" at position 0/],
    ['not an attribute name', '"userName"', /Expected an attribute path at position 0, but found "userName"/],
    ['schema without attribute', `${ENTERPRISE}:`, /Invalid attribute path/],
    ['schema that is not a URN', 'x:userName', /Invalid schema URN "x"/],
    ['stray character', 'user*Name', /Unexpected character "\*" at position 4/],
  ])('rejects %s: %s', (_case, text, detail) => {
    expectInvalidPath(() => parseAttributePath(text), detail);
  });
});

describe('parsePatchPath', () => {
  it.each<[string, PatchPath]>([
    ['userName', { attribute: attr('userName') }],
    ['name.familyName', { attribute: attr('name', 'familyName') }],
    [`${ENTERPRISE}:manager`, { attribute: attr('manager', undefined, ENTERPRISE) }],
    [`${CORE}:name.givenName`, { attribute: attr('name', 'givenName', CORE) }],
    ['members[value eq "2819c223"]', { attribute: attr('members'), valueFilter: eq('value', '2819c223') }],
    [
      'emails[type eq "work"].value',
      { attribute: attr('emails'), valueFilter: eq('type', 'work'), subAttribute: 'value' },
    ],
    [
      'emails[type eq "work" and primary eq true]',
      { attribute: attr('emails'), valueFilter: and(eq('type', 'work'), eq('primary', true)) },
    ],
    [
      'addresses[not (type eq "home") or formatted pr].locality',
      { attribute: attr('addresses'), valueFilter: or(not(eq('type', 'home')), pr('formatted')), subAttribute: 'locality' },
    ],
    ['members[$ref eq "x"].$ref', { attribute: attr('members'), valueFilter: eq('$ref', 'x'), subAttribute: '$ref' }],
    [
      `${ENTERPRISE}:manager[value EQ "1"]`,
      { attribute: attr('manager', undefined, ENTERPRISE), valueFilter: eq('value', '1') },
    ],
  ])('%s', (text, expected) => {
    expect(parsePatchPath(text)).toStrictEqual(expected);
  });

  // RFC 7644 §3.5.2: an unusable PATCH path, including a bad filter inside it, is invalidPath.
  it.each<[string, string, RegExp]>([
    ['empty', '', /path is empty/],
    ['only spaces', '  ', /path is empty/],
    ['empty brackets', 'members[]', /Empty brackets at position 7/],
    ['unclosed bracket', 'members[value eq "1"', /Missing "]" to close the "\[" at position 7/],
    ['unknown operator in the filter', 'members[value is "1"]', /Expected an operator .* after "value" at position 14, but found "is"/],
    ['missing value in the filter', 'members[value eq]', /Expected a value .* after "eq" at position 16, but found "]"/],
    ['unterminated string in the filter', 'members[value eq "1]', /Unterminated string starting at position 17/],
    ['nested brackets', 'emails[type[x eq 1]]', /value filters cannot be nested/],
    ['value filter after a sub-attribute', 'name.givenName[x eq 1]', /cannot follow the sub-attribute "name.givenName"/],
    ['a comparison after the sub-attribute', 'emails[type eq "work"].value eq "x"', /Expected the end of the path at position 29, but found "eq"/],
    ['missing sub-attribute after "."', 'emails[type eq "work"].', /Expected a sub-attribute name after "." at position 23, but the path ended/],
    ['sub-attribute with a dot', 'emails[type eq "work"].a.b', /Expected a sub-attribute name .* but found "a.b"/],
    ['trailing text after the brackets', 'emails[type eq "work"] x', /Expected "." or the end of the path at position 23, but found "x"/],
    ['trailing text after an attribute', 'userName x', /Expected "\[" or the end of the path at position 9/],
    ['stray closing bracket', 'userName]', /Unexpected "]" at position 8/],
  ])('rejects %s: %s', (_case, text, detail) => {
    expectInvalidPath(() => parsePatchPath(text), detail);
  });

  it('rejects paths longer than 10,000 characters', () => {
    expectInvalidPath(() => parsePatchPath(`members[value eq "${'x'.repeat(10_000)}"]`), /path is too long/);
  });
});

function expectInvalidPath(parse: () => unknown, detail: RegExp): void {
  let error: unknown;
  try {
    parse();
  } catch (caught) {
    error = caught;
  }
  expect(error).toBeInstanceOf(ScimError);
  expect(error).toMatchObject({ status: 400, scimType: 'invalidPath' });
  expect((error as ScimError).detail).toMatch(detail);
}
