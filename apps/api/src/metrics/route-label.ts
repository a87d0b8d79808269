/** Label of a request that no route took (a 404 from the router, a method not allowed). */
export const UNMATCHED_ROUTE = '(unmatched)';
/** Label of every file of the SPA's build (one route each; their names would only add series). */
export const STATIC_ROUTE = '(static)';

/**
 * The `route` label of an HTTP request: the pattern of the route that took it (`/api/reports/:id`),
 * never its URL, so ids and query strings do not make a series each. Requests no route took share
 * one label, and so do the SPA's files.
 */
export function routeLabel(pattern: string | undefined): string {
  if (!pattern) return UNMATCHED_ROUTE;
  if (pattern === '/api' || pattern.startsWith('/api/') || pattern.startsWith('/socket.io')) return pattern;
  return STATIC_ROUTE;
}

/** `2xx`, `4xx`… of a status code. */
export function statusClass(status: number): string {
  return status >= 100 && status < 600 ? `${Math.floor(status / 100)}xx` : 'other';
}
