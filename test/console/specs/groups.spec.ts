import type { Locator, Page } from 'playwright-core';
import { userName } from '../../../bench/people';
import { signInAs, type ConsoleEnv } from '../support/console-env';
import { screenshot } from '../support/screenshots';

/**
 * Groups: the list with search, and the group page, which opens the seeded 100,000-member group
 * with one page of members (never all of them), pages through them, and edits a group of its own
 * (users 400–499 only).
 */
export function groupsSpecs(env: () => ConsoleEnv): void {
  /** A browser walk through several screens, each waiting on the server. */
  const WALK_MS = 60_000;
  const bigName = () => `${env().seeded.bigGroupMembers} members`;

  it('lists groups without their members, finds the 100,000-member group by searching, and opens it with the first 50 members and the total, reading one members page', async () => {
    const page = await env().newPage();
    await signInAs(page, env(), env().operatorToken);
    const listRequests = recordRequests(page, '/Groups');
    await page.goto(`${env().consoleUrl}#/t/default/groups`);
    await page.getByRole('link', { name: bigName() }).waitFor();

    await page.getByLabel('Search groups').fill(String(env().seeded.bigGroupMembers));
    await page.waitForURL(/[?&]q=100000/);
    await page.getByRole('link', { name: 'no members', exact: true }).waitFor({ state: 'detached' });
    const groupRequests = recordRequests(page, `/Groups/${env().seeded.bigGroupId}`);
    await page.getByRole('link', { name: bigName() }).click();

    await expectFirstMembersPage(page, env());
    expect(listRequests.length).toBeGreaterThanOrEqual(2);
    expect(listRequests.filter((url) => new URL(url).searchParams.get('excludedAttributes') !== 'members')).toEqual([]);
    expect(groupRequests).toHaveLength(1);
    expect(new URL(groupRequests[0]).searchParams.get('membersCount')).toBe('50');
    await page.context().close();
  }, WALK_MS);

  it('opens the 100,000-member group from its address, and pages to members 51–100', async () => {
    const page = await env().newPage();
    await signInAs(page, env(), env().operatorToken);
    const groupRequests = recordRequests(page, `/Groups/${env().seeded.bigGroupId}`);
    await page.goto(`${env().consoleUrl}#/t/default/groups/${env().seeded.bigGroupId}`);

    await expectFirstMembersPage(page, env());
    expect(groupRequests.map((url) => membersSlice(url))).toEqual([{ start: '1', count: '50' }]);
    await screenshot(page, 'group');

    await page.getByRole('navigation', { name: 'Pages of members' }).getByRole('button', { name: 'Next →' }).click();
    await expectText(page.getByRole('navigation', { name: 'Pages of members' }), new RegExp(`51–100 of ${await liveMembers(env())}`));
    const members = page.getByRole('table', { name: 'Members' });
    await expectText(members.getByRole('link').first(), new RegExp(escaped(userName(50))));
    expect(await members.getByRole('row').count()).toBe(51);
    expect(groupRequests.map((url) => membersSlice(url))).toEqual([{ start: '1', count: '50' }, { start: '51', count: '50' }]);

    await page.getByRole('link', { name: 'Raw JSON' }).click();
    await expectText(page.getByRole('note'), new RegExp(`members 51–100 of ${await liveMembers(env())}`));
    const raw = JSON.parse(await page.getByTestId('raw-json').innerText()) as { members: unknown[]; displayName: string };
    expect(raw.displayName).toBe(bigName());
    expect(raw.members).toHaveLength(50);
    expect(groupRequests).toHaveLength(2);
    await page.context().close();
  }, WALK_MS);

  it('creates a group, adds and removes members with the picker, shows the server\'s sentence for an empty name, renames it, gives it permissions, and deletes it', async () => {
    const page = await env().newPage();
    await signInAs(page, env(), env().operatorToken);
    await page.goto(`${env().consoleUrl}#/t/default/groups`);
    await page.getByLabel('New group name').fill('e2e-group');
    await page.getByRole('button', { name: 'Create group' }).click();
    await page.getByRole('heading', { level: 1, name: 'e2e-group' }).waitFor();
    await expectText(page.getByRole('status').filter({ hasText: 'no members' }), /This group has no members yet/);

    for (const i of [400, 401]) {
      await page.getByLabel('Find users by userName or name').fill(userName(i));
      await page.getByRole('button', { name: `Add ${userName(i)}` }).click({ timeout: 5000 }).catch(async (e) => { await page.screenshot({ path: '/tmp/groups-debug.png' }); throw e; });
      await expectText(page.getByRole('status').filter({ hasText: 'Added' }), new RegExp(`Added ${escaped(userName(i))}`));
    }
    const members = page.getByRole('table', { name: 'Members' });
    await members.getByRole('link', { name: userName(401) }).waitFor();
    await expectText(page.getByTestId('member-total'), /^2 members$/);

    await page.getByRole('button', { name: `Remove ${userName(401)} from the group` }).click();
    await expectText(page.getByRole('status').filter({ hasText: 'Removed' }), new RegExp(`Removed ${escaped(userName(401))}`));
    await expectText(page.getByTestId('member-total'), /^1 member$/);
    expect(await members.getByRole('link').allInnerTexts()).toEqual([userName(400)]);

    await page.getByRole('link', { name: 'Details and permissions' }).click();
    const displayName = page.getByLabel('Display name');
    await displayName.fill('');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expectText(page.locator('.field-error'), /displayName/);
    expect(await displayName.getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('e2e-group');

    await displayName.fill('e2e-group renamed');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('heading', { level: 1, name: 'e2e-group renamed' }).waitFor();

    await page.getByLabel('Description').fill('Approves supplier invoices');
    await page.getByLabel('Permissions (one per line)').fill('reports.view\ninvoices.approve');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expectText(page.getByRole('status').filter({ hasText: 'Saved' }), /Saved/);
    expect(await page.getByLabel('Permissions (one per line)').inputValue()).toBe('reports.view\ninvoices.approve');
    expect(await holdersOf(env(), 'invoices.approve')).toEqual([userName(400)]);

    await page.getByRole('link', { name: '← Groups' }).click();
    const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: 'e2e-group renamed' }) });
    await expectText(row, /Approves supplier invoices\s+reports\.view\s*invoices\.approve/);
    await screenshot(page, 'groups');
    await row.getByRole('link').click();
    await page.getByRole('link', { name: 'Details and permissions' }).click();

    await page.getByRole('button', { name: 'Delete group' }).click();
    await page.getByRole('button', { name: 'Yes, delete group' }).click();
    await expectText(page.getByRole('status').filter({ hasText: 'deleted' }), /Group “e2e-group renamed” was deleted/);
    await page.getByLabel('Search groups').fill('e2e-group');
    await expectText(page.getByRole('status').filter({ hasText: 'No group' }), /No group's name contains “e2e-group”/);
    expect(await holdersOf(env(), 'invoices.approve')).toEqual([]);
    await page.context().close();
  }, WALK_MS);
}

