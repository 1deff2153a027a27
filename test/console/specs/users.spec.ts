import type { Locator, Page } from 'playwright-core';
import { familyFragment, userName } from '../../../bench/people';
import { signInAs, type ConsoleEnv } from '../support/console-env';
import { screenshot } from '../support/screenshots';

/** A spec's time: one sign-in, a few pages, and a 100,000-user list now and then. */
const SPEC_MS = 30_000;

/**
 * The users list and the deleted users: search among the 100,000 seeded users, filters, sorting,
 * paging, and restore. Only users 200–299 are changed (through the SCIM API when the console is
 * not what is tested); no assertion depends on the tenant's total, which other specs change.
 */
export function usersSpecs(env: () => ConsoleEnv): void {
  it('searches the 100,000 users for a fragment of a family name, asking only for the columns shown, and finds the user', async () => {
    const page = await openUsers(env());
    await screenshot(page, 'users');
    const requests = recordRequests(page, '/scim/v2/Users');
    await page.getByLabel('Search users').fill(familyFragment(250));
    await page.waitForURL(new RegExp(`[?&]q=${familyFragment(250)}`));

    await expectListed(page, usersTable(page).getByRole('link', { name: userName(250), exact: true }));
    const search = new URL(requests[requests.length - 1]).searchParams;
    expect(search.get('filter')).toContain(`name.familyName co "${familyFragment(250)}"`);
    expect(search.get('attributes')?.split(',')).not.toContain('groups');
    await page.context().close();
  }, SPEC_MS);

  it('filters by status Inactive and shows a deactivated user with its badge', async () => {
    await scim(env(), 'PATCH', `/Users/${await idOf(env(), 251)}`, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', path: 'active', value: false }],
    });
    const page = await openUsers(env());
    await page.getByLabel('Status').selectOption('Inactive');
    await page.waitForURL(/[?&]status=Inactive/);

    const row = usersTable(page).getByRole('row').filter({ has: page.getByRole('link', { name: userName(251), exact: true }) });
    await expectListed(page, row);
    await expectText(row, /Inactive/);
    await page.context().close();
  }, SPEC_MS);

  it('sorts by userName, descending on the second press, which changes the first row', async () => {
    const page = await openUsers(env());
    const firstBefore = await firstUserName(page);
    const header = usersTable(page).getByRole('columnheader', { name: 'User name', exact: true });
    await header.getByRole('button').click();
    await page.waitForURL(/sortBy=userName/);
    await header.getByRole('button').click();
    await page.waitForURL(/sortOrder=descending/);
    await usersTable(page).locator('th[aria-sort="descending"]', { hasText: 'User name' }).waitFor();

    const names = await userNamesShown(page);
    expect(names[0]).not.toBe(firstBefore);
    const folded = names.map((name) => name.toLowerCase());
    expect([...folded].sort().reverse()).toEqual(folded);
    await page.context().close();
  }, SPEC_MS);

  it('pages to users 51–100 in creation order, and Back returns to the first page', async () => {
    const page = await openUsers(env());
    await page.getByRole('navigation', { name: 'Pages of users' }).getByRole('button', { name: 'Next →' }).click();
    await page.waitForURL(/[?&]start=51/);
    await expectText(page.getByRole('navigation', { name: 'Pages of users' }), /51–100 of/);
    await expectText(usersTable(page).getByRole('link').first(), new RegExp(`^${escaped(userName(50))}$`));
    expect(await usersTable(page).getByRole('row').count()).toBe(51);

    await page.goBack();
    await expectText(page.getByRole('navigation', { name: 'Pages of users' }), /(?<![\d,])1–50 of/);
    await page.context().close();
  }, SPEC_MS);

  it('shows the server\'s sentence when it refuses an order over all 100,000 users', async () => {
    const page = await openUsers(env());
    await usersTable(page).getByRole('columnheader', { name: 'Name', exact: true }).getByRole('button').click();
    await expectText(page.getByRole('alert'), /sorting by name\.familyName/);
    await page.context().close();
  }, SPEC_MS);

  it('finds a deleted user in Deleted users, restores it, and shows it back in the list', async () => {
    await scim(env(), 'DELETE', `/Users/${await idOf(env(), 252)}`);
    const page = await openUsers(env());
    await page.getByRole('link', { name: 'Deleted users' }).click();
    await page.getByRole('heading', { level: 1, name: 'Deleted users' }).waitFor();
    await page.getByLabel('Search deleted users').fill(familyFragment(252));
    const restore = page.getByRole('button', { name: `Restore ${userName(252)}` });
    await restore.waitFor();
    await screenshot(page, 'deleted-users');

    await restore.click();
    await expectText(page.getByRole('status').filter({ hasText: 'Restored' }), new RegExp(`Restored ${escaped(userName(252))}`));
    await expectText(page.getByRole('status').filter({ hasText: 'No deleted user' }), /No deleted user matches/);

    // In creation order user 252 is the 253rd user: on the page that starts at 251.
    await page.goto(`${env().consoleUrl}#/t/default/users?start=251`);
    await usersTable(page).getByRole('link', { name: userName(252), exact: true }).waitFor();
    await page.context().close();
  }, SPEC_MS);

  it('shows the server\'s sentence beside a deleted user that was restored elsewhere meanwhile', async () => {
    const id = await idOf(env(), 253);
    await scim(env(), 'DELETE', `/Users/${id}`);
    const page = await env().newPage();
    page.setDefaultTimeout(10_000);
    await signInAs(page, env(), env().operatorToken);
    await page.goto(`${env().consoleUrl}#/t/default/users/deleted?q=${familyFragment(253)}`);
    const restore = page.getByRole('button', { name: `Restore ${userName(253)}` });
    await restore.waitFor();
    await admin(env(), 'POST', '/users/restore', { id });

    await restore.click();
    await expectText(page.getByRole('table', { name: 'Deleted users' }).getByRole('alert'), new RegExp(`No deleted user has the id "${id}"`));
    await page.context().close();
  }, SPEC_MS);

  it('says there are no deleted users matching a search that finds none', async () => {
    const page = await env().newPage();
    await signInAs(page, env(), env().operatorToken);
    await page.goto(`${env().consoleUrl}#/t/default/users/deleted?q=nobody-is-called-this`);
    await expectText(page.getByRole('status').filter({ hasText: 'No deleted user' }), /No deleted user matches “nobody-is-called-this”/);
    await page.context().close();
  }, SPEC_MS);
}

