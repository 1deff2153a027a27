import { refusal } from '../../support/refusal';
import { ScimError } from '../../../src/scim/errors';
import type { AccountState, Status } from '../../../src/domain/account/account';
import { currentStatus, initialLifecycle, nextLifecycle, type Lifecycle, type LifecycleRequest } from '../../../src/domain/account/lifecycle';

/**
 * Rule 1: status and `active` always agree; a new account is Active at once unless created with
 * active: false; `active` moves an account to Active from anywhere, or from Active to Inactive;
 * status written directly follows Created → Pending → Active, Active ↔ Inactive,
 * Created/Pending → Inactive.
 */
const NOW = '2030-06-01T12:00:00.000Z';
const ACTIVATED = '2020-01-01T00:00:00.000Z';
const DEACTIVATED = '2021-01-01T00:00:00.000Z';

/** Each status as stored, with the timestamps an account in it would have. */
const ACCOUNTS: Record<Status, AccountState> = {
  Created: { status: 'Created', active: false },
  Pending: { status: 'Pending', active: false },
  Active: { status: 'Active', active: true, activatedAt: ACTIVATED },
  Inactive: { status: 'Inactive', active: false, activatedAt: ACTIVATED, deactivatedAt: DEACTIVATED },
};


const expectInvalidValue = (run: () => unknown, ...mentions: string[]) => {
  const error = refusal(run);
  expect(error.status).toBe(400);
  expect(error.scimType).toBe('invalidValue');
  expect(error.detail).toMatch(/^[A-Za-z].{20,}/);
  for (const text of mentions) expect(error.detail).toContain(text);
  return error;
};

describe('a new account (initialLifecycle)', () => {
  type Row = [string, LifecycleRequest, Lifecycle];
  const rows: Row[] = [
    ['without active (SSO onboarding: no activation step)', {}, { status: 'Active', active: true, activatedAt: NOW, deactivatedAt: undefined }],
    ['with active: true', { active: true }, { status: 'Active', active: true, activatedAt: NOW, deactivatedAt: undefined }],
    ['with active: false', { active: false }, { status: 'Created', active: false, activatedAt: undefined, deactivatedAt: undefined }],
    ['with status Pending', { status: 'Pending' }, { status: 'Pending', active: false, activatedAt: undefined, deactivatedAt: undefined }],
    ['with status Created and active: false', { status: 'Created', active: false }, { status: 'Created', active: false, activatedAt: undefined, deactivatedAt: undefined }],
    ['with status Active and active: true', { status: 'Active', active: true }, { status: 'Active', active: true, activatedAt: NOW, deactivatedAt: undefined }],
    ['with status Inactive', { status: 'Inactive' }, { status: 'Inactive', active: false, activatedAt: undefined, deactivatedAt: NOW }],
  ];

  it.each(rows)('created %s', (_label, request, expected) => {
    expect(initialLifecycle(request, NOW)).toEqual(expected);
  });

  it.each([
    [{ active: true, status: 'Created' }],
    [{ active: true, status: 'Pending' }],
    [{ active: true, status: 'Inactive' }],
    [{ active: false, status: 'Active' }],
  ] as [LifecycleRequest][])('refuses a new account whose active and status contradict each other: %j', (request) => {
    expectInvalidValue(() => initialLifecycle(request, NOW), `active: ${request.active}`, `"${request.status}"`, 'contradicts');
  });
});

