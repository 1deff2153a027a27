import { TenantExists, type TenantRecord, type TenantRegistry, type TenantSettings } from '../port';
import type { Db } from './open-database';
import { perDatabase } from './per-database';
import { eraseTenantData } from './tenant-erase';
import { eventRecorder } from './event-append';

interface TenantRow {
  id: string;
  name: string;
  created: string;
  last_modified: string;
  settings: string;
  deleting: string | null;
}

const toTenant = (row: TenantRow): TenantRecord => ({
  id: row.id,
  name: row.name,
  created: row.created,
  lastModified: row.last_modified,
  settings: JSON.parse(row.settings) as TenantSettings,
  ...(row.deleting ? { deleting: row.deleting } : {}),
});

/** Only the settings that hold a value, as JSON (an undefined one would vanish anyway; a null one is not a setting). */
const settingsJson = (settings: TenantSettings): string =>
  JSON.stringify(Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== undefined && value !== null)));

const statementsOf = perDatabase((db: Db) => ({
  insert: db.prepare(`INSERT INTO tenants (id, name, created, last_modified, settings) VALUES (@id, @name, @now, @now, @settings) RETURNING *`),
  byId: db.prepare('SELECT * FROM tenants WHERE id = ?'),
  count: db.prepare('SELECT count(*) FROM tenants').pluck(),
  page: db.prepare('SELECT * FROM tenants ORDER BY id LIMIT @limit OFFSET @offset'),
  update: db.prepare(`UPDATE tenants SET name = COALESCE(@name, name), settings = COALESCE(@settings, settings), last_modified = @now
    WHERE id = @id RETURNING *`),
  // The first time a forced delete began is kept: a retry does not move it.
  markDeleting: db.prepare('UPDATE tenants SET deleting = COALESCE(deleting, @at) WHERE id = @id RETURNING *'),
  users: db.prepare('SELECT count(*) FROM users WHERE tenant_id = ?').pluck(),
  groups: db.prepare('SELECT count(*) FROM groups WHERE tenant_id = ?').pluck(),
  remove: db.prepare('DELETE FROM tenants WHERE id = ?'),
}));

/**
 * The tenants table. Its id is the primary key, so a taken id (by a live tenant or one being
 * deleted) is refused by the database. Removing a tenant that still holds data fails on the
 * foreign keys of its rows: eraseData comes first.
 */
export function sqliteTenants(db: Db): TenantRegistry {
  const s = statementsOf(db);
  return {
    async create({ id, name, settings }, journal) {
      try {
        return db.transaction(() => {
          const now = new Date().toISOString();
          const created = toTenant(s.insert.get({ id, name, now, settings: settingsJson(settings) }) as TenantRow);
          eventRecorder(db, id, journal)({ of: 'tenant', kind: 'created', after: created }, now);
          return created;
        }).immediate();
      } catch (error) {
        if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') throw new TenantExists(id);
        throw error;
      }
    },

    async get(id) {
      const row = s.byId.get(id) as TenantRow | undefined;
      return row ? toTenant(row) : undefined;
    },

    async list(offset, limit) {
      const total = s.count.get() as number;
      if (limit <= 0 || offset >= total) return { total, items: [] };
      return { total, items: (s.page.all({ offset, limit }) as TenantRow[]).map(toTenant) };
    },

    async update(id, change, journal) {
      return db.transaction(() => {
        const before = s.byId.get(id) as TenantRow | undefined;
        if (!before) return undefined;
        const now = new Date().toISOString();
        const settings = change.settings === undefined ? null : settingsJson(change.settings);
        const after = toTenant(s.update.get({ id, name: change.name ?? null, settings, now }) as TenantRow);
        eventRecorder(db, id, journal)({ of: 'tenant', kind: 'updated', before: toTenant(before), after }, now);
        return after;
      }).immediate();
    },

    async contents(id) {
      return { users: s.users.get(id) as number, groups: s.groups.get(id) as number };
    },

    async markDeleting(id, at) {
      const row = s.markDeleting.get({ id, at }) as TenantRow | undefined;
      return row ? toTenant(row) : undefined;
    },

    async eraseData(id) {
      await eraseTenantData(db, id);
    },

    async remove(id) {
      return s.remove.run(id).changes > 0;
    },
  };
}
