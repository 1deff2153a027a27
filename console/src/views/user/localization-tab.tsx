import { LOCALIZATION_URN } from '../../api/scim';
import { text, type AttributeSpec } from './attributes';
import { EditSection, type SectionProps } from './edit-section';

const SECTION = 'Localization';

/** The canonical dateTimeFormat values (schemas/roster-localization.json), each with the example seed 000 gives. */
const DATE_TIME_FORMATS: readonly [string, string][] = [
  ['m/d/Y', '12/31/2017'], ['m/d/Y h:i A', '12/31/2017 11:30 pm'], ['m/d/Y H:i', '12/31/2017 23:30'],
  ['d/m/Y', '31/12/2017'], ['d/m/Y H:i', '31/12/2017 23:30'], ['Y/m/d', '2017/12/31'], ['Y/m/d H:i', '2017/12/31 23:30'],
];

/** Seed 000's Localization section: language, locale, time zone and date format. */
export const LOCALIZATION: readonly AttributeSpec[] = [
  text('Preferred language', SECTION, 'preferredLanguage', { hint: 'A BCP 47 tag such as en-US (or an Accept-Language list).' }),
  text('Locale', SECTION, 'locale', { hint: 'A BCP 47 tag such as de-DE.' }),
  text('Time zone', SECTION, 'timezone', { hint: 'An IANA time zone name such as Europe/Berlin.' }),
  text('Date format', SECTION, 'dateTimeFormat', {
    urn: LOCALIZATION_URN, choices: DATE_TIME_FORMATS.map(([value, example]) => ({ value, label: `${value} (${example})` })),
  }),
];

export function LocalizationTab(props: SectionProps) {
  return <EditSection {...props} title="Localization" specs={LOCALIZATION} />;
}
