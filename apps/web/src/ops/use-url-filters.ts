import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';

/**
 * Filters kept in the URL (so a link such as "/ops?tab=mails&reportId=…" opens the list filtered,
 * and back/forward work). Setting a filter goes back to page 1; empty values leave the URL.
 */
export function useUrlFilters<K extends string>(keys: readonly K[]) {
  const [params, setParams] = useSearchParams();
  const value = useMemo(() => Object.fromEntries(keys.map((k) => [k, params.get(k)])) as Record<K, string | null>, [params, keys]);
  const page = Math.max(1, Number(params.get('page')) || 1);
  /** Whether any filter is set (an empty list then says "nothing matches", not "nothing yet"). */
  const filtered = keys.some((k) => value[k] !== null);
  const set = useCallback(
    (patch: Partial<Record<K | 'page', string | number | null>>) =>
      setParams(
        (now) => {
          const next = new URLSearchParams(now);
          if (!('page' in patch)) next.delete('page');
          for (const [k, v] of Object.entries(patch)) {
            if (v == null || v === '' || (k === 'page' && v === 1)) next.delete(k);
            else next.set(k, String(v));
          }
          return next;
        },
        { replace: true },
      ),
    [setParams],
  );
  return { value, page, set, filtered };
}
