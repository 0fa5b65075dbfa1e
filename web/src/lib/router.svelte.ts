// A tiny client-side router: the current location lives in reactive state, navigation uses
// history.pushState / replaceState, and same-origin <a> clicks are handled without a reload.

export const route = $state({
  path: normalize(window.location.pathname),
  search: window.location.search,
});

function normalize(path: string): string {
  return path.length > 1 && path.endsWith('/') ? path.replace(/\/+$/, '') || '/' : path;
}

function sync(): void {
  route.path = normalize(window.location.pathname);
  route.search = window.location.search;
}

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  const url = new URL(to, window.location.origin);
  if (url.origin !== window.location.origin) {
    window.location.assign(url.href);
    return;
  }
  const target = url.pathname + url.search + url.hash;
  if (options.replace) history.replaceState(null, '', target);
  else history.pushState(null, '', target);
  markClientNavigation();
  sync();
  window.scrollTo(0, 0);
}

export function queryParam(name: string): string | null {
  return new URLSearchParams(route.search).get(name);
}

/**
 * A `next` parameter is only followed when it is a path on this origin; anything else
 * (absolute URLs, protocol-relative `//host`, backslash tricks) falls back to `/`.
 */
export function safeNextPath(next: string | null): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  try {
    const url = new URL(next, window.location.origin);
    if (url.origin !== window.location.origin) return '/';
    return url.pathname + url.search + url.hash;
  } catch {
    return '/';
  }
}

function onPopState(): void {
  markClientNavigation();
  sync();
}

function onLinkClick(event: MouseEvent): void {
  if (event.defaultPrevented || event.button !== 0) return;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const anchor = (event.target as Element | null)?.closest?.('a');
  if (!anchor || !anchor.href) return;
  if (anchor.target && anchor.target !== '_self') return;
  if (anchor.hasAttribute('download') || anchor.dataset.reload !== undefined) return;
  const url = new URL(anchor.href);
  if (url.origin !== window.location.origin) return;
  if (url.pathname.startsWith('/api/') || url.pathname === '/health') return;
  event.preventDefault();
  navigate(url.pathname + url.search + url.hash);
}

/** Starts listening for back/forward and link clicks; returns a function that stops it. */
export function startRouter(): () => void {
  window.addEventListener('popstate', onPopState);
  document.addEventListener('click', onLinkClick);
  return () => {
    window.removeEventListener('popstate', onPopState);
    document.removeEventListener('click', onLinkClick);
  };
}

let clientNavigated = false;

/**
 * Svelte action for a page's main heading: after an in-app navigation, focus moves to the
 * new page's heading so keyboard and screen-reader users land at the start of the new page.
 */
export function focusOnNavigation(node: HTMLElement): void {
  if (!node.hasAttribute('tabindex')) node.setAttribute('tabindex', '-1');
  if (clientNavigated) node.focus({ preventScroll: true });
}

export function markClientNavigation(): void {
  clientNavigated = true;
}
