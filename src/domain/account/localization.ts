import { invalidValue } from '../../scim/errors';
import { getKey, isJsonObject, type JsonObject } from '../../scim/values/json';
import { LOCALIZATION_URN } from './account';

/** 000: the seven date formats an account may use. */
export const DATE_TIME_FORMATS = ['m/d/Y', 'm/d/Y h:i A', 'm/d/Y H:i', 'd/m/Y', 'd/m/Y H:i', 'Y/m/d', 'Y/m/d H:i'] as const;

/**
 * timezone must be an IANA zone name, preferredLanguage and locale BCP 47 tags, dateTimeFormat
 * one of the seven. Okta sends locales as "en_US": an underscore is read as a hyphen, and the
 * value is stored as sent.
 */
export function checkLocalization(data: JsonObject): void {
  const timezone = getKey(data, 'timezone');
  if (typeof timezone === 'string' && !isTimeZone(timezone)) {
    throw invalidValue(`timezone must be an IANA time zone name such as Europe/Berlin or America/New_York, not ${JSON.stringify(timezone)}`);
  }
  const locale = getKey(data, 'locale');
  if (typeof locale === 'string' && !isLanguageTag(locale)) throw invalidValue(`locale must be a BCP 47 language tag such as en-US, not ${JSON.stringify(locale)}`);
  const language = getKey(data, 'preferredLanguage');
  if (typeof language === 'string' && !isLanguageList(language)) {
    throw invalidValue(`preferredLanguage must be a BCP 47 language tag such as en-US (or an Accept-Language list), not ${JSON.stringify(language)}`);
  }
  const localization = data[LOCALIZATION_URN];
  const format = isJsonObject(localization) ? getKey(localization, 'dateTimeFormat') : undefined;
  if (format !== undefined && format !== null && !DATE_TIME_FORMATS.includes(format as (typeof DATE_TIME_FORMATS)[number])) {
    throw invalidValue(`dateTimeFormat must be one of ${DATE_TIME_FORMATS.join(', ')}, not ${JSON.stringify(format)}`);
  }
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return zone.trim() !== '';
  } catch {
    return false;
  }
}

function isLanguageTag(tag: string): boolean {
  try {
    return Intl.getCanonicalLocales(tag.trim().replace(/_/g, '-')).length === 1;
  } catch {
    return false;
  }
}

/**
 * RFC 7643 §4.1.1 allows an Accept-Language value (RFC 9110 §12.5.4): "da, en-gb;q=0.8, en;q=0.7",
 * where "*" stands for any language and the "q" of a weight may be written in either case.
 */
const isLanguageList = (value: string) =>
  value.split(',').every((item) => {
    const [tag, ...params] = item.split(';').map((p) => p.trim());
    return (tag === '*' || isLanguageTag(tag)) && params.length <= 1 && params.every((p) => /^q=(0(\.\d{0,3})?|1(\.0{0,3})?)$/i.test(p));
  });
