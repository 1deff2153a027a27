import { refusal } from '../../support/refusal';
import type { AccountState, Status } from '../../../src/domain/account/account';
import { leaveOneTimeCompletion, type LeavingRequest } from '../../../src/domain/account/one-time-completion';

/**
 * 004: a OneTimeCompletion account that changes type goes to Created or Pending, as the request
 * says; an Active one is never deactivated without being told. (How a PUT or PATCH becomes a
 * request is applyAccountRules' job, tested in account-rules.test.ts.)
 */
const NOW = '2030-06-01T12:00:00.000Z';
const EARLIER = '2020-01-01T00:00:00.000Z';
const account = (status: Status): AccountState => ({
  status, active: status === 'Active', accountType: 'OneTimeCompletion',
  ...(status === 'Active' || status === 'Inactive' ? { activatedAt: EARLIER } : {}),
  ...(status === 'Inactive' ? { deactivatedAt: EARLIER } : {}),
});
const ask = (request: Partial<LeavingRequest> = {}): LeavingRequest => ({ keepsActive: false, ...request });

describe('leaving OneTimeCompletion', () => {
  it.each([
    ...(['Created', 'Pending', 'Active', 'Inactive'] as Status[]).flatMap((from) => [
      [from, 'status Created', ask({ status: 'Created' }), 'Created'],
      [from, 'status Pending', ask({ status: 'Pending' }), 'Pending'],
    ]),
    ['Active', 'active: true stated in a PUT', ask({ keepsActive: true }), 'Active'],
    ['Pending', 'active: true', ask({ active: true }), 'Active'],
    ['Inactive', 'active: true', ask({ active: true }), 'Active'],
    ['Active', 'active: false', ask({ active: false }), 'Created'],
    ['Created', 'nothing', ask(), 'Created'],
    ['Pending', 'nothing', ask(), 'Created'],
    ['Inactive', 'nothing', ask(), 'Created'],
  ] as [Status, string, LeavingRequest, Status][])('from %s, asking %s, ends %s', (from, _label, request, to) => {
    const before = account(from);
    const lifecycle = leaveOneTimeCompletion(before, request, 'Internal', NOW);
    expect([lifecycle.status, lifecycle.active]).toEqual([to, to === 'Active']);
    if (to !== 'Active') expect([lifecycle.activatedAt, lifecycle.deactivatedAt]).toEqual([before.activatedAt, before.deactivatedAt]);
    else if (from !== 'Active') expect(lifecycle.activatedAt).toBe(NOW);
  });

  it.each([
    ['an Active account asked nothing', account('Active'), ask(), 'say which in the same request'],
    ['status Inactive', account('Active'), ask({ status: 'Inactive' }), 'not Inactive'],
    ['status Pending beside active: true', account('Created'), ask({ status: 'Pending', active: true }), 'contradicts'],
    ['status Active from Created (not a transition the rules allow)', account('Created'), ask({ status: 'Active' }), 'status cannot change from Created to Active'],
  ] as [string, AccountState, LeavingRequest, string][])('refuses %s: 400 invalidValue', (_label, before, request, mention) => {
    expect(refusal(() => leaveOneTimeCompletion(before, request, 'ConfigAdmin', NOW), 400, 'invalidValue').detail).toContain(mention);
  });
});
