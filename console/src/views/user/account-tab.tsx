import { getTenant } from '../../api/tenants';
import { ACCOUNT_URN, type Resource } from '../../api/scim';
import { useLoad } from '../../state/use-load';
import { Time } from '../common/time';
import { check, text, valueAt, type AttributeSpec } from './attributes';
import { EditSection, type SectionProps } from './edit-section';
import { EffectivePermissions } from './permissions';

const STATUS = 'Status';
const ACCESS = 'Access';
const ACCOUNT = 'Account';

const choices = (values: readonly [string, string][]) => values.map(([value, label]) => ({ value, label }));

const rolesSpec = (maxRoles: number | undefined): AttributeSpec => ({
  ...text('Roles', ACCESS, 'roles', { urn: ACCOUNT_URN }),
  hint: `Separate roles with commas. Only Config admin accounts have roles, at most ${maxRoles ?? 'the tenant\'s maxRoles'}.`,
  read: (user: Resource) => {
    const roles = valueAt(user, 'roles', ACCOUNT_URN);
    return Array.isArray(roles) ? roles.join(', ') : '';
  },
  // An empty list clears the roles (the server's rule for leaving ConfigAdmin).
  write: (draft) => String(draft).split(',').map((r) => r.trim()).filter(Boolean),
});

/** The Account extension (seed 004: status, account type, roles; seed 001: expiry, forced password change, birthdate). */
export const accountSpecs = (maxRoles?: number): AttributeSpec[] => [
  text('Status', STATUS, 'status', {
    urn: ACCOUNT_URN, required: true, choices: choices([['Created', 'Created'], ['Pending', 'Pending'], ['Active', 'Active'], ['Inactive', 'Inactive']]),
    hint: 'Created → Pending → Active; Active ↔ Inactive; Created or Pending → Inactive.',
  }),
  text('Account type', ACCESS, 'accountType', {
    urn: ACCOUNT_URN, required: true,
    choices: choices([['Internal', 'Internal'], ['External', 'External'], ['ConfigAdmin', 'Config admin'], ['SuperAdmin', 'Super admin'], ['OneTimeCompletion', '1-time completion']]),
    hint: 'A 1-time completion account may become any other type (choose Created or Pending status with it); no type becomes 1-time completion.',
  }),
  rolesSpec(maxRoles),
  text('Expires at', ACCOUNT, 'expiresAt', { urn: ACCOUNT_URN, hint: 'ISO 8601, e.g. 2027-01-31T17:00:00Z. From then on its tokens are refused.' }),
  check('Must change password at next sign-in', ACCOUNT, 'forcePasswordChange', ACCOUNT_URN),
  text('Birthdate', ACCOUNT, 'birthdate', { urn: ACCOUNT_URN, inputType: 'date' }),
];

/** Why a user-bound session cannot change these of its own account (README, Account rules 8). */
export const SELF_ACCESS = 'You are signed in with this user\'s own token: nobody changes their own account type or roles.';

export function AccountTab(props: SectionProps & { self: boolean }) {
  const { ctx, user, self } = props;
  // The tenant's maxRoles is in its settings, which only an operator may read; others see the rule without the number.
  const tenant = useLoad(
    () => (ctx.session.me.kind === 'operator' ? getTenant(ctx.session.token, ctx.tenantId) : Promise.resolve(undefined)),
    [ctx.session.token, ctx.tenantId],
  );
  const specs = accountSpecs(tenant.data?.effectiveSettings.maxRoles);
  const locked = self ? { [`${ACCOUNT_URN}:accountType`]: SELF_ACCESS, [`${ACCOUNT_URN}:roles`]: SELF_ACCESS } : undefined;
  return (
    <EditSection {...props} title="Account" specs={specs} locked={locked}>
      <div class="attribute-group">
        <h3>History of the status</h3>
        <dl class="props">
          <dt>Created</dt><dd><Time iso={user.meta?.created} /></dd>
          <dt>Activated</dt><dd><Time iso={valueAt(user, 'activatedAt', ACCOUNT_URN) as string | undefined} /></dd>
          <dt>Deactivated</dt><dd><Time iso={valueAt(user, 'deactivatedAt', ACCOUNT_URN) as string | undefined} /></dd>
          <dt>Last modified</dt><dd><Time iso={user.meta?.lastModified} /></dd>
        </dl>
      </div>
      <EffectivePermissions ctx={ctx} user={user} />
    </EditSection>
  );
}
