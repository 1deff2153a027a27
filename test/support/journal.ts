import { changeJournal } from '../../src/domain/events/journal';

/** The journal tests open tenant ports with: the domain's own rules, acting as Roster itself. */
export const journal = changeJournal({ actor: { kind: 'system' } });