async function openUsers(env: ConsoleEnv): Promise<Page> {
  const page = await env.newPage();
  page.setDefaultTimeout(10_000);
  await signInAs(page, env, env.operatorToken);
  await page.goto(`${env.consoleUrl}#/t/default/users`);
  await usersTable(page).getByRole('link').first().waitFor();
  return page;
}

const usersTable = (page: Page) => page.getByRole('table', { name: 'Users' });

async function firstUserName(page: Page): Promise<string> {
  return usersTable(page).getByRole('link').first().innerText();
}

/** The userNames of the page, once the table holds the answer to the latest request. */
async function userNamesShown(page: Page): Promise<string[]> {
  await page.waitForSelector('table[aria-label="Users"]:not([aria-busy])');
  return usersTable(page).getByRole('link').allInnerTexts();
}

/** The SCIM API as a script calls it, with the operator token (to arrange what the console is not tested on). */
async function scim(env: ConsoleEnv, method: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${env.origin}/scim/v2${path}`, {
    method,
    headers: { Authorization: `Bearer ${env.operatorToken}`, 'Content-Type': 'application/scim+json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response.status === 204 ? undefined : response.json();
}

/** The built-in tenant's admin API (restore), as a script calls it. */
async function admin(env: ConsoleEnv, method: string, path: string, body: unknown): Promise<void> {
  const response = await fetch(`${env.origin}/admin/tenants/default${path}`, {
    method, headers: { Authorization: `Bearer ${env.operatorToken}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
}

async function idOf(env: ConsoleEnv, i: number): Promise<string> {
  const filter = encodeURIComponent(`userName eq "${userName(i)}"`);
  const page = (await scim(env, 'GET', `/Users?filter=${filter}&attributes=userName`)) as { Resources: { id: string }[] };
  return page.Resources[0].id;
}

function recordRequests(page: Page, pathPart: string): string[] {
  const urls: string[] = [];
  page.on('request', (request) => {
    if (new URL(request.url()).pathname.endsWith(pathPart)) urls.push(request.url());
  });
  return urls;
}

/** Waits for `target` in the list; fails with the server's sentence when the list shows a refusal instead. */
async function expectListed(page: Page, target: Locator): Promise<void> {
  await target.or(page.getByRole('alert')).first().waitFor();
  expect(await page.getByRole('alert').allInnerTexts()).toEqual([]);
}

/** Waits until one of `locator`'s elements shows text matching `pattern` (fails when none does in time). */
async function expectText(locator: Locator, pattern: RegExp): Promise<void> {
  const matching = locator.filter({ hasText: pattern }).first();
  await matching.waitFor();
  expect(await matching.innerText()).toMatch(pattern);
}

const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
