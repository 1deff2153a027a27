import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { ScimError } from '../../../src/scim/errors';
import { parseFilter } from '../../../src/scim/filter/parse-filter';
import { resolveFilter, resolveValueFilter } from '../../../src/scim/filter/resolve-filter';
import type { ResolvedFilter } from '../../../src/scim/filter/resolved';
import { loadSchemaRegistry } from '../../../src/scim/schema/registry';
import { resolveAttribute } from '../../../src/scim/schema/resolve-attribute';

const registry = loadSchemaRegistry();
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

const resolveUser = (text: string) => resolveFilter(registry.user, parseFilter(text));
const resolveGroup = (text: string) => resolveFilter(registry.group, parseFilter(text));

/** The ScimError a resolution throws (fails the test if it does not throw one). */
function errorOf(resolve: () => unknown): ScimError {
  try {
    resolve();
  } catch (error) {
    if (error instanceof ScimError) return error;
    throw error;
  }
  throw new Error('expected the filter to be refused');
}

/** A compact, readable view of a resolved tree: paths as jsonPath text, values as resolved. */
function show(filter: ResolvedFilter): unknown {
  switch (filter.kind) {
    case 'compare': return [filter.attribute.jsonPath.join('.'), filter.op, filter.value];
    case 'present': return [filter.attribute.jsonPath.join('.'), 'pr'];
    case 'and':
    case 'or': return [filter.kind, show(filter.left), show(filter.right)];
    case 'not': return ['not', show(filter.filter)];
    case 'valuePath': return [`${filter.attribute.jsonPath.join('.')}[]`, show(filter.filter)];
  }
}