describe('a change of an existing account (nextLifecycle)', () => {
  /** The full table: every status × every request → the resulting status and timestamps, or the refusal. */
  type Outcome = { to: Status; activatedAt?: string; deactivatedAt?: string } | { refused: string };
  const kept = { Created: {}, Pending: {}, Active: { activatedAt: ACTIVATED }, Inactive: { activatedAt: ACTIVATED, deactivatedAt: DEACTIVATED } };
  const requests: [string, LifecycleRequest][] = [
    ['nothing', {}],
    ['active: true', { active: true }],
    ['active: false', { active: false }],
    ['status Created', { status: 'Created' }],
    ['status Pending', { status: 'Pending' }],
    ['status Active', { status: 'Active' }],
    ['status Inactive', { status: 'Inactive' }],
    ['active: true with status Active', { active: true, status: 'Active' }],
    ['active: false with status Inactive', { active: false, status: 'Inactive' }],
  ];
  const table: Record<Status, Outcome[]> = {
    // One outcome per request above, in the same order.
    Created: [{ to: 'Created' }, { to: 'Active', activatedAt: NOW }, { to: 'Created' }, { to: 'Created' }, { to: 'Pending' }, { refused: 'Pending or Inactive' }, { to: 'Inactive', deactivatedAt: NOW }, { to: 'Active', activatedAt: NOW }, { to: 'Inactive', deactivatedAt: NOW }],
    Pending: [{ to: 'Pending' }, { to: 'Active', activatedAt: NOW }, { to: 'Pending' }, { refused: 'Active or Inactive' }, { to: 'Pending' }, { to: 'Active', activatedAt: NOW }, { to: 'Inactive', deactivatedAt: NOW }, { to: 'Active', activatedAt: NOW }, { to: 'Inactive', deactivatedAt: NOW }],
    Active: [{ to: 'Active', ...kept.Active }, { to: 'Active', ...kept.Active }, { to: 'Inactive', activatedAt: ACTIVATED, deactivatedAt: NOW }, { refused: 'only become Inactive' }, { refused: 'only become Inactive' }, { to: 'Active', ...kept.Active }, { to: 'Inactive', activatedAt: ACTIVATED, deactivatedAt: NOW }, { to: 'Active', ...kept.Active }, { to: 'Inactive', activatedAt: ACTIVATED, deactivatedAt: NOW }],
    Inactive: [{ to: 'Inactive', ...kept.Inactive }, { to: 'Active', activatedAt: NOW, deactivatedAt: DEACTIVATED }, { to: 'Inactive', ...kept.Inactive }, { refused: 'only become Active' }, { refused: 'only become Active' }, { to: 'Active', activatedAt: NOW, deactivatedAt: DEACTIVATED }, { to: 'Inactive', ...kept.Inactive }, { to: 'Active', activatedAt: NOW, deactivatedAt: DEACTIVATED }, { to: 'Inactive', ...kept.Inactive }],
  };
  const stamp = (at: string | undefined) => (at === NOW ? 'now' : at === undefined ? 'unset' : 'kept');
  const told = (o: Outcome) => ('refused' in o ? 'refused' : `${o.to} (activatedAt ${stamp(o.activatedAt)}, deactivatedAt ${stamp(o.deactivatedAt)})`);
  const cases = (Object.keys(table) as Status[]).flatMap((from) =>
    table[from].map((outcome, i) => [from, requests[i][0], told(outcome), requests[i][1], outcome] as const));

  it('covers every status × every request', () => {
    expect(cases).toHaveLength(4 * requests.length);
  });

  it.each(cases.filter(([, , , , o]) => 'to' in o))('%s + %s → %s', (from, _label, _told, request, outcome) => {
    const { to, activatedAt, deactivatedAt } = outcome as { to: Status; activatedAt?: string; deactivatedAt?: string };
    expect(nextLifecycle(ACCOUNTS[from], request, NOW)).toEqual({ status: to, active: to === 'Active', activatedAt, deactivatedAt });
  });

  it.each(cases.filter(([, , , , o]) => 'refused' in o))('%s + %s → %s: 400 invalidValue naming the statuses allowed from there', (from, _label, _told, request, outcome) => {
    const to = request.status!;
    expectInvalidValue(() => nextLifecycle(ACCOUNTS[from], request, NOW), `from ${from} to ${to}`, (outcome as { refused: string }).refused);
  });

  it('keeps status and active in agreement whatever the outcome', () => {
    for (const [from, , , request, outcome] of cases) {
      if ('refused' in outcome) continue;
      const result = nextLifecycle(ACCOUNTS[from], request, NOW);
      expect(result.active).toBe(result.status === 'Active');
    }
  });

  it.each([
    ['Created', { active: true, status: 'Pending' }],
    ['Created', { active: true, status: 'Inactive' }],
    ['Pending', { active: false, status: 'Active' }],
    ['Active', { active: false, status: 'Active' }],
    ['Active', { active: true, status: 'Inactive' }],
    ['Inactive', { active: true, status: 'Inactive' }],
    ['Inactive', { active: false, status: 'Active' }],
  ] as [Status, LifecycleRequest][])('refuses, from %s, a request whose active and status contradict each other: %j', (from, request) => {
    expectInvalidValue(() => nextLifecycle(ACCOUNTS[from], request, NOW), 'contradicts', 'active is true exactly when status is Active');
  });

  it('stamps activatedAt again each time an account becomes Active, and deactivatedAt each time it becomes Inactive', () => {
    const first = nextLifecycle(ACCOUNTS.Active, { active: false }, '2030-01-01T00:00:00.000Z');
    const second = nextLifecycle(first, { active: true }, '2030-02-01T00:00:00.000Z');
    const third = nextLifecycle(second, { status: 'Inactive' }, '2030-03-01T00:00:00.000Z');
    expect([first.deactivatedAt, second.activatedAt, third.deactivatedAt]).toEqual(['2030-01-01T00:00:00.000Z', '2030-02-01T00:00:00.000Z', '2030-03-01T00:00:00.000Z']);
    expect(third.activatedAt).toBe('2030-02-01T00:00:00.000Z');
  });
});

describe('the status of an account stored before statuses existed (currentStatus)', () => {
  it.each([
    [{ active: true }, 'Active'],
    [{ active: false }, 'Created'],
    [{}, 'Created'],
    [{ active: false, status: 'Inactive' }, 'Inactive'],
  ] as [AccountState, Status][])('%j counts as %s', (account, status) => {
    expect(currentStatus(account)).toBe(status);
  });

  it('lets such an account be deactivated with active: false', () => {
    expect(nextLifecycle({ active: true }, { active: false }, NOW)).toMatchObject({ status: 'Inactive', active: false, deactivatedAt: NOW });
  });
});
