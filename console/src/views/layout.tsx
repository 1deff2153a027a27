import type { ComponentChildren } from 'preact';
import { hrefOf } from '../state/route';
import { signOut, type Session } from '../state/session';

const TENANT_SECTIONS = [
  { id: 'users', label: 'Users' },
  { id: 'groups', label: 'Groups' },
  { id: 'activity', label: 'Activity' },
  { id: 'webhooks', label: 'Webhooks' },
  { id: 'clients', label: 'OAuth clients' },
] as const;

/** The frame of every signed-in page: who is signed in, the tenant's sections, and sign-out. */
export function Layout({ session, tenantId, section, children }: { session: Session; tenantId?: string; section: string; children: ComponentChildren }) {
  const { me } = session;
  return (
    <div class="frame">
      <a class="skip" href="#main">Skip to content</a>
      <header class="top">
        <a class="brand" href={hrefOf([])}>Roster</a>
        {me.kind === 'operator' ? <a href={hrefOf(['tenants'])} class={section === 'tenants' ? 'current' : undefined} aria-current={section === 'tenants' ? 'page' : undefined}>Tenants</a> : null}
        {tenantId ? <span class="tenant-name" title="Tenant">{tenantId}</span> : null}
        <span class="who">{me.kind} · {me.tokenName}</span>
        <button type="button" onClick={signOut}>Sign out</button>
      </header>
      {tenantId ? (
        <nav class="sections" aria-label="Tenant sections">
          {TENANT_SECTIONS.filter((s) => me.kind !== 'user' || s.id === 'users' || s.id === 'groups').map((s) => (
            <a key={s.id} href={hrefOf(['t', tenantId, s.id])} class={section === s.id ? 'current' : undefined} aria-current={section === s.id ? 'page' : undefined}>{s.label}</a>
          ))}
        </nav>
      ) : null}
      <main id="main" tabIndex={-1}>{children}</main>
    </div>
  );
}
