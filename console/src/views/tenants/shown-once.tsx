import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { CopyButton } from './copy-button';

/**
 * A secret the server returns once (a token, a client secret): shown with copy buttons and a
 * plain warning, until the admin dismisses it. Nothing keeps it: a reload loses it for good.
 */
export function ShownOnce({ title, rows, onDone, children }: {
  title: string; rows: readonly { label: string; value: string; secret?: boolean }[]; onDone: () => void; children?: ComponentChildren;
}) {
  // Moved to at once, so a keyboard or screen-reader user lands on the secret rather than below it.
  const box = useRef<HTMLElement>(null);
  useEffect(() => box.current?.focus(), []);
  return (
    <section class="card tn-shown-once" aria-label={title} role="region" tabIndex={-1} ref={box}>
      <h3>{title}</h3>
      <p class="notice"><strong>Copy it now: it will not be shown again.</strong> Roster keeps only a hash of the secret.</p>
      <dl class="props">
        {rows.map((row) => (
          <div class="tn-shown-row" key={row.label}>
            <dt>{row.label}</dt>
            <dd>
              <code class={row.secret ? 'secret' : undefined} data-testid={row.secret ? 'secret' : undefined}>{row.value}</code>
              <CopyButton text={row.value} what={row.label} />
            </dd>
          </div>
        ))}
      </dl>
      {children}
      <div class="actions"><button type="button" onClick={onDone}>I have copied it, hide it</button></div>
    </section>
  );
}
