import { ACCOUNT_URN, GROUP_URN, USER_URN } from '../../support/test-app';
import type { PropertyApp, Reply } from './property-app';

/**
 * The invariants no request may break, read back through the API as a client sees them:
 * every resource is a valid SCIM resource, userNames and group displayNames are unique without
 * regard to case, `active` agrees with the Account `status` (README "Account rules" 1), roles
 * sit only on ConfigAdmin accounts (rule 3), the required attributes are there (rule 4), group
 * members are existing users, and no password is ever returned.
 */
const ACCOUNT_TYPES = ['Internal', 'External', 'ConfigAdmin', 'SuperAdmin', 'OneTimeCompletion'];
const STATUSES = ['Created', 'Pending', 'Active', 'Inactive'];
const MAX_ROLES = 25;

type Resource = Record<string, any>;

/** What is wrong with one resource as served (GET, list, or the body of a write). */
export function resourceProblems(resource: Resource, kind: 'User' | 'Group'): string[] {
  const problems: string[] = [];
  const where = `${kind} ${JSON.stringify(resource?.id)}`;
  if (!Array.isArray(resource?.schemas) || !resource.schemas.includes(kind === 'User' ? USER_URN : GROUP_URN)) problems.push(`${where} has schemas ${JSON.stringify(resource?.schemas)}`);
  if (typeof resource?.id !== 'string' || resource.id === '') problems.push(`${where} has no id`);
  const meta = resource?.meta ?? {};
  if (meta.resourceType !== kind) problems.push(`${where} has meta.resourceType ${JSON.stringify(meta.resourceType)}`);
  if (!/^W\/"\d+"$/.test(meta.version)) problems.push(`${where} has meta.version ${JSON.stringify(meta.version)}`);
  if (typeof meta.location !== 'string' || !meta.location.endsWith(`/${kind}s/${resource?.id}`)) problems.push(`${where} has meta.location ${JSON.stringify(meta.location)}`);
  if (Number.isNaN(Date.parse(meta.created)) || Number.isNaN(Date.parse(meta.lastModified))) problems.push(`${where} has meta dates ${meta.created}, ${meta.lastModified}`);
  if (hasPasswordKey(resource)) problems.push(`${where} is served with a password`);
  return problems.concat(kind === 'User' ? accountProblems(resource, where) : typeof resource?.displayName === 'string' ? [] : [`${where} has no displayName`]);
}

/** A key named password at any depth (a value that merely says "password" is fine). */
export const hasPasswordKey = (value: unknown): boolean =>
  typeof value === 'object' && value !== null &&
  Object.entries(value).some(([key, inner]) => key.toLowerCase() === 'password' || hasPasswordKey(inner));

function accountProblems(user: Resource, where: string): string[] {
  const problems: string[] = [];
  const account = user[ACCOUNT_URN] ?? {};
  if (typeof user.userName !== 'string' || user.userName.trim() === '') problems.push(`${where} has userName ${JSON.stringify(user.userName)}`);
  if (!STATUSES.includes(account.status)) problems.push(`${where} has Account status ${JSON.stringify(account.status)}`);
  if (!ACCOUNT_TYPES.includes(account.accountType)) problems.push(`${where} has accountType ${JSON.stringify(account.accountType)}`);
  if (user.active !== (account.status === 'Active')) problems.push(`${where} has active ${JSON.stringify(user.active)} with status ${JSON.stringify(account.status)}`);
  const roles = account.roles ?? [];
  if (!Array.isArray(roles) || roles.length > MAX_ROLES || (roles.length > 0 && account.accountType !== 'ConfigAdmin')) {
    problems.push(`${where} has roles ${JSON.stringify(account.roles)} on a ${account.accountType} account`);
  }
  if (!user.name?.givenName || !user.name?.familyName) problems.push(`${where} has name ${JSON.stringify(user.name)}`);
  if (!Array.isArray(user.emails) || user.emails.length === 0) problems.push(`${where} has no email`);
  return problems;
}

const duplicates = (values: readonly string[]) => values.filter((v, i) => values.indexOf(v) !== i);

async function listAll(app: PropertyApp, endpoint: '/Users' | '/Groups'): Promise<{ reply: Reply; resources: Resource[] }> {
  const reply = await app.send({ method: 'GET', path: `${endpoint}?count=1000` });
  return { reply, resources: reply.status === 200 && Array.isArray(reply.body.Resources) ? reply.body.Resources : [] };
}

/** Every broken invariant over the whole directory; empty when the store is consistent. */
export async function storeProblems(app: PropertyApp): Promise<string[]> {
  const users = await listAll(app, '/Users');
  const groups = await listAll(app, '/Groups');
  const problems: string[] = [];
  for (const [name, { reply }] of [['users', users], ['groups', groups]] as const) {
    if (reply.status !== 200) problems.push(`listing ${name} answered ${reply.status}: ${JSON.stringify(reply.body)}`);
  }
  problems.push(...users.resources.flatMap((u) => resourceProblems(u, 'User')));
  problems.push(...groups.resources.flatMap((g) => resourceProblems(g, 'Group')));
  const userNames = users.resources.map((u) => String(u.userName).toLowerCase());
  problems.push(...duplicates(userNames).map((n) => `userName ${JSON.stringify(n)} is held by more than one user`));
  const displayNames = groups.resources.map((g) => String(g.displayName).toLowerCase());
  problems.push(...duplicates(displayNames).map((n) => `group displayName ${JSON.stringify(n)} is held by more than one group`));
  const userIds = new Set(users.resources.map((u) => u.id));
  for (const group of groups.resources) {
    for (const member of group.members ?? []) {
      if (!userIds.has(member?.value)) problems.push(`group ${group.id} has member ${JSON.stringify(member)}, which is not an existing user`);
    }
  }
  return problems;
}
