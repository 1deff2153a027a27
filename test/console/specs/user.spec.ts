import type { Locator, Page } from 'playwright-core';
import { userName } from '../../../bench/people';
import { signInAs, type ConsoleEnv } from '../support/console-env';
import { screenshot } from '../support/screenshots';

const ACCOUNT_URN = 'urn:ietf:params:scim:schemas:extension:roster:2.0:Account';
const PATCH_URN = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const TIMEOUT = 90_000;

/** A call to the server as a script would make it (arranging and checking what the UI is not testing). */
async function api(env: ConsoleEnv, method: string, path: string, body?: unknown, token = env.operatorToken): Promise<{ status: number; body: any }> {
  const response = await fetch(`${env.origin}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, Accept: 'application/scim+json, application/json', ...(body ? { 'Content-Type': path.startsWith('/admin') ? 'application/json' : 'application/scim+json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

/** The id of seeded user `i` (the built-in tenant, SCIM at /scim/v2). */
async function idOf(env: ConsoleEnv, i: number): Promise<string> {
  const found = await api(env, 'GET', `/scim/v2/Users?filter=${encodeURIComponent(`userName eq "${userName(i)}"`)}&attributes=userName`);
  expect(found.body.totalResults).toBe(1);
  return found.body.Resources[0].id;
}

const patch = (env: ConsoleEnv, id: string, operations: unknown[]) =>
  api(env, 'PATCH', `/scim/v2/Users/${id}`, { schemas: [PATCH_URN], Operations: operations });

async function openUser(page: Page, env: ConsoleEnv, id: string, tab = ''): Promise<void> {
  await page.goto(`${env.consoleUrl}#/t/default/users/${id}${tab ? `/${tab}` : ''}`);
  await page.getByTestId('user-name').waitFor();
}

/** The field (label, input, message) around the input labelled `label`. */
const fieldOf = (page: Page, label: string): Locator => page.locator('.field', { has: page.getByLabel(label, { exact: true }) });

async function text(locator: Locator): Promise<string> {
  await locator.first().waitFor();
  return locator.first().innerText();
}

/** The user page (#/t/{tenant}/users/{id}): attributes, edits with the server's sentences, actions, tokens, history, raw JSON. */
export function userSpecs(env: () => ConsoleEnv): void {
  it('opens user 300 from a direct URL, groups its attributes as the product docs do, and saves a new job title', async () => {
    const id = await idOf(env(), 300);
    // A profile as an IdP fills it, so the page (and its screenshot) shows every group of attributes.
    expect((await patch(env(), id, [{ op: 'add', value: {
      phoneNumbers: [{ value: '+49 30 1234567', type: 'work', primary: true }],
      addresses: [{ streetAddress: 'Torstraße 1', locality: 'Berlin', postalCode: '10119', country: 'DE', type: 'work' }],
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { department: 'Finance', employeeNumber: '300' },
    } }])).status).toBe(200);
    const page = await env().newPage();
    await signInAs(page, env(), env().operatorToken);
    await openUser(page, env(), id);
    expect(await text(page.getByTestId('user-name'))).toBe(userName(300));
    for (const section of ['Name', 'Contact information', 'Organization']) await page.getByRole('heading', { name: section, exact: true }).waitFor();

    await page.getByRole('button', { name: 'Edit profile' }).click();
    await page.getByLabel('Job title', { exact: true }).fill('Head of Provisioning');
    const sent = page.waitForRequest((request) => request.method() === 'PATCH');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    // One replace of the changed attribute only, conditional on the version the page was read with.
    const request = await sent;
    expect(request.postDataJSON().Operations).toEqual([{ op: 'replace', path: 'title', value: 'Head of Provisioning' }]);
    expect(request.headers()['if-match']).toMatch(/^W\/"\d+"$/);
    expect(await text(page.getByRole('region', { name: 'Profile' }))).toContain('Head of Provisioning');
    expect((await api(env(), 'GET', `/scim/v2/Users/${id}`)).body.title).toBe('Head of Provisioning');
    await page.evaluate('window.scrollTo(0, 0)');
    await screenshot(page, 'user');
    await page.context().close();
  }, TIMEOUT);

  it('shows the server\'s validation sentence next to the field it names, and keeps the user unchanged', async () => {
    const id = await idOf(env(), 300);
    const page = await env().newPage();
    await signInAs(page, env(), env().operatorToken);
    await openUser(page, env(), id, 'localization');
    await page.getByRole('button', { name: 'Edit localization' }).click();
    await page.getByLabel('Time zone', { exact: true }).fill('Mars/Olympus_Mons');
    await page.getByRole('button', { name: 'Save' }).click();
    expect(await text(fieldOf(page, 'Time zone').getByRole('alert'))).toMatch(/timezone must be an IANA time zone name.*Mars\/Olympus_Mons/);
    expect(await page.getByLabel('Time zone', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect((await api(env(), 'GET', `/scim/v2/Users/${id}`)).body.timezone).toBeUndefined();

    await openUser(page, env(), id, 'account');
    await page.getByRole('button', { name: 'Edit account' }).click();
    await page.getByLabel('Roles', { exact: true }).fill('Reports, Workflows');
    await page.getByRole('button', { name: 'Save' }).click();
    expect(await text(fieldOf(page, 'Roles').getByRole('alert'))).toMatch(/Only ConfigAdmin accounts have roles; this account is Internal/);
    await page.context().close();
  }, TIMEOUT);

  it('says so and offers a reload when someone changed the user since the page was opened (412)', async () => {
    const id = await idOf(env(), 304);
    const page = await env().newPage();
    await signInAs(page, env(), env().operatorToken);
    await openUser(page, env(), id);
    await page.getByRole('button', { name: 'Edit profile' }).click();
    await page.getByLabel('Job title', { exact: true }).fill('Mine');
    expect((await patch(env(), id, [{ op: 'replace', path: 'title', value: 'Theirs' }])).status).toBe(200);
    await page.getByRole('button', { name: 'Save' }).click();
    expect(await text(page.getByRole('alert'))).toMatch(/Someone changed this user after you opened it/);
    await page.getByRole('button', { name: 'Reload the user' }).click();
    expect(await text(page.getByRole('region', { name: 'Profile' }))).toContain('Theirs');
    expect((await api(env(), 'GET', `/scim/v2/Users/${id}`)).body.title).toBe('Theirs');
    await page.context().close();
  }, TIMEOUT);

  it('reads a long history newest first, 50 at a time, down to the user\'s creation', async () => {
    const id = await idOf(env(), 307);
    for (let n = 1; n <= 60; n++) expect((await patch(env(), id, [{ op: 'replace', path: 'title', value: `Title ${n}` }])).status).toBe(200);
    const page = await env().newPage();
    await signInAs(page, env(), env().operatorToken);
    await openUser(page, env(), id, 'history');
    const events = page.locator('article.event');
    await events.first().waitFor();
    expect(await events.count()).toBe(50);
    expect(await text(events.first().locator('.after'))).toBe('Title 60');
    await page.getByRole('button', { name: 'Show older events' }).click();
    await page.locator('article[data-event-type="user.created"]').waitFor();
    // 60 title changes, the creation and the seeded membership of the big group; nothing older remains.
    expect(await events.count()).toBe(62);
    expect(await page.getByRole('button', { name: 'Show older events' }).count()).toBe(0);
    await page.context().close();
  });

  it('deactivates user 301, finds who did it in its History (active true → false), and reactivates it', async () => {
    const id = await idOf(env(), 301);
    const operatorName = (await api(env(), 'GET', '/admin/whoami')).body.tokenName as string;
    const page = await env().newPage();
    await signInAs(page, env(), env().operatorToken);
    await openUser(page, env(), id);
    await page.getByRole('button', { name: 'Deactivate' }).click();
    await page.getByRole('button', { name: 'Yes, deactivate' }).click();
    await page.getByRole('button', { name: 'Reactivate' }).waitFor();
    expect((await api(env(), 'GET', `/scim/v2/Users/${id}`)).body.active).toBe(false);

    await page.getByRole('link', { name: 'History', exact: true }).click();
    const deactivated = page.locator('article[data-event-type="user.deactivated"]');
    const summary = await text(deactivated);
    expect(summary).toContain(`by ${operatorName} (operator token)`);
    const active = deactivated.locator('li', { has: page.locator('code', { hasText: /^active$/ }) });
    expect(await text(active.locator('.before'))).toBe('true');
    expect(await text(active.locator('.after'))).toBe('false');
    // Newest first: the deactivation comes before the creation.
    expect(await page.locator('article.event').first().getAttribute('data-event-type')).toBe('user.deactivated');
    await screenshot(page, 'user-history');

    await page.getByRole('button', { name: 'Reactivate' }).click();
    await page.getByRole('button', { name: 'Deactivate' }).waitFor();
    expect((await api(env(), 'GET', `/scim/v2/Users/${id}`)).body.active).toBe(true);
    await page.getByRole('button', { name: 'Refresh' }).click();
    await page.locator('article[data-event-type="user.activated"]').waitFor();
    await page.context().close();
  }, TIMEOUT);

  it('creates a token for user 302, shows its secret once, and revokes it', async () => {
    const id = await idOf(env(), 302);
    const page = await env().newPage();
    await signInAs(page, env(), env().operatorToken);
    await openUser(page, env(), id, 'tokens');
    await page.getByText('This user has no API tokens.').waitFor();

    await page.getByLabel('Token name').fill('e2e-reporting');
    await page.getByLabel('Expires in').fill('soon');
    await page.getByRole('button', { name: 'Create token' }).click();
    expect(await text(fieldOf(page, 'Expires in').getByRole('alert'))).toMatch(/expiresIn takes a duration such as 90d/);

    await page.getByLabel('Expires in').fill('90d');
    await page.getByRole('button', { name: 'Create token' }).click();
    const secret = (await text(page.getByTestId('new-token'))).trim();
    const who = await api(env(), 'GET', '/admin/whoami', undefined, secret);
    expect(who.body).toMatchObject({ kind: 'user', userId: id, tokenName: 'e2e-reporting' });
    const row = page.getByRole('row', { name: /e2e-reporting/ });
    await row.waitFor();

    // Shown once: gone after a reload, and never in the address.
    await page.reload();
    await row.waitFor();
    expect(await page.content()).not.toContain(secret);
    expect(page.url()).not.toContain(secret);

    await row.getByRole('button', { name: 'Revoke' }).click();
    await row.getByRole('button', { name: 'Yes, revoke' }).click();
    await page.getByText('This user has no API tokens.').waitFor();
    expect((await api(env(), 'GET', '/admin/whoami', undefined, secret)).status).toBe(401);
    await page.context().close();
  }, TIMEOUT);

  it('shows the user as raw SCIM JSON, exactly as GET /Users/{id} returns it', async () => {
    const id = await idOf(env(), 300);
    const page = await env().newPage();
    await signInAs(page, env(), env().operatorToken);
    await openUser(page, env(), id, 'json');
    const raw = await text(page.getByTestId('raw-json'));
    expect(raw).toContain(`"userName": "${userName(300)}"`);
    expect(JSON.parse(raw)).toEqual((await api(env(), 'GET', `/scim/v2/Users/${id}`)).body);
    await page.context().close();
  }, TIMEOUT);

  it('shows where each effective permission comes from, and the user\'s groups as links', async () => {
    const id = await idOf(env(), 305);
    const group = await api(env(), 'POST', '/scim/v2/Groups', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'e2e-user-approvers', members: [{ value: id }],
      'urn:ietf:params:scim:schemas:extension:roster:2.0:Group': { permissions: ['invoices.approve', 'reports.view'] },
    });
    expect(group.status).toBe(201);
    expect((await patch(env(), id, [{ op: 'add', path: 'entitlements', value: [{ value: 'reports.view' }] }])).status).toBe(200);
    const page = await env().newPage();
    await signInAs(page, env(), env().operatorToken);
    await openUser(page, env(), id, 'account');
    const permissions = page.getByRole('list', { name: 'Effective permissions' });
    await permissions.getByRole('link', { name: 'e2e-user-approvers' }).first().waitFor();
    expect(await text(permissions.getByRole('listitem').filter({ hasText: 'invoices.approve' }))).toMatch(/from group e2e-user-approvers$/);
    expect(await text(permissions.getByRole('listitem').filter({ hasText: 'reports.view' }))).toMatch(/from own entitlement, group e2e-user-approvers$/);

    await page.getByRole('link', { name: 'Groups', exact: true }).last().click();
    await page.getByRole('link', { name: 'e2e-user-approvers' }).click();
    expect(page.url()).toMatch(new RegExp(`#/t/default/groups/${group.body.id}$`));
    expect((await api(env(), 'DELETE', `/scim/v2/Groups/${group.body.id}`)).status).toBe(204);
    await page.context().close();
  }, TIMEOUT);

  it('deletes user 306 after asking once, and goes back to the users list saying it can be restored', async () => {
    const id = await idOf(env(), 306);
    const page = await env().newPage();
    await signInAs(page, env(), env().operatorToken);
    await openUser(page, env(), id);
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByRole('button', { name: 'No' }).click();
    expect((await api(env(), 'GET', `/scim/v2/Users/${id}`)).status).toBe(200);
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByRole('button', { name: 'Yes, delete' }).click();
    await page.waitForURL(/#\/t\/default\/users\?notice=/);
    expect(new URLSearchParams(page.url().split('?')[1]).get('notice')).toBe(`Deleted ${userName(306)}. You can restore it from Deleted users.`);
    expect((await api(env(), 'GET', `/scim/v2/Users/${id}`)).status).toBe(404);
    await page.context().close();
  }, TIMEOUT);

  it('tells an Active SuperAdmin signed in with its own token why it cannot deactivate itself, and shows the server\'s 403', async () => {
    const id = await idOf(env(), 303);
    expect((await patch(env(), id, [{ op: 'replace', path: `${ACCOUNT_URN}:accountType`, value: 'SuperAdmin' }])).status).toBe(200);
    const created = await api(env(), 'POST', `/admin/users/${id}/tokens`, { name: 'e2e-self' });
    expect(created.status).toBe(201);
    const page = await env().newPage();
    await signInAs(page, env(), created.body.token as string);
    await openUser(page, env(), id);
    await page.getByText('Nobody can deactivate or delete their own account').waitFor();
    expect(await page.getByRole('button', { name: 'Deactivate' }).isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Delete', exact: true }).isDisabled()).toBe(true);

    await page.getByRole('link', { name: 'Account', exact: true }).click();
    await page.getByRole('button', { name: 'Edit account' }).click();
    expect(await page.getByLabel('Account type', { exact: true }).isDisabled()).toBe(true);
    await page.getByLabel('Status', { exact: true }).selectOption('Inactive');
    await page.getByRole('button', { name: 'Save' }).click();
    expect(await text(page.getByRole('alert'))).toContain('You cannot deactivate your own account');
    expect((await api(env(), 'GET', `/scim/v2/Users/${id}`)).body.active).toBe(true);
    await page.context().close();
  }, TIMEOUT);
}
