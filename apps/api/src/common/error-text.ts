/**
 * An error's name, class, code and message, and its causes' (ORM wrappers keep the driver's error as
 * `cause` or `previous`), as one string to match patterns in; a string (Bull's stored failure reason)
 * as it is.
 */
export function errorText(e: unknown, depth = 0): string {
  if (typeof e === 'string') return e;
  if (!(e instanceof Error) || depth > 3) return String(e ?? '');
  const code = (e as { code?: unknown }).code;
  const parts = [e.name, e.constructor?.name, typeof code === 'string' ? code : '', e.message];
  const cause = (e as { cause?: unknown }).cause ?? (e as { previous?: unknown }).previous;
  if (cause) parts.push(errorText(cause, depth + 1));
  return parts.join(' ');
}
