import { refusal } from '../../support/refusal';
import { EVENT_TYPES } from '../../../src/domain/events/event-types';
import { MAX_TYPE_PATTERNS, parseTypePatterns, typeMatcher } from '../../../src/domain/events/type-pattern';

/**
 * A webhook subscribes, and a feed query filters, by a list of event type patterns: a type of
 * the catalogue, `*`, or a prefix ending in `*`. A pattern that selects nothing is a typo and
 * is refused with a sentence that says what would have been right.
 */
const detailOf = (patterns: unknown) => refusal(() => parseTypePatterns(patterns), 400, 'invalidValue').detail;

describe('parseTypePatterns accepts', () => {
  it.each([
    [['user.created'], ['user.created']],
    [['*'], ['*']],
    [['user.*'], ['user.*']],
    [['group.member_*'], ['group.member_*']],
    [['user.*', 'group.member_*', 'token.revoked'], ['user.*', 'group.member_*', 'token.revoked']],
    [['user.deactivated', 'user.deleted'], ['user.deactivated', 'user.deleted']],
    [['u*'], ['u*']],
  ])('%j as %j', (given, parsed) => {
    expect(parseTypePatterns(given)).toEqual(parsed);
  });

  it('trims, lower-cases and drops duplicates, keeping the first order', () => {
    expect(parseTypePatterns([' User.Deactivated ', 'group.*', 'user.deactivated'])).toEqual(['user.deactivated', 'group.*']);
  });

  it(`up to ${MAX_TYPE_PATTERNS} patterns`, () => {
    const types = EVENT_TYPES.map((t) => t.type);
    const fifty = Array.from({ length: MAX_TYPE_PATTERNS }, (_, i) => types[i % types.length]);
    expect(parseTypePatterns(fifty)).toEqual(types);
  });
});

describe('parseTypePatterns refuses', () => {
  it.each([
    ['a string instead of a list', 'user.*', /must be given as a list of patterns such as "user\.\*"/],
    ['nothing', undefined, /must be given as a list/],
    ['an empty list', [], /Give at least one event type pattern/],
    ['a number in the list', [42], /must be a string .* not 42/],
    ['an empty pattern', ['  '], /cannot be empty/],
    ['a star inside a pattern', ['user.*.x'], /"user\.\*\.x" has a "\*" before its end/],
    ['a suffix pattern', ['*.created'], /may only end a pattern/],
    ['an unknown type of a known resource', ['user.create'], /"user\.create" matches no event type: the user events are user\.created, user\.updated, .*user\.erased \(or "user\.\*" for all of them\)/],
    ['an unknown resource', ['account.*'], /"account\.\*" matches no event type: event types start with user\., group\., token\., tenant\., webhook\., client\./],
    ['a prefix that selects nothing', ['group.members_*'], /"group\.members_\*" matches no event type: the group events are .*group\.member_added/],
  ])('%s', (_, given, message) => {
    expect(detailOf(given)).toMatch(message);
  });

  it(`more than ${MAX_TYPE_PATTERNS} patterns, saying how many were given`, () => {
    expect(detailOf(Array.from({ length: MAX_TYPE_PATTERNS + 1 }, () => 'user.*'))).toMatch(/At most 50 event type patterns may be given, not 51/);
  });

  it('a long pattern, quoting only its start', () => {
    const detail = detailOf([`user.${'x'.repeat(5000)}`]);
    expect(detail.length).toBeLessThan(400);
    expect(detail).toContain('...');
  });
});

describe('typeMatcher', () => {
  const matching = (patterns: string[]) => EVENT_TYPES.map((t) => t.type).filter(typeMatcher(patterns));

  it.each([
    [['*'], EVENT_TYPES.map((t) => t.type)],
    [['user.deactivated'], ['user.deactivated']],
    [['group.member_*'], ['group.member_added', 'group.member_removed']],
    [['token.*', 'user.deleted'], ['user.deleted', 'token.created', 'token.revoked', 'token.deleted']],
    [['tenant.*'], ['tenant.created', 'tenant.updated']],
  ])('%j selects %j', (patterns, selected) => {
    expect(matching(patterns)).toEqual(selected);
  });

  it('compares types exactly: a type that merely starts like an exact pattern is not selected', () => {
    expect(typeMatcher(['user.created'])('user.created.v2')).toBe(false);
  });
});
