/** How many tenants' ports a store keeps built: the busy ones, whatever their number. */
export const RECENT_TENANTS = 256;

/**
 * Builds each tenant's port once and keeps the most recently used ones (a bounded LRU map, so
 * a million tenants cost no more memory than RECENT_TENANTS). A port holds no data, only the
 * closures that bind the tenant: building one per request made garbage on every request.
 */
export function recentTenants<T>(build: (tenantId: string) => T, size = RECENT_TENANTS): (tenantId: string) => T {
  const recent = new Map<string, T>();
  return (tenantId) => {
    const cached = recent.get(tenantId);
    if (cached !== undefined) recent.delete(tenantId);
    const port = cached ?? build(tenantId);
    // Most recently used last; the least recently used goes beyond `size`.
    recent.set(tenantId, port);
    if (recent.size > size) recent.delete(recent.keys().next().value!);
    return port;
  };
}
