/** Tabs that are links (each tab has an address), the current one marked for screen readers. */
export function Tabs({ tabs, current }: { tabs: readonly { id: string; label: string; href: string }[]; current: string }) {
  return (
    <nav class="tabs" aria-label="Sections">
      {tabs.map((tab) => (
        <a key={tab.id} href={tab.href} class={tab.id === current ? 'tab current' : 'tab'} aria-current={tab.id === current ? 'page' : undefined}>{tab.label}</a>
      ))}
    </nav>
  );
}
