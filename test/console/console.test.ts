import { chromiumPath } from './support/chromium';
import { startConsoleEnv, type ConsoleEnv } from './support/console-env';
import { activitySpecs } from './specs/activity.spec';
import { groupsSpecs } from './specs/groups.spec';
import { signInSpecs } from './specs/sign-in.spec';
import { tenantsSpecs } from './specs/tenants.spec';
import { userSpecs } from './specs/user.spec';
import { usersSpecs } from './specs/users.spec';

/**
 * The admin console in a real Chromium against a real Roster (issue 14). One server, one seeded
 * store and one browser serve every spec file in turn; CONSOLE_SPECS=users,groups runs some of
 * them. Without a Chromium the suite is skipped with one line saying so.
 */
const SPECS: Record<string, (env: () => ConsoleEnv) => void> = {
  'sign-in': signInSpecs, tenants: tenantsSpecs, users: usersSpecs, user: userSpecs, groups: groupsSpecs, activity: activitySpecs,
};

const chromium = chromiumPath();
const only = process.env.CONSOLE_SPECS?.split(',').map((s) => s.trim());
if (!chromium) {
  process.stderr.write('Console browser tests skipped: no Chromium at CHROMIUM_PATH or /usr/bin/chromium (apt-get install -y chromium).\n');
}

(chromium ? describe : describe.skip)('the admin console in Chromium', () => {
  let env: ConsoleEnv | undefined;
  const current = (): ConsoleEnv => {
    if (!env) throw new Error('the console environment did not start');
    return env;
  };

  beforeAll(async () => {
    env = await startConsoleEnv(chromium as string);
  }, 600_000);
  afterAll(async () => env?.close(), 60_000);

  for (const [name, specs] of Object.entries(SPECS)) {
    if (!only || only.includes(name)) describe(name, () => specs(current));
  }

  it('never asked another host for anything and threw no error in the page', () => {
    expect(current().problems).toEqual([]);
  });
});