describe('resolveFilter', () => {
  describe('refuses with 400 invalidFilter and a detail that names the problem', () => {
    it.each<[string, RegExp]>([
      // Unknown attributes.
      ['nosuch eq "x"', /Unknown attribute "nosuch" for User resources/],
      ['name.nosuch eq "x"', /Unknown attribute "name\.nosuch"/],
      [`${ENTERPRISE}:nosuch eq "x"`, /Unknown attribute "urn:.*:enterprise:2\.0:User:nosuch"/],
      ['urn:example:params:2.0:User:userName eq "x"', /Unknown attribute "urn:example:params:2\.0:User:userName"/],
      ['userName eq "x" and nosuch pr', /Unknown attribute "nosuch"/],
      ['not (nosuch eq "x")', /Unknown attribute "nosuch"/],
      // Operators the type has no order or substring for.
      ['active gt true', /"gt" operator cannot be used with active, which is of type boolean/],
      ['active ge false', /"ge" operator cannot be used with active/],
      ['active lt true', /"lt" operator cannot be used with active/],
      ['active le true', /"le" operator cannot be used with active/],
      ['active co "t"', /"co" operator cannot be used with active/],
      ['emails[primary gt false]', /"gt" operator cannot be used with emails\.primary, which is of type boolean/],
      ['meta.created co "2021"', /"co" operator cannot be used with meta\.created, which is of type dateTime/],
      ['x509Certificates.value sw "MII"', /"sw" operator cannot be used with x509Certificates\.value, which is of type binary/],
      // Values of the wrong type.
      ['active eq "yes"', /active is a boolean: compare it with true or false, not "yes"/],
      ['active eq 1', /active is a boolean/],
      ['userName eq 42', /userName is a string: put the value in double quotes, as in userName eq "42"/],
      ['userName eq true', /userName is a string/],
      ['emails.value co 1', /emails\.value is a string/],
      ['meta.created gt "yesterday"', /meta\.created is a dateTime: compare it with a quoted date such as "2024-01-31T00:00:00Z", not "yesterday"/],
      ['meta.lastModified lt 20240101', /meta\.lastModified is a dateTime/],
      ['meta.created gt "2021-02-30"', /meta\.created is a dateTime/],
      ['meta.created gt "2021-13-01T00:00:00Z"', /meta\.created is a dateTime/],
      ['meta.created gt "2021-06-01 10:00:00"', /meta\.created is a dateTime/],
      // Attributes that cannot be filtered on.
      ['password eq "x"', /password is write-only and cannot be used in a filter/],
      ['password pr', /password is write-only/],
      ['password eq null', /password is write-only/],
      ['meta.location eq "x"', /meta\.location cannot be used in a filter/],
      ['meta.version eq "W/\\"1\\""', /meta\.version cannot be used in a filter/],
      ['meta eq "x"', /meta is complex: filter on meta\.created or meta\.lastModified/],
      ['meta pr', /meta is complex/],
      ['name eq "x"', /name is complex: filter on one of its sub-attributes, such as name\.formatted/],
      ['name co "Smith"', /name is complex/],
      [`${ENTERPRISE}:manager.nosuch eq "x"`, /Unknown attribute/],
      // Value filters must name a multi-valued complex attribute and its own sub-attributes.
      ['emails[foo eq 1]', /"foo" is not a sub-attribute of emails/],
      ['emails[name.givenName eq "x"]', /"name\.givenName" is not a sub-attribute of emails/],
      [`emails[${ENTERPRISE}:department eq "x"]`, /is not a sub-attribute of emails/],
      ['emails[type eq "work"].nosuch eq "x"', /"nosuch" is not a sub-attribute of emails/],
      ['emails[value eq 1]', /emails\.value is a string/],
      ['userName[type eq "x"]', /"userName\[\.\.\.\]" needs a multi-valued complex attribute such as emails/],
      ['name[givenName eq "x"]', /"name\[\.\.\.\]" needs a multi-valued complex attribute/],
      [`${ENTERPRISE}:manager[value eq "x"]`, /needs a multi-valued complex attribute/],
      ['nosuch[value eq "x"]', /Unknown attribute "nosuch"/],
      // null only means "no value", with eq or ne.
      ['title co null', /"co" operator cannot compare title with null: only eq null and ne null are allowed/],
      ['title gt null', /"gt" operator cannot compare title with null/],
      ['title sw null', /"sw" operator cannot compare title with null/],
      ['emails.value lt null', /"lt" operator cannot compare emails\.value with null/],
      ['name ew null', /"ew" operator cannot compare name with null/],
    ])('%s', (text, detail) => {
      const error = errorOf(() => resolveUser(text));
      expect(error.status).toBe(400);
      expect(error.scimType).toBe('invalidFilter');
      expect(error.detail).toMatch(detail);
    });

    it.each<[string, RegExp]>([
      ['userName eq "x"', /Unknown attribute "userName" for Group resources/],
      ['emails co "x"', /Unknown attribute "emails" for Group resources/],
      ['members.nosuch eq "x"', /Unknown attribute "members\.nosuch"/],
      ['members.value eq 5', /members\.value is a string/],
      ['members[value gt true]', /members\.value is a string/],
      ['displayName[value eq "x"]', /needs a multi-valued complex attribute/],
    ])('on Groups: %s', (text, detail) => {
      const error = errorOf(() => resolveGroup(text));
      expect(error.status).toBe(400);
      expect(error.scimType).toBe('invalidFilter');
      expect(error.detail).toMatch(detail);
    });
  });

  describe('binds paths to canonical attributes and types every value', () => {
    it.each<[string, unknown]>([
      ['USERNAME EQ "Bjensen"', ['userName', 'eq', 'Bjensen']],
      ['name.FAMILYNAME sw "J"', ['name.familyName', 'sw', 'J']],
      [`${ENTERPRISE.toLowerCase()}:DEPARTMENT eq "x"`, [`${ENTERPRISE}.department`, 'eq', 'x']],
      ['department eq "x"', [`${ENTERPRISE}.department`, 'eq', 'x']],
      [`${ENTERPRISE}:manager eq "m1"`, [`${ENTERPRISE}.manager.value`, 'eq', 'm1']],
      ['urn:ietf:params:scim:schemas:core:2.0:User:userName eq "x"', ['userName', 'eq', 'x']],
      // A complex attribute without a sub-attribute means its value.
      ['emails co "x"', ['emails.value', 'co', 'x']],
      ['emails pr', ['emails.value', 'pr']],
      ['groups eq "g1"', ['groups.value', 'eq', 'g1']],
      // Booleans from literals or strings.
      ['active eq true', ['active', 'eq', true]],
      ['active eq "TRUE"', ['active', 'eq', true]],
      ['active ne "false"', ['active', 'ne', false]],
      // dateTimes as UTC instants.
      ['meta.created gt "2020-01-01T01:00:00+01:00"', ['meta.created', 'gt', '2020-01-01T00:00:00.000Z']],
      ['meta.created ge "2020-01-01"', ['meta.created', 'ge', '2020-01-01T00:00:00.000Z']],
      ['meta.created lt "2020-01-01T10:30"', ['meta.created', 'lt', '2020-01-01T10:30:00.000Z']],
      ['meta.lastModified le "2020-06-30T23:59:59.5-02:00"', ['meta.lastModified', 'le', '2020-07-01T01:59:59.500Z']],
      ['meta.created eq "2024-02-29T00:00:00z"', ['meta.created', 'eq', '2024-02-29T00:00:00.000Z']],
      // null is presence.
      ['title eq null', ['not', ['title', 'pr']]],
      ['title ne null', ['title', 'pr']],
      ['name pr', ['name', 'pr']],
      ['name eq null', ['not', ['name', 'pr']]],
      [`${ENTERPRISE}:manager pr`, [`${ENTERPRISE}.manager`, 'pr']],
      // Value paths bind their inner paths to sub-attributes; the Entra form joins the bracket filter.
      ['emails[TYPE eq "work" and primary eq "true"]', ['emails[]', ['and', ['emails.type', 'eq', 'work'], ['emails.primary', 'eq', true]]]],
      ['emails[type eq "work"].value eq "a@b"', ['emails[]', ['and', ['emails.type', 'eq', 'work'], ['emails.value', 'eq', 'a@b']]]],
      ['not (title pr or active eq false)', ['not', ['or', ['title', 'pr'], ['active', 'eq', false]]]],
    ])('%s', (text, expected) => {
      expect(show(resolveUser(text))).toEqual(expected);
    });

    it('binds group members, whose value is caseExact', () => {
      const resolved = resolveGroup('members.value eq "ABC"');
      expect(show(resolved)).toEqual(['members.value', 'eq', 'ABC']);
      expect(resolved.kind === 'compare' && resolved.attribute.sub?.caseExact).toBe(true);
    });

    it('never reads a zone-less time as server-local time, whatever the server time zone', () => {
      // Jest gives each test file its own process.env, so the zone is set for a child process.
      const source = readFileSync(join(__dirname, '../../../src/scim/values/date-time.ts'), 'utf8');
      const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
      const inputs = ['2021-06-01t00:00:00', '2021-06-01T00:00:00', '2021-06-01T00:00', '2021-06-01'];
      const program = `const exports = {};\n${js}\nconsole.log(JSON.stringify(${JSON.stringify(inputs)}.map(exports.parseDateTime)), new Date(2021, 5, 1).getTimezoneOffset());`;
      const output = execFileSync(process.execPath, ['-e', program], { env: { ...process.env, TZ: 'America/New_York' }, encoding: 'utf8' });
      const [parsed, offset] = output.trim().split(' ');
      expect(Number(offset)).toBe(240);
      expect(JSON.parse(parsed)).toEqual(inputs.map(() => '2021-06-01T00:00:00.000Z'));
    });
  });

  describe('resolveValueFilter (PATCH paths)', () => {
    const emails = resolveAttribute(registry.user, { attribute: 'emails' })!;

    it('binds the bracket filter of a PATCH path to sub-attributes of the attribute', () => {
      expect(show(resolveValueFilter(emails, parseFilter('type eq "work" and value co "@x"'))))
        .toEqual(['and', ['emails.type', 'eq', 'work'], ['emails.value', 'co', '@x']]);
    });

    it('refuses a name that is not a sub-attribute', () => {
      const error = errorOf(() => resolveValueFilter(emails, parseFilter('userName eq "x"')));
      expect(error.scimType).toBe('invalidFilter');
      expect(error.detail).toMatch(/"userName" is not a sub-attribute of emails/);
    });
  });
});
