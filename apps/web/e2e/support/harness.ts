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
    env.stack = await startStack(opts);
    env.browser = await launchBrowser();
  });
  afterAll(async () => {
    await env.browser?.close();
    await env.stack?.stop();
  });
  return env;
}
