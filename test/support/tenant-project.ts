/**
 * Setup file of the "tenant acme" jest project (jest.config.js): every HTTP spec it runs talks to
 * the tenant `acme` at /scim/v2/tenants/acme (and /admin/tenants/acme/users) instead of the
 * built-in `default` tenant. test-app.ts reads the variable when a spec first imports it, which
 * is after this file runs, so the same specs prove that a second tenant behaves exactly like the
 * first.
 */
process.env.ROSTER_TEST_TENANT = 'acme';

export {};
