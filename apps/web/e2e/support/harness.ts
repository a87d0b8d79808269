import type { Browser } from 'playwright-core';
import { launchBrowser } from './browser';
import { startStack, Stack } from './stack';

/**
 * One real stack and one Chromium per spec file, started before its tests and stopped after them.
 * The returned object's fields are filled once beforeAll has run.
 */
export function useStackAndBrowser(opts: Parameters<typeof startStack>[0] = {}): { stack: Stack; browser: Browser } {
  const env = {} as { stack: Stack; browser: Browser };
  beforeAll(async () => {
    // Side by side: Chromium starts while the API boots. Whichever started is stopped by afterAll,
    // even when the other failed.
    const [stack, browser] = await Promise.allSettled([startStack(opts), launchBrowser()]);
    if (stack.status === 'fulfilled') env.stack = stack.value;
    if (browser.status === 'fulfilled') env.browser = browser.value;
    for (const r of [stack, browser]) if (r.status === 'rejected') throw r.reason;
  });
  afterAll(async () => {
    await env.browser?.close();
    await env.stack?.stop();
  });
  return env;
}
