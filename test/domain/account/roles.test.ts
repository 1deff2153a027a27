import { refusal } from '../../support/refusal';
import { ACCOUNT_TYPES, type AccountType } from '../../../src/domain/account/account';
import { checkRoles } from '../../../src/domain/account/roles';
import { ScimError } from '../../../src/scim/errors';

const refusal400 = (run: () => unknown) => refusal(run, 400, 'invalidValue');

/**
 * Rule 3: roles belong to ConfigAdmin accounts only, at most MAX_ROLES distinct ones; duplicates
 * are dropped; a ConfigAdmin with roles that changes type must give its roles up in the same
 * request. Roles an account was stored with before a rule covered them stay until the type
 * changes or a role is added.
 */

const many = (n: number) => Array.from({ length: n }, (_, i) => `role-${i + 1}`);

describe('roles', () => {
  describe('allowed', () => {
    it.each([
      ['no roles, on any type', [], 'Internal', 25, []],
      ['roles on a ConfigAdmin', ['audit', 'billing'], 'ConfigAdmin', 25, ['audit', 'billing']],
      ['exactly the maximum', many(3), 'ConfigAdmin', 3, many(3)],
      ['duplicates, which are dropped keeping the first of each', ['audit', 'billing', 'audit', 'billing'], 'ConfigAdmin', 25, ['audit', 'billing']],
      ['more names than the maximum when duplicates bring them down to it', ['a', 'b', 'c', 'a', 'b'], 'ConfigAdmin', 3, ['a', 'b', 'c']],
      ['names with surrounding blanks, which are trimmed (and then deduplicated)', [' audit ', 'audit'], 'ConfigAdmin', 25, ['audit']],
      ['names differing only in case, which are different roles', ['Audit', 'audit'], 'ConfigAdmin', 25, ['Audit', 'audit']],
    ] as [string, string[], AccountType, number, string[]][])('%s', (_label, roles, type, max, expected) => {
      expect(checkRoles(roles, type, undefined, max)).toEqual(expected);
    });

    it('lets a ConfigAdmin become another type once its roles are cleared', () => {
      expect(checkRoles([], 'Internal', 'ConfigAdmin', 25)).toEqual([]);
    });
  });

  describe('refused', () => {
    it.each([[25, 26], [3, 4], [0, 1]])('more than the maximum of %i distinct roles (%i): the detail gives both numbers', (max, count) => {
      const error = refusal400(() => checkRoles(many(count), 'ConfigAdmin', 'ConfigAdmin', max));
      expect(error.detail).toBe(`An account can have at most ${max} roles; this request gives it ${count}`);
    });

    it.each(ACCOUNT_TYPES.filter((t) => t !== 'ConfigAdmin'))('roles on a %s account: the detail says only ConfigAdmin accounts have roles', (type) => {
      const error = refusal400(() => checkRoles(['audit'], type, type, 25));
      expect(error.detail).toBe(`Only ConfigAdmin accounts have roles; this account is ${type}`);
    });

    it.each(ACCOUNT_TYPES.filter((t) => t !== 'ConfigAdmin'))('a ConfigAdmin with roles made %s without clearing them: the detail says to clear them in the same request', (type) => {
      const error = refusal400(() => checkRoles(['audit'], type, 'ConfigAdmin', 25));
      expect(error.detail).toContain(`to make this account ${type}, also clear its roles`);
      expect(error.detail).toContain('in the same request');
    });

    it.each([[''], ['   ']])('an empty role name (%j)', (name) => {
      expect(refusal400(() => checkRoles(['audit', name], 'ConfigAdmin', undefined, 25)).detail).toContain('empty role name');
    });

    it('a role added to stored roles that already break a rule', () => {
      expect(refusal400(() => checkRoles(['x', 'new'], 'Internal', 'Internal', 25, ['x'])).detail).toBe('Only ConfigAdmin accounts have roles; this account is Internal');
    });

    it('stored roles that break a rule, when the type changes', () => {
      expect(refusal400(() => checkRoles(many(4), 'SuperAdmin', 'ConfigAdmin', 3, many(4))).detail).toContain('at most 3 roles');
    });
  });

  describe('stored before a rule covered them (core roles, a lowered MAX_ROLES)', () => {
    it.each([
      ['roles on an Internal account, kept as they are', ['x', 'y'], 'Internal', 25, ['x', 'y'], ['x', 'y']],
      ['roles on an Internal account, one removed', ['x'], 'Internal', 25, ['x', 'y'], ['x']],
      ['more than the maximum, kept', many(5), 'ConfigAdmin', 3, many(5), many(5)],
      ['more than the maximum, one removed but still more', many(4), 'ConfigAdmin', 3, many(5), many(4)],
    ] as [string, string[], AccountType, number, string[], string[]][])('are allowed while the type stays and no role is added: %s', (_label, roles, type, max, stored, expected) => {
      expect(checkRoles(roles, type, type, max, stored)).toEqual(expected);
    });
  });

  describe('never', () => {
    it.each([[''], ['   ']])('an empty role name (%j), even among stored ones', (name) => {
      expect(refusal400(() => checkRoles(['audit', name], 'ConfigAdmin', 'ConfigAdmin', 25, ['audit', name])).detail).toContain('empty role name');
    });
  });
});
