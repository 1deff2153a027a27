import { useEffect, useState } from 'preact/hooks';

/**
 * Hash routing (#/t/acme/users/42?tab=history): the server serves one page at CONSOLE_PATH, and
 * every screen has an address an admin can bookmark or paste into a ticket. Tokens never appear
 * in it.
 */
export interface Route {
  /** Decoded path segments: #/t/acme/users → ['t', 'acme', 'users']. */
  readonly segments: readonly string[];
  readonly query: URLSearchParams;
}

export function parseHash(hash: string): Route {
  const text = hash.replace(/^#/, '');
  const [path, search = ''] = text.split('?', 2);
  const segments = path.split('/').filter(Boolean).map((s) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  });
  return { segments, query: new URLSearchParams(search) };
}

/** The hash of a route: segments encoded, query values left out when empty. */
export function hrefOf(segments: readonly string[], query: Record<string, string | number | undefined> = {}): string {
  const path = segments.map(encodeURIComponent).join('/');
  const pairs = Object.entries(query).filter(([, v]) => v !== undefined && v !== '').map(([k, v]) => [k, String(v)]);
  return `#/${path}${pairs.length ? `?${new URLSearchParams(pairs).toString()}` : ''}`;
}

export function navigate(segments: readonly string[], query: Record<string, string | number | undefined> = {}, replace = false): void {
  const href = hrefOf(segments, query);
  if (replace) history.replaceState(null, '', href);
  else history.pushState(null, '', href);
  window.dispatchEvent(new HashChangeEvent('hashchange'));
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(location.hash));
  useEffect(() => {
    const update = () => setRoute(parseHash(location.hash));
    window.addEventListener('hashchange', update);
    window.addEventListener('popstate', update);
    return () => {
      window.removeEventListener('hashchange', update);
      window.removeEventListener('popstate', update);
    };
  }, []);
  return route;
}
