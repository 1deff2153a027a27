import { asciiFold } from './ascii-fold';

/**
 * Migration 10: the substring-search indexes (issue 13). FTS5 trigram indexes find the rows whose
 * text contains a string of 3 or more characters without reading every row; the filter compiler
 * uses them as a prefilter before today's exact comparison (search-index.ts).
 *
 * - user_search: a user's userName and displayName (their folded columns) and name.givenName,
 *   name.familyName and name.formatted, rowid = users.seq;
 * - user_email_search: all of a user's folded emails.value, one per line, rowid = users.seq
 *   (a user's emails are rows of user_emails, whose own rowids VACUUM may renumber);
 * - group_search: a group's folded displayName, rowid = groups.seq.
 *
 * Triggers keep them in the transaction of every write, whichever path makes it (create, update,
 * bulk, purge, a cascade, tenant erase). They use SQLite's built-in functions only, so any
 * connection may write (scim_fold exists only on Roster's own): the names, which have no folded
 * column, are indexed as asciiFold folds them (ascii-fold.ts), and search-index.ts asks this index
 * only for operands it answers as a superset of foldCase's matches.
 *
 * Contentless (content=''): the index keeps no second copy of the text, and contentless_delete
 * lets the triggers delete by rowid. detail=column keeps which column holds each trigram but not
 * where: a third less to write and a third smaller (measured on 20,000 rows); a search asks for
 * rows holding all of the operand's trigrams, a superset the exact comparison then narrows.
 * Soft-deleted users stay indexed (lists hide them).
 */
const name = (data: string, sub: string) => asciiFold(`json_extract(${data}, '$."name"."${sub}"')`);
const names = (data: string) => ['givenName', 'familyName', 'formatted'].map((sub) => name(data, sub)).join(', ');

const userRow = `INSERT INTO user_search (rowid, user_name, display_name, given_name, family_name, formatted)
    VALUES (new.seq, new.user_name_key, new.display_name_key, ${names('new.data')})`;

/**
 * A user's emails, written again whenever one of them changes (a user has a few). INDEXED BY:
 * without statistics SQLite read every email of the tenant from (tenant_id, value_key, user_seq),
 * a covering index, rather than the user's own from (tenant_id, user_seq): an import slowed as it grew.
 */
const emailsOf = (seq: string, tenant: string) => `DELETE FROM user_email_search WHERE rowid = ${seq};
    INSERT INTO user_email_search (rowid, value)
      SELECT ${seq}, group_concat(value_key, char(10)) FROM user_emails INDEXED BY user_emails_user
        WHERE tenant_id = ${tenant} AND user_seq = ${seq} HAVING count(value_key) > 0`;

export const searchMigration = `
  CREATE VIRTUAL TABLE user_search USING fts5 (user_name, display_name, given_name, family_name, formatted,
    tokenize = 'trigram case_sensitive 1', content = '', contentless_delete = 1, detail = column);
  CREATE VIRTUAL TABLE user_email_search USING fts5 (value, tokenize = 'trigram case_sensitive 1', content = '', contentless_delete = 1, detail = column);
  CREATE VIRTUAL TABLE group_search USING fts5 (display_name, tokenize = 'trigram case_sensitive 1', content = '', contentless_delete = 1, detail = column);

  CREATE TRIGGER users_search_insert AFTER INSERT ON users BEGIN
    ${userRow};
  END;
  CREATE TRIGGER users_search_update AFTER UPDATE OF user_name_key, display_name_key, data ON users BEGIN
    DELETE FROM user_search WHERE rowid = old.seq;
    ${userRow};
  END;
  CREATE TRIGGER users_search_delete AFTER DELETE ON users BEGIN
    DELETE FROM user_search WHERE rowid = old.seq;
    DELETE FROM user_email_search WHERE rowid = old.seq;
  END;

  CREATE TRIGGER user_emails_search_insert AFTER INSERT ON user_emails BEGIN
    ${emailsOf('new.user_seq', 'new.tenant_id')};
  END;
  CREATE TRIGGER user_emails_search_update AFTER UPDATE OF value_key ON user_emails BEGIN
    ${emailsOf('new.user_seq', 'new.tenant_id')};
  END;
  CREATE TRIGGER user_emails_search_delete AFTER DELETE ON user_emails BEGIN
    ${emailsOf('old.user_seq', 'old.tenant_id')};
  END;

  CREATE TRIGGER groups_search_insert AFTER INSERT ON groups BEGIN
    INSERT INTO group_search (rowid, display_name) VALUES (new.seq, new.display_name_key);
  END;
  CREATE TRIGGER groups_search_update AFTER UPDATE OF display_name_key ON groups BEGIN
    DELETE FROM group_search WHERE rowid = old.seq;
    INSERT INTO group_search (rowid, display_name) VALUES (new.seq, new.display_name_key);
  END;
  CREATE TRIGGER groups_search_delete AFTER DELETE ON groups BEGIN
    DELETE FROM group_search WHERE rowid = old.seq;
  END;

  INSERT INTO user_search (rowid, user_name, display_name, given_name, family_name, formatted)
    SELECT seq, user_name_key, display_name_key, ${names('data')} FROM users;
  INSERT INTO user_email_search (rowid, value)
    SELECT user_seq, group_concat(value_key, char(10)) FROM user_emails WHERE value_key IS NOT NULL GROUP BY user_seq;
  INSERT INTO group_search (rowid, display_name) SELECT seq, display_name_key FROM groups;
`;