/** The first page of the big group: the total, 50 rows, user 0 first (members are ordered by creation). */
async function expectFirstMembersPage(page: Page, env: ConsoleEnv): Promise<void> {
  // Other specs may have deleted a seeded user (a deleted user is no member until restored): the server's count is the truth.
  const total = await liveMembers(env);
  expect(Number(total.replace(/,/g, ''))).toBeGreaterThan(99_900);
  await expectText(page.getByTestId('member-total'), new RegExp(`^${total} members$`));
  await expectText(page.getByRole('navigation', { name: 'Pages of members' }), new RegExp(`1–50 of ${total}`));
  const members = page.getByRole('table', { name: 'Members' });
  expect(await members.getByRole('row').count()).toBe(51);
  expect(await members.getByRole('link').first().innerText()).toBe(userName(0));
  expect(env.seeded.bigGroupMembers).toBe(100_000);
}

/** The URLs of the requests the page makes whose path ends with `pathEnd` (query aside). */
function recordRequests(page: Page, pathEnd: string): string[] {
  const urls: string[] = [];
  page.on('request', (request) => {
    if (new URL(request.url()).pathname.endsWith(pathEnd)) urls.push(request.url());
  });
  return urls;
}

const membersSlice = (url: string) => {
  const query = new URL(url).searchParams;
  return { start: query.get('membersStartIndex'), count: query.get('membersCount') };
};

/** The userNames holding a permission, asked of the SCIM API directly (what an application would do). */
async function holdersOf(env: ConsoleEnv, permission: string): Promise<string[]> {
  const filter = encodeURIComponent(`effectivePermissions eq "${permission}"`);
  const response = await fetch(`${env.origin}/scim/v2/Users?filter=${filter}&attributes=userName`, { headers: { Authorization: `Bearer ${env.operatorToken}` } });
  expect(response.status).toBe(200);
  const body = (await response.json()) as { Resources?: { userName: string }[] };
  return (body.Resources ?? []).map((user) => user.userName);
}

const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Waits until the first element of `locator` shows text matching `pattern` (the page updates after its requests). */
async function expectText(locator: Locator, pattern: RegExp, timeoutMs = 10_000): Promise<void> {
  await locator.first().waitFor();
  const until = Date.now() + timeoutMs;
  let text = await locator.first().innerText();
  while (!pattern.test(text) && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    text = await locator.first().innerText();
  }
  expect(text).toMatch(pattern);
}

/** The big group's live member total as the SCIM API counts it, written as the page writes it (100,000). */
async function liveMembers(env: ConsoleEnv): Promise<string> {
  const response = await fetch(`${env.origin}/scim/v2/Groups/${env.seeded.bigGroupId}?membersCount=1`, { headers: { Authorization: `Bearer ${env.operatorToken}` } });
  const body = (await response.json()) as Record<string, { totalResults: number } | undefined>;
  const total = body['urn:ietf:params:scim:api:messages:roster:2.0:MembersPage']?.totalResults;
  if (total === undefined) throw new Error(`no member total in ${JSON.stringify(body).slice(0, 200)}`);
  return total.toLocaleString('en');
}
