/**
 * `work`, or whatever `late()` gives (or throws) once `ms` have passed, whichever comes first. The
 * timer is cleared either way, so a bounded wait never keeps a process alive.
 */
export async function raceTimer<T, L>(work: Promise<T>, ms: number, late: () => L): Promise<T | L> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<L>((resolve, reject) => {
    timer = setTimeout(() => {
      try {
        resolve(late());
      } catch (e) {
        reject(e);
      }
    }, Math.max(0, ms));
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
