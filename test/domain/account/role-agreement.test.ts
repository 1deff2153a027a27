import { refusal } from '../../support/refusal';
import { ACCOUNT_URN } from '../../../src/domain/account/account';
import type { WriteKind } from '../../../src/domain/account/account-rules';
import { agreedRoles } from '../../../src/domain/account/role-agreement';
import type { JsonObject } from '../../../src/scim/values/json';

/**
 * Core `roles` and the Account extension's `roles` are one concept: a write may change either,
 * and the side it changed decides; both changed must agree. An absent side means nothing in a
 * POST, "keep" in a PUT and "removed" in a PATCH (whose draft carries the current values).
 */
const core = (...values: string[]) => values.map((value) => ({ value }));
/** A user's attributes with core roles and/or Account roles; undefined leaves the side out. */
const user = (coreRoles?: JsonObject[], accountRoles?: string[]): JsonObject => ({
  userName: 'ada',
  ...(coreRoles ? { roles: coreRoles } : {}),
  [ACCOUNT_URN]: { accountType: 'ConfigAdmin', ...(accountRoles ? { roles: accountRoles } : {}) },
});
const agreeing = (...values: string[]) => user(core(...values), values);

describe('which roles a write gives the account', () => {
  type Row = [string, JsonObject | undefined, JsonObject, WriteKind, string[]];
  it.each<Row>([
    ['POST with core roles only', undefined, user(core('audit', 'billing')), 'create', ['audit', 'billing']],
    ['POST with Account roles only', undefined, user(undefined, ['audit']), 'create', ['audit']],
    ['POST with both, naming the same roles in another order', undefined, user(core('b', 'a'), ['a', 'b']), 'create', ['a', 'b']],
    ["POST with Entra's roles: [] beside Account roles", undefined, user([], ['audit']), 'create', ['audit']],
    ['POST with neither', undefined, user(), 'create', []],
    ['PUT changing core roles, echoing the old Account roles', agreeing('audit'), user(core('audit', 'billing'), ['audit']), 'replace', ['audit', 'billing']],
    ['PUT changing Account roles, echoing the old core roles', agreeing('audit'), user(core('audit'), ['billing']), 'replace', ['billing']],
    ['PUT leaving both out (keeps them)', agreeing('audit'), user(), 'replace', ['audit']],
    ['PUT with core roles: [] (clears them)', agreeing('audit'), user([]), 'replace', []],
    ['PUT with Account roles: [] (clears them)', agreeing('audit'), user(undefined, []), 'replace', []],
    ['PATCH adding a core role', agreeing('audit'), user(core('audit', 'billing'), ['audit']), 'patch', ['audit', 'billing']],
    ['PATCH adding an Account role', agreeing('audit'), user(core('audit'), ['audit', 'billing']), 'patch', ['audit', 'billing']],
    ['PATCH removing the core roles', agreeing('audit', 'billing'), user(undefined, ['audit', 'billing']), 'patch', []],
    ['PATCH removing the Account roles', agreeing('audit', 'billing'), user(core('audit', 'billing')), 'patch', []],
    ['PATCH changing both alike', agreeing('audit'), user(core('billing'), ['billing']), 'patch', ['billing']],
    ['PATCH changing only a display (no role changes)', agreeing('audit'), user([{ value: 'audit', display: 'Audit' }], ['audit']), 'patch', ['audit']],
    ['a write to a user stored with the sides apart (before they were kept in agreement): their union', user(core('x'), ['audit']), user(core('x'), ['audit']), 'patch', ['audit', 'x']],
    ['names trimmed and each once', undefined, user(core(' audit', 'audit ', 'billing')), 'create', ['audit', 'billing']],
  ])('%s', (_label, current, draft, kind, expected) => {
    expect(agreedRoles(current, draft, kind).roles).toEqual(expected);
  });
});

describe('refused', () => {
  it('a write changing both sides differently: 400 invalidValue naming both', () => {
    const error = refusal(() => agreedRoles(agreeing('audit'), user(core('billing'), ['support']), 'patch'), 400, 'invalidValue');
    expect(error.detail).toBe('roles and the Account extension\'s roles are the same roles, but this request changes both differently '
      + '(roles values: "billing"; Account roles: "support"): change one of them, or both alike');
  });

  it('a POST stating both differently', () => {
    refusal(() => agreedRoles(undefined, user(core('a'), ['b']), 'create'), 400, 'invalidValue');
  });

  it('names at most five roles of each side in the detail', () => {
    const many = Array.from({ length: 8 }, (_, i) => `r${i}`);
    const { detail } = refusal(() => agreedRoles(undefined, user(core(...many), ['other']), 'create'), 400, 'invalidValue');
    expect(detail).toContain('"r0", "r1", "r2", "r3", "r4" and 3 more');
  });

  it('a core role without a value: 400 invalidValue naming the entry', () => {
    const error = refusal(() => agreedRoles(undefined, user([{ value: 'a' }, { display: 'Admin' }]), 'create'), 400, 'invalidValue');
    expect(error.detail).toBe('roles[1] has no value: each role is named by its value, e.g. {"value": "audit"}');
  });

  it('but one the user was stored with is dropped, not refused: it names no role', () => {
    const stored = user([{ display: 'legacy' }, { value: 'audit' }], ['audit']);
    expect(agreedRoles(stored, stored, 'patch').roles).toEqual(['audit']);
  });
});
