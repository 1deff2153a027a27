import type { Locator } from 'playwright-core';
import { userName } from '../../../bench/people';
import { SYSTEM_JOURNAL } from '../../../src/app/journals';
import { Dispatcher } from '../../../src/app/webhooks/dispatcher';
import { createLogger } from '../../../src/logger';
import { signInAs, type ConsoleEnv } from '../support/console-env';
import { screenshot } from '../support/screenshots';

/**
 * The Activity and Webhooks pages: an identity provider ("okta", a service token) pushes users,
 * deactivates one and has a push refused; the admin sees it on the hourly chart, in the feed
 * (newest first, filtered) and under Failed requests with the server's sentence; then sets up a
 * webhook, sees its secret once, its failed delivery attempts, redelivers and pauses it.
 * Users: the activity spec's own (seeded 500–599, and those it creates named activity-5xx@…).
 */
/** A browser spec's budget (jest's default is 5 s); each wait inside fails sooner (page timeout). */
const SPEC_TIMEOUT = 60_000;

export function activitySpecs(env: () => ConsoleEnv): void {
  const okta = { token: '', id: '' };
  const created: Record<string, string> = {};
  let refusal = '';

  /** A SCIM or admin request as a script (or an identity provider) would send it. */
  const request = async (token: string, method: string, path: string, body?: unknown) => {
    const response = await fetch(`${env().origin}${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': path.startsWith('/admin') ? 'application/json' : 'application/scim+json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: ((await response.json().catch(() => ({}))) ?? {}) as Record<string, unknown> };
  };
  const newUser = (name: string) => ({
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: name, name: { givenName: 'Activity', familyName: 'Spec' },
    emails: [{ value: name, type: 'work', primary: true }], active: true,
  });

  beforeAll(async () => {
    const token = await request(env().operatorToken, 'POST', '/admin/tenants/default/tokens', { name: 'okta' });
    expect(token.status).toBe(201);
    Object.assign(okta, { token: String(token.body.token), id: String(token.body.id) });
    for (const i of [500, 501, 502]) {
      const user = await request(okta.token, 'POST', '/scim/v2/Users', newUser(`activity-${i}@example.com`));
      expect(user.status).toBe(201);
      created[i] = String(user.body.id);
    }
    const deactivated = await request(okta.token, 'PATCH', `/scim/v2/Users/${created[501]}`, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', path: 'active', value: false }],
    });
    expect(deactivated.status).toBe(200);
    // Okta pushes a user whose userName is taken (seeded user 501): refused, and logged as a failure.
    const taken = await request(okta.token, 'POST', '/scim/v2/Users', newUser(userName(501)));
    expect(taken.status).toBe(409);
    refusal = String(taken.body.detail);
  }, SPEC_TIMEOUT);

  it('charts this hour\'s activity, with a summary, a keyboard read-out and a table', async () => {
    const page = await env().newPage();
    page.setDefaultTimeout(10_000);
    await signInAs(page, env(), env().operatorToken);
    await page.goto(`${env().consoleUrl}#/t/default/activity`);
    const chart = page.getByRole('region', { name: 'Provisioning activity, last 7 days' });
    await chart.getByText('Last change: this hour.').waitFor();
    expect(await chart.getByText(/failed requests? in the last 24 hours/).count()).toBe(1);
    const hours = page.locator('[data-testid=activity-chart] .chart-hour');
    expect(await hours.count()).toBe(168);
    expect(Number(await hours.last().getAttribute('data-total'))).toBeGreaterThanOrEqual(5);

    // The read-out starts at the current hour (the pointer, once off the chart, no longer picks
    // one); the arrow keys walk the hours.
    await page.mouse.move(0, 0);
    const readout = page.getByTestId('chart-readout');
    await expectText(readout, /user\.deactivated/);
    const thisHour = await readout.innerText();
    expect(thisHour).toMatch(/request\.failed/);
    await page.getByRole('group', { name: /Activity per hour/ }).focus();
    await page.keyboard.press('ArrowLeft');
    expect(await readout.innerText()).not.toBe(thisHour);
    await page.keyboard.press('End');
    expect(await readout.innerText()).toBe(thisHour);

    await page.getByText('Show the hours as a table').click();
    const newest = page.getByRole('table', { name: /Activity per hour/ }).getByRole('row').nth(1);
    expect(await newest.innerText()).toMatch(/request\.failed/);
    await page.context().close();
  }, SPEC_TIMEOUT);

  it('lists the events newest first, with who did what, and filters them by type and actor', async () => {
    const page = await env().newPage();
    page.setDefaultTimeout(10_000);
    await signInAs(page, env(), env().operatorToken);
    await page.goto(`${env().consoleUrl}#/t/default/activity`);
    const events = page.locator('article.event');
    await events.first().waitFor();
    const first = events.first();
    expect(await first.getAttribute('data-event-type')).toBe('user.deactivated');
    expect(await first.innerText()).toContain('activity-501@example.com');
    expect(await first.innerText()).toContain('okta (service token)');
    expect(await first.innerText()).toMatch(/active\s+true\s+→\s+false/);
    const ids = await events.evaluateAll((nodes) => nodes.map((n) => Number(n.getAttribute('data-event-id'))));
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    await page.mouse.move(0, 0);
    await screenshot(page, 'activity');

    await page.getByLabel('Event type').selectOption('user.deactivated');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/type=user\.deactivated/);
    await page.locator('article.event[data-event-type="user.created"]').waitFor({ state: 'detached' });
    const types = await events.evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-event-type')));
    expect(new Set(types)).toEqual(new Set(['user.deactivated']));
    expect(await events.first().innerText()).toContain('activity-501@example.com');

    // From an event to everything its token did: okta created three users and deactivated one.
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.waitForURL((u) => !u.hash.includes('type='));
    await page.getByRole('link', { name: 'Only by okta' }).first().click();
    await page.waitForURL(new RegExp(`actor=${okta.id}`));
    await expectCount(page.locator('article.event'), 4);
    expect(await page.getByLabel('Actor token id').inputValue()).toBe(okta.id);

    await page.goto(`${env().consoleUrl}#/t/default/activity?type=no.such`);
    await expectText(page.getByRole('alert'), /no\.such/);
    await page.context().close();
  }, SPEC_TIMEOUT);

  it('shows okta\'s refused push under Failed requests, with the server\'s sentence', async () => {
    const page = await env().newPage();
    page.setDefaultTimeout(10_000);
    await signInAs(page, env(), env().operatorToken);
    await page.goto(`${env().consoleUrl}#/t/default/activity`);
    await page.getByRole('link', { name: 'Failed requests' }).click();
    const row = page.getByRole('table', { name: /Failed requests/ }).getByRole('row').filter({ hasText: userName(501) }).first();
    await row.waitFor();
    const text = await row.innerText();
    expect(text).toContain('POST /scim/v2/Users');
    expect(text).toContain('okta (service token)');
    expect(text).toContain('409');
    expect(text).toContain('uniqueness');
    expect(text).toContain(refusal);
    expect(text).toContain(userName(501));

    await page.getByLabel('Status').selectOption('409');
    await page.waitForURL(/status=409/);
    await row.waitFor();
    const statuses = await page.locator('tr[data-failure-id] .badge').allInnerTexts();
    expect(new Set(statuses)).toEqual(new Set(['409']));
    await page.getByLabel('Status').selectOption('503');
    await page.getByText('No request failed with 503.').waitFor();
    await page.context().close();
  }, SPEC_TIMEOUT);

  it('creates a webhook (secret shown once), shows its failed deliveries, redelivers, pauses and deletes it', async () => {
    const page = await env().newPage();
    page.setDefaultTimeout(10_000);
    await signInAs(page, env(), env().operatorToken);
    await page.goto(`${env().consoleUrl}#/t/default/webhooks`);
    await page.getByText('No webhooks yet.').waitFor();

    await page.getByRole('button', { name: 'Add a webhook' }).click();
    const url = page.getByRole('textbox', { name: 'URL', exact: true });
    // A reserved name (RFC 6761) never resolves: the server refuses it, and says so under the field.
    await url.fill('https://hooks.example.invalid/roster');
    await page.getByRole('textbox', { name: 'Events', exact: true }).fill('user.*');
    await page.getByRole('textbox', { name: 'Description', exact: true }).fill('Mirror of deactivations');
    await page.getByRole('button', { name: 'Create webhook' }).click();
    await expectText(page.locator('.field-error'), /hooks\.example\.invalid could not be resolved/);
    expect(await url.getAttribute('aria-invalid')).toBe('true');

    // An address literal needs no resolver; it is public, and nothing is ever sent to it (below).
    await url.fill('https://93.184.215.14/roster');
    await page.getByRole('button', { name: 'Create webhook' }).click();
    const secret = await page.getByTestId('webhook-secret').innerText();
    expect(secret).toMatch(/^whsec_/);
    await page.getByRole('button', { name: 'I have stored it' }).click();
    await page.getByTestId('webhook-secret').waitFor({ state: 'detached' });
    await page.getByRole('link', { name: 'https://93.184.215.14/roster' }).click();
    await page.getByRole('heading', { level: 1, name: /Webhook/ }).waitFor();
    const webhookId = decodeURIComponent(page.url().split('/webhooks/')[1]);
    expect(await page.content()).not.toContain(secret);
    await page.getByText('No deliveries yet.').waitFor();

    // The receiver's name stops resolving (as at creation above), then okta pushes a user; one
    // round of the real dispatcher (not running in this environment) attempts it: no connection
    // is made, the attempt fails and is kept.
    await env().store.tenant('default', SYSTEM_JOURNAL).webhooks.update(webhookId, { url: 'https://hooks.example.invalid/roster' });
    expect((await request(okta.token, 'POST', '/scim/v2/Users', newUser('activity-503@example.com'))).status).toBe(201);
    const dispatcher = new Dispatcher({ store: env().store, logger: createLogger('silent'), timeoutMs: 5_000, allowPrivate: false, retryWindowMs: 86_400_000, disableAfter: 10 });
    expect(await dispatcher.round()).toBe(1);
    await dispatcher.stop();

    await page.reload();
    const delivery = page.getByRole('table', { name: /Deliveries/ }).getByRole('row').nth(1);
    await expectText(delivery, /The host hooks\.example\.invalid could not be resolved/);
    expect(await delivery.innerText()).toMatch(/user\.created[\s\S]*pending/);
    await screenshot(page, 'webhooks');

    await delivery.getByRole('button', { name: /Redeliver event/ }).click();
    await expectText(page.getByTestId('redelivered'), /queued again: state pending[\s\S]*202/);

    await page.getByLabel('State').selectOption('failed');
    await page.waitForURL(/state=failed/);
    await page.getByText('No failed deliveries.').waitFor();

    await page.getByRole('button', { name: 'Pause deliveries' }).click();
    await expectText(page.getByTestId('webhook-status'), /Paused/);
    expect((await request(env().operatorToken, 'GET', `/admin/tenants/default/webhooks/${webhookId}`)).body.active).toBe(false);
    await page.getByRole('button', { name: 'Resume deliveries' }).waitFor();

    await page.getByRole('button', { name: 'Delete webhook' }).click();
    await page.getByRole('button', { name: 'Yes, delete webhook' }).click();
    await page.getByText('No webhooks yet.').waitFor();
    await page.context().close();
  }, SPEC_TIMEOUT);
}

async function expectText(locator: Locator, pattern: RegExp): Promise<void> {
  await locator.first().waitFor();
  const deadline = Date.now() + 5_000;
  while (!pattern.test(await locator.first().innerText()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  expect(await locator.first().innerText()).toMatch(pattern);
}

async function expectCount(locator: Locator, count: number): Promise<void> {
  const deadline = Date.now() + 5_000;
  while ((await locator.count()) !== count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  expect(await locator.count()).toBe(count);
}
