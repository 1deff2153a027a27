/**
 * The benchmark's users, as an identity provider would send them: user `i` is always the same
 * person, so a scenario can name any user (an Okta lookup of user 4711) without reading the store.
 * Family names are made of syllables drawn from a hash of `i`, so that a 5-letter piece of one
 * (the `co` search operand) matches a handful of users at any size, as a real surname would.
 */
const GIVEN = ['Ada', 'Ben', 'Chloe', 'David', 'Elena', 'Farid', 'Grace', 'Hugo', 'Ines', 'Jonas', 'Kemal', 'Lena', 'Maya', 'Noah', 'Olga', 'Pavel', 'Quinn', 'Rosa', 'Sami', 'Tara'];
const CONSONANTS = 'bdfgklmnprstvz';
const VOWELS = 'aeiou';

/** Four syllables (70 to the fourth: 24 million names), capitalised: "Kovadire". */
export function familyName(i: number): string {
  let h = Math.imul(i + 1, 2654435761) >>> 0;
  let name = '';
  for (let s = 0; s < 4; s++) {
    const syllable = h % 70;
    h = Math.floor(h / 70);
    name += CONSONANTS[syllable % 14] + VOWELS[Math.floor(syllable / 14)];
  }
  return name[0].toUpperCase() + name.slice(1);
}

export const givenName = (i: number): string => GIVEN[i % GIVEN.length];
export const userName = (i: number): string => `${givenName(i)}.${familyName(i)}.${i}@example.com`.toLowerCase();
export const externalId = (i: number): string => `ext-${i}`;

/** The POST /Users body of user `i` (also what the seeding validates and stores). */
export function userBody(i: number, name = userName(i)): Record<string, unknown> {
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
    userName: name,
    externalId: externalId(i),
    name: { givenName: givenName(i), familyName: familyName(i) },
    emails: [{ value: name, type: 'work', primary: true }],
    active: true,
  };
}

/**
 * userBody(i) as the server's validator returns it (canonical attribute order, no `schemas`):
 * seeding a million users through scimmy would take 10 minutes, so the seeding builds this and
 * checks it against the validator for one user in each batch (seed.ts).
 */
export function validatedUser(i: number): Record<string, unknown> {
  const name = userName(i);
  return {
    externalId: externalId(i),
    userName: name,
    name: { givenName: givenName(i), familyName: familyName(i) },
    active: true,
    emails: [{ value: name, type: 'work', primary: true }],
  };
}

/** A 5-letter piece of user i's family name: the operand of the `co` searches. */
export const familyFragment = (i: number): string => familyName(i).slice(2, 7).toLowerCase();
