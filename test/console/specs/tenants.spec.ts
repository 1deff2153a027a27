import type { Locator, Page } from 'playwright-core';
import { signInAs, type ConsoleEnv } from '../support/console-env';
import { screenshot } from '../support/screenshots';

/**
 * Tenants, one tenant's settings and service tokens, and its OAuth clients (issue 14). This file
 * uses only the tenants it creates (e2e-acme, e2e-doomed) and none of the seeded users.
 */
/** A whole flow on two shared cores; one wait for the page. */
const FLOW_MS = 90_000;
const WAIT_MS = 15_000;

export function tenantsSpecs(env: () => ConsoleEnv): void {
  const TENANT = 'e2e-acme';

  /** A fresh page whose waits give up well before the spec's own time runs out, so a failure names what it waited for. */
  const newPage = async (): Promise<Page> => {
    const page = await env().newPage();
    page.setDefaultTimeout(WAIT_MS);
    return page;
  };

  /** The admin API as a script calls it, with the operator token: to arrange and to check. */
  const api = (path: string, init: { method?: string; body?: unknown; token?: string } = {}) =>
    fetch(`${env().origin}${path}`, {
      method: init.method ?? 'GET',
      headers: { Authorization: `Bearer ${init.token ?? env().operatorToken}`, 'Content-Type': path.startsWith('/admin') ? 'application/json' : 'application/scim+json' },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });

  /** The tenant the UI creates in the first spec, should that spec not have got that far. */
  const ensureTenant = async (id: string) => {
    const response = await api('/admin/tenants', { method: 'POST', body: { id } });
    expect([201, 409]).toContain(response.status);
  };

  const operatorAt = async (hash: string): Promise<Page> => {
    const page = await newPage();
    await signInAs(page, env(), env().operatorToken);
    await page.goto(`${env().consoleUrl}${hash}`);
    return page;
  };

  it('lists the tenants with their SCIM URLs, shows a bad id\'s sentence beside the field, and creates e2e-acme', async () => {
    const page = await newPage();
    await signInAs(page, env(), env().operatorToken);
    const tenants = page.getByRole('table', { name: 'Tenants' });
    await expect(textOf(tenants.getByRole('row', { name: /default/ }))).resolves.toContain(`${env().origin}/scim/v2`);

    await page.getByLabel('Tenant id').fill('Acme Corp!');
    await page.getByRole('button', { name: 'Create tenant' }).click();
    const idField = page.getByLabel('Tenant id');
    await expect(messageOf(idField)).resolves.toMatch(/^id must be a tenant id: lowercase letters, digits and "-"/);
    expect(await idField.getAttribute('aria-invalid')).toBe('true');

    await idField.fill(TENANT);
    await page.getByLabel('Name', { exact: true }).fill('Acme (e2e)');
    await page.getByRole('button', { name: 'Create tenant' }).click();
    await page.getByRole('heading', { name: /Acme \(e2e\)/ }).waitFor();
    expect(page.url()).toMatch(/#\/tenants\/e2e-acme$/);
    expect(await page.getByText(`${env().origin}/scim/v2/tenants/${TENANT}`).count()).toBe(1);

    await page.getByRole('link', { name: '← Tenants' }).click();
    const row = tenants.getByRole('row', { name: new RegExp(TENANT) });
    await expect(textOf(row)).resolves.toContain('Acme (e2e)');
    expect(await row.getByRole('link', { name: `Users of ${TENANT}` }).getAttribute('href')).toBe(`#/t/${TENANT}/users`);
    await screenshot(page, 'tenants');
    await page.context().close();
  }, FLOW_MS);

  it('shows where each setting comes from, puts the server\'s sentence beside a bad maxRoles, and saves a good one', async () => {
    await ensureTenant(TENANT);
    const page = await operatorAt(`#/tenants/${TENANT}`);
    const maxRoles = page.getByRole('group', { name: /Maximum roles per user/ });
    await expect(textOf(maxRoles)).resolves.toContain('server default');

    await maxRoles.getByLabel("Use the server's default").uncheck();
    await page.getByLabel('Maximum roles per user').fill('5000');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect(textOf(maxRoles.getByRole('alert'))).resolves.toMatch(/^settings\.maxRoles must be a whole number from 0 to 1000/);
    expect(await page.getByLabel('Maximum roles per user').getAttribute('aria-invalid')).toBe('true');

    await page.getByLabel('Maximum roles per user').fill('7');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect(textOf(page.getByText('Saved: maxRoles.'))).resolves.toBe('Saved: maxRoles.');
    await expect(textOf(maxRoles.getByTestId('in-effect'))).resolves.toBe('7');
    await expect(textOf(maxRoles)).resolves.toContain("this tenant's own");
    expect(((await (await api(`/admin/tenants/${TENANT}`)).json()) as { settings: unknown }).settings).toEqual({ maxRoles: 7 });

    await page.reload();
    await expect(textOf(page.getByRole('group', { name: /Maximum roles per user/ }).getByTestId('in-effect'))).resolves.toBe('7');
    await page.context().close();
  }, FLOW_MS);

  it('creates a service token whose secret is shown once, and revokes it so that it stops working', async () => {
    await ensureTenant(TENANT);
    const page = await operatorAt(`#/tenants/${TENANT}`);
    await page.getByLabel('Token name').fill('okta-e2e');
    await page.getByLabel('Expires in').fill('soon');
    await page.getByRole('button', { name: 'Create token' }).click();
    await expect(messageOf(page.getByLabel('Expires in'))).resolves.toMatch(/^expiresIn takes a duration such as 90d/);

    await page.getByLabel('Expires in').fill('90d');
    await page.getByRole('button', { name: 'Create token' }).click();
    const shown = page.getByRole('region', { name: 'New token okta-e2e' });
    await expect(textOf(shown)).resolves.toContain('it will not be shown again');
    const secret = await textOf(shown.getByTestId('secret'));
    const whoami = await api('/admin/whoami', { token: secret });
    expect(whoami.status).toBe(200);
    expect(await whoami.json()).toMatchObject({ kind: 'service', tenantId: TENANT, tokenName: 'okta-e2e' });

    const row = page.getByRole('table', { name: 'Service tokens' }).getByRole('row', { name: /okta-e2e/ });
    await expect(textOf(row)).resolves.toContain('active');
    await page.reload();
    await row.waitFor();
    expect(await page.content()).not.toContain(secret);

    await row.getByRole('button', { name: 'Revoke' }).click();
    await row.getByRole('button', { name: 'Yes, revoke' }).click();
    await row.getByText('revoked').waitFor();
    expect(await row.getByRole('button', { name: 'Revoke' }).count()).toBe(0);
    expect((await api('/admin/whoami', { token: secret })).status).toBe(401);
    await page.evaluate('window.scrollTo(0, 0)');
    await screenshot(page, 'tenant');
    await page.context().close();
  }, FLOW_MS);

  it('creates an OAuth client for Entra with its secret shown once, and revokes that secret', async () => {
    await ensureTenant(TENANT);
    const page = await operatorAt(`#/t/${TENANT}/clients`);
    await page.getByText('This tenant has no OAuth clients.').waitFor();
    await page.getByLabel('Client name').fill('entra-e2e');
    await page.getByRole('button', { name: 'Create client' }).click();
    const shown = page.getByRole('region', { name: 'New client entra-e2e' });
    await expect(textOf(shown)).resolves.toContain(`${env().origin}/scim/v2/tenants/${TENANT}`);
    expect(await shown.textContent()).toContain(`${env().origin}/oauth/token`);
    const clientSecret = await textOf(shown.getByTestId('secret'));
    const client = page.getByRole('article', { name: 'entra-e2e' });
    const clientId = (await client.getAttribute('data-client-id')) ?? '';
    expect((await tokenFor(clientId, clientSecret)).status).toBe(200);

    await shown.getByRole('button', { name: 'I have copied it, hide it' }).click();
    expect(await page.content()).not.toContain(clientSecret);
    await page.reload();
    const secretRow = client.getByRole('table', { name: 'Secrets of entra-e2e' }).getByRole('row').nth(1);
    await expect(textOf(secretRow)).resolves.toContain('active');
    expect(await page.content()).not.toContain(clientSecret);

    await secretRow.getByRole('button', { name: 'Revoke' }).click();
    await secretRow.getByRole('button', { name: 'Yes, revoke' }).click();
    await secretRow.getByText('revoked').waitFor();
    const refused = await tokenFor(clientId, clientSecret);
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ error: 'invalid_client' });
    await page.context().close();
  }, FLOW_MS);

  it('deletes a tenant that holds users only after the server\'s refusal and a typed confirmation', async () => {
    expect((await api('/admin/tenants', { method: 'POST', body: { id: 'e2e-doomed' } })).status).toBe(201);
    const user = await api('/scim/v2/tenants/e2e-doomed/Users', {
      method: 'POST', body: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'doomed@example.com', name: { givenName: 'Do', familyName: 'Omed' }, emails: [{ value: 'doomed@example.com' }] },
    });
    expect(user.status).toBe(201);
    const page = await operatorAt('#/tenants/e2e-doomed');
    await page.getByRole('button', { name: 'Delete tenant' }).click();
    await page.getByRole('button', { name: 'Yes, delete tenant' }).click();
    await expect(textOf(page.getByRole('alert'))).resolves.toMatch(/holds 1 user\(s\) and 0 group\(s\)/);

    const erase = page.getByRole('button', { name: 'Erase everything' });
    expect(await erase.isDisabled()).toBe(true);
    await page.getByLabel(/type its id/).fill('e2e-doomed');
    await erase.click();
    await page.getByRole('button', { name: 'Yes, erase everything' }).click();
    await page.getByText('Tenant e2e-doomed was deleted with everything in it.').waitFor();
    expect(page.url()).toMatch(/#\/tenants\?deleted=e2e-doomed$/);
    expect((await api('/admin/tenants/e2e-doomed')).status).toBe(404);
    await page.context().close();
  }, FLOW_MS);

  it('shows a tenant\'s service token no Tenants link and a clear message at #/tenants', async () => {
    await ensureTenant(TENANT);
    const created = await api(`/admin/tenants/${TENANT}/tokens`, { method: 'POST', body: { name: 'console-e2e-service' } });
    const { token } = (await created.json()) as { token: string };
    const page = await newPage();
    await signInAs(page, env(), token);
    expect(page.url()).toMatch(/#\/t\/e2e-acme\/users$/);
    expect(await page.getByRole('link', { name: 'Tenants', exact: true }).count()).toBe(0);

    await page.goto(`${env().consoleUrl}#/tenants`);
    const explanation = page.getByRole('status').filter({ hasText: 'Tenants are managed with an operator token.' });
    await expect(textOf(explanation)).resolves.toContain('service token (console-e2e-service) of the tenant e2e-acme');
    expect(await page.getByRole('link', { name: 'Go to the users of e2e-acme' }).getAttribute('href')).toBe('#/t/e2e-acme/users');
    await page.context().close();
  }, FLOW_MS);

  /** POST /oauth/token as Entra ID sends it. */
  const tokenFor = (clientId: string, clientSecret: string) =>
    fetch(`${env().origin}/oauth/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }).toString(),
    });
}

/** The text of the first match, once it is there. */
async function textOf(locator: Locator): Promise<string> {
  await locator.first().waitFor();
  return (await locator.first().innerText()).trim();
}

/** The message a field is described by (its server error), once the field has one. */
async function messageOf(field: Locator): Promise<string> {
  await field.and(field.page().locator('[aria-describedby]')).waitFor();
  return textOf(field.page().locator(`[id="${await field.getAttribute('aria-describedby')}"]`));
}
