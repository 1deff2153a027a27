/**
 * Jest runs the TypeScript sources directly through ts-jest (CommonJS, plain preset), in two
 * projects (`npm test` runs both; `npx jest --selectProjects roster` runs one):
 * - `roster`: every spec, against the built-in `default` tenant at /scim/v2.
 * - `tenant acme`: the HTTP specs that are about SCIM behaviour, run again against the tenant
 *   `acme` at /scim/v2/tenants/acme (test/support/tenant-project.ts sets ROSTER_TEST_TENANT), so
 *   a second tenant is shown to behave exactly like the first. Specs about the process or the
 *   server as a whole are left out: see TENANT_SPECS.
 */
const shared = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  // Two workers on two cores (below) make a spec that takes 2 s alone take several: a test's time
  // limit guards against a hang, not a slow machine (speed is measured by npm run bench).
  testTimeout: 30_000,
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
};

/**
 * The HTTP specs that run in the tenant too: every spec about what a SCIM client or an admin sees.
 * Not here: client-errors and server-* (HTTP parsing, listening and stopping: all before any
 * tenant is known), request-log (its own cases already name several tenants), test/http/tenants
 * (already runs several tenants side by side) and, until it is green in `roster`, cursor.
 */
const TENANT_SPECS = [
  'account-rules', 'admin-api', 'effective-permissions', 'auth', 'auth-failures', 'body', 'bulk', 'cursor', 'discovery', 'entra', 'errors', 'filter-limits',
  'groups', 'limits', 'lists', 'locations', 'membership-concurrency', 'okta', 'rate-limit', 'self-service', 'smoke',
  'soft-delete', 'sorting', 'user-tokens', 'users', 'admin-failures', 'admin-activity',
];

module.exports = {
  // Jest's default on 2 cores is one worker, which leaves a core idle while a spec waits on SQLite,
  // a socket or Chromium; two keep both busy (README, Development: how long npm test takes).
  maxWorkers: 2,
  projects: [
    { ...shared, displayName: 'roster', testMatch: ['**/*.test.ts'] },
    {
      ...shared,
      displayName: 'tenant acme',
      setupFiles: ['<rootDir>/test/support/tenant-project.ts'],
      testMatch: [...TENANT_SPECS.map((name) => `<rootDir>/test/http/${name}.test.ts`), '<rootDir>/test/http/events/*.test.ts'],
    },
  ],
};
