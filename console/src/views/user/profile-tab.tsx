import { ENTERPRISE_URN, type Resource } from '../../api/scim';
import { rows, text, valueAt, type AttributeSpec } from './attributes';
import { EditSection, type SectionProps } from './edit-section';

const NAME = 'Name';
const CONTACT = 'Contact information';
const ADDRESS = 'Address';
const WORK = 'Organization';

/** The manager is a complex attribute; the form edits its id (value) only, the server fills displayName. */
const manager: AttributeSpec = {
  ...text('Manager (user id)', WORK, 'manager', { urn: ENTERPRISE_URN }),
  read: (user: Resource) => String(valueAt(user, 'manager.value', ENTERPRISE_URN) ?? ''),
  write: (draft) => (String(draft).trim() === '' ? undefined : { value: String(draft).trim() }),
};

/**
 * The profile as the product docs group it (seed 000: Name, Contact information, Address; the
 * enterprise extension's organization): core SCIM attributes and the enterprise ones.
 */
export const PROFILE: readonly AttributeSpec[] = [
  text('Username', NAME, 'userName'),
  text('First name', NAME, 'name.givenName'),
  text('Middle name', NAME, 'name.middleName'),
  text('Last name', NAME, 'name.familyName'),
  text('Honorific prefix', NAME, 'name.honorificPrefix'),
  text('Honorific suffix', NAME, 'name.honorificSuffix'),
  text('Display name', NAME, 'displayName'),
  text('Nickname', NAME, 'nickName'),
  rows('Emails', 'Email', CONTACT, 'emails', [{ key: 'value', label: 'Address' }, { key: 'type', label: 'Type', options: ['work', 'home', 'other'] }]),
  rows('Phone numbers', 'Phone', CONTACT, 'phoneNumbers', [
    { key: 'value', label: 'Number' }, { key: 'type', label: 'Type', options: ['work', 'home', 'mobile', 'fax', 'pager', 'other'] },
  ]),
  text('Profile URL', CONTACT, 'profileUrl', { inputType: 'url' }),
  rows('Addresses', 'Address', ADDRESS, 'addresses', [
    { key: 'streetAddress', label: 'Street' }, { key: 'locality', label: 'City' }, { key: 'region', label: 'State or region' },
    { key: 'postalCode', label: 'Postal code' }, { key: 'country', label: 'Country' }, { key: 'type', label: 'Type', options: ['work', 'home', 'other'] },
  ]),
  text('Job title', WORK, 'title'),
  text('User type', WORK, 'userType'),
  text('Employee number', WORK, 'employeeNumber', { urn: ENTERPRISE_URN }),
  text('Organization', WORK, 'organization', { urn: ENTERPRISE_URN }),
  text('Division', WORK, 'division', { urn: ENTERPRISE_URN }),
  text('Department', WORK, 'department', { urn: ENTERPRISE_URN }),
  text('Cost center', WORK, 'costCenter', { urn: ENTERPRISE_URN }),
  manager,
];

export function ProfileTab(props: SectionProps) {
  return <EditSection {...props} title="Profile" specs={PROFILE} />;
}
