import { type AnchorHTMLAttributes, type MouseEvent, useSyncExternalStore } from 'react';

/**
 * A small history router: the app lives under /admin/ and has a handful of routes, which does not
 * justify a routing library. Paths inside the app are written without the base ("/settings").
 */
export const BASE = '/admin';

const CHANGE = 'admin-ui:navigate';

export interface Location {
  /** Path inside the app, always starting with "/". */
  path: string;
  search: URLSearchParams;
}

function read(): string {
  return window.location.pathname + window.location.search;
}

function subscribe(notify: () => void): () => void {
  window.addEventListener('popstate', notify);
  window.addEventListener(CHANGE, notify);
  return () => {
    window.removeEventListener('popstate', notify);
    window.removeEventListener(CHANGE, notify);
  };
}

export function toLocation(href: string): Location {
  const url = new URL(href, window.location.origin);
  let path = url.pathname.startsWith(BASE) ? url.pathname.slice(BASE.length) : url.pathname;
  if (!path.startsWith('/')) path = `/${path}`;
  return { path, search: url.searchParams };
}

export function useLocation(): Location {
  const href = useSyncExternalStore(subscribe, read);
  return toLocation(href);
}

export function appHref(path: string): string {
  return BASE + (path.startsWith('/') ? path : `/${path}`);
}

export function navigate(path: string, options: { replace?: boolean } = {}): void {
  const href = appHref(path);
  if (href === read()) return;
  if (options.replace) window.history.replaceState(null, '', href);
  else window.history.pushState(null, '', href);
  window.dispatchEvent(new Event(CHANGE));
}

type LinkProps = Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> & { to: string };

/** A real link (opens in a new tab with a modifier key), routed in-app on a plain click. */
export function Link({ to, onClick, ...rest }: LinkProps) {
  const handle = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (
      event.defaultPrevented ||
      event.button !== 0 ||
      event.metaKey ||
      event.ctrlKey ||
      event.shiftKey ||
      event.altKey
    )
      return;
    event.preventDefault();
    navigate(to);
  };
  return <a href={appHref(to)} onClick={handle} {...rest} />;
}
