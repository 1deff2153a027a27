import { ACCOUNT_URN, ENTERPRISE_URN, GROUP_URN, LOCALIZATION_URN, USER_URN, userBody } from '../../support/test-app';
import type { KnownIds } from '../arbitraries/values';
import type { PropertyApp } from './property-app';

/**
 * A small directory with at least one value for every kind of attribute (so filters and sorts
 * meet real data: roles, a manager, phone numbers, an inactive user, a deleted one) and groups
 * with and without members. Seeded once per file, through the API; returns the ids the
 * arbitraries may name.
 */
export async function seedDirectory(app: PropertyApp, prefix: string): Promise<KnownIds> {
  const create = async (path: string, body: object) => {
    const reply = await app.send({ method: 'POST', path, body });
    if (reply.status !== 201) throw new Error(`seeding ${path} answered ${reply.status}: ${JSON.stringify(reply.body)} ${JSON.stringify(reply.serverErrors)}`);
    return reply.body.id as string;
  };
  const plain = await create('/Users', userBody(`${prefix}.plain`));
  const admin = await create('/Users', userBody(`${prefix}.Admin`, {
    schemas: [USER_URN, ENTERPRISE_URN, ACCOUNT_URN, LOCALIZATION_URN],
    displayName: 'Casey Admin',
    externalId: `ext-${prefix}`,
    phoneNumbers: [{ value: '+49 30 1234', type: 'work', primary: true }, { value: '555', type: 'mobile' }],
    addresses: [{ locality: 'Berlin', country: 'DE', type: 'work' }],
    timezone: 'Europe/Berlin',
    locale: 'de-DE',
    [ENTERPRISE_URN]: { employeeNumber: '42', department: 'R&D', manager: { value: plain } },
    [ACCOUNT_URN]: { accountType: 'ConfigAdmin', roles: ['Reports', 'Workflows'] },
    [LOCALIZATION_URN]: { dateTimeFormat: 'd/m/Y H:i' },
  }));
  const inactive = await create('/Users', userBody(`${prefix}.inactive`, { active: false, title: 'Ödegaard "quoted" \\ ✓' }));
  const varied = await create('/Users', userBody(`${prefix}.varied`, {
    emails: [{ value: `${prefix}.varied@example.com`, type: 'work', primary: true }, { value: `${prefix}.home@example.org`, type: 'home' }],
    ims: [{ value: 'varied', type: 'xmpp' }],
    photos: [{ value: 'https://example.com/p.png', type: 'photo' }],
    entitlements: [{ value: 'e1' }],
    roles: [{ value: 'core-role', primary: true }],
    [ACCOUNT_URN]: { accountType: 'ConfigAdmin' },
    x509Certificates: [{ value: 'TUlJQw==' }],
  }));
  const deletedUserId = await create('/Users', userBody(`${prefix}.deleted`));
  const groupIds = [
    await create('/Groups', { schemas: [GROUP_URN], displayName: `${prefix} Sales`, members: [{ value: plain }, { value: admin }, { value: deletedUserId }] }),
    await create('/Groups', { schemas: [GROUP_URN], displayName: `${prefix} Empty`, externalId: `g-${prefix}` }),
    await create('/Groups', { schemas: [GROUP_URN], displayName: `${prefix} Inactive`, members: [{ value: inactive }] }),
  ];
  const deleted = await app.send({ method: 'DELETE', path: `/Users/${deletedUserId}` });
  if (deleted.status !== 204) throw new Error(`seeding: deleting a user answered ${deleted.status}`);
  return { userIds: [plain, admin, inactive, varied], groupIds, deletedUserId };
}
