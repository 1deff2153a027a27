import { signInAs, type ConsoleEnv } from '../support/console-env';

/** Sign-in: a pasted token, checked by the server, kept in sessionStorage only. */
export function signInSpecs(env: () => ConsoleEnv): void {
  it('refuses a wrong token with the server\'s own sentence, and stays on the sign-in form', async () => {
    const page = await env().newPage();
    await page.goto(env().consoleUrl);
    await page.getByLabel('Token').fill('not-a-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expectText(page.getByRole('alert'), /token/i);
    await page.context().close();
  });

  it('signs an operator in to the tenant list, keeps the token in sessionStorage only, and signs out', async () => {
    const page = await env().newPage();
    await signInAs(page, env(), env().operatorToken);
    expect(page.url()).toMatch(/#\/tenants$/);
    expect(page.url()).not.toContain(env().operatorToken);
    expect(await page.evaluate("sessionStorage.getItem('roster.console.token')")).toBe(env().operatorToken);
    expect(await page.evaluate('JSON.stringify(localStorage) + document.cookie')).not.toContain(env().operatorToken);
    await page.reload();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Token').waitFor();
    expect(await page.evaluate("sessionStorage.getItem('roster.console.token')")).toBeNull();
    await page.context().close();
  });
}

async function expectText(locator: import('playwright-core').Locator, pattern: RegExp): Promise<void> {
  await locator.first().waitFor();
  expect(await locator.first().innerText()).toMatch(pattern);
}
