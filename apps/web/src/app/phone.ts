import { useMediaQuery } from '@mantine/hooks';

/** Below Mantine's `sm` breakpoint (48em): a phone held upright, where the layout goes one column. */
export const PHONE_QUERY = '(max-width: 47.99em)';

/** Whether the window is phone-sized now (read at the first render, so nothing flashes wide first). */
export function usePhone(): boolean {
  return useMediaQuery(PHONE_QUERY, false, { getInitialValueInEffect: false });
}
