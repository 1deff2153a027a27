import { useEffect, useState } from 'preact/hooks';

/** How long typing pauses before the search runs: one request per pause, not one per key. */
const TYPING_PAUSE_MS = 300;

/**
 * The free-text search of a list (users, deleted users, groups). What is typed becomes the list's `q` once typing pauses
 * (or at once with Enter); `value` follows the address, so Back shows the search it returns to.
 * `describedBy`: the id of the server's sentence when it refused this search.
 */
export function SearchBox({ value, onSearch, label = 'Search users', placeholder = 'userName, name or email', describedBy }: {
  value: string; onSearch: (q: string) => void; label?: string; placeholder?: string; describedBy?: string;
}) {
  const [text, setText] = useState(value);
  useEffect(() => setText(value), [value]);
  useEffect(() => {
    if (text.trim() === value) return undefined;
    const timer = setTimeout(() => onSearch(text.trim()), TYPING_PAUSE_MS);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [text]);
  return (
    <form role="search" class="list-search" onSubmit={(e) => { e.preventDefault(); onSearch(text.trim()); }}>
      <label>
        {label}
        <input type="search" value={text} placeholder={placeholder} size={32}
          aria-describedby={describedBy} aria-invalid={describedBy ? 'true' : undefined}
          onInput={(e) => setText((e.currentTarget as HTMLInputElement).value)} />
      </label>
    </form>
  );
}
