import type { Statement } from 'better-sqlite3';
import type { Db } from './open-database';

/**
 * Compiled filters produce a few distinct SQL texts (values are parameters), so preparing each
 * once and reusing it saves SQLite's parse and plan on every list request.
 */
export class StatementCache {
  private readonly statements = new Map<string, Statement>();

  constructor(private readonly db: Db, private readonly capacity = 256) {}

  get(sql: string): Statement {
    const cached = this.statements.get(sql);
    if (cached) {
      this.statements.delete(sql);
      this.statements.set(sql, cached);
      return cached;
    }
    const statement = this.db.prepare(sql);
    this.statements.set(sql, statement);
    if (this.statements.size > this.capacity) this.statements.delete(this.statements.keys().next().value!);
    return statement;
  }
}
