import { DEMO, login, newPage, screenshot } from './support/browser';
import { useStackAndBrowser } from './support/harness';

describe('live connection badge', () => {
  const env = useStackAndBrowser();

  it('goes live after login and recovers after the API restarts', async () => {
    const { page, context } = await newPage(env.browser, env.stack.url);
    await login(page, DEMO.vet);
    await page.waitForSelector('[data-testid="live-badge"][data-status="connected"]');

    await env.stack.crash();
    await page.waitForSelector('[data-testid="live-badge"]:not([data-status="connected"])');
    await screenshot(page, 'live-badge-offline');
    await env.stack.resume();
    // socket.io reconnects by itself once the API is back.
    await page.waitForSelector('[data-testid="live-badge"][data-status="connected"]', { timeout: 30_000 });
    await screenshot(page, 'live-badge-after-restart');
    await context.close();
  });

  it('says "reconnecting" while a deploy restarts the API, then goes live again', async () => {
    const { page, context } = await newPage(env.browser, env.stack.url);
    await login(page, DEMO.staff);
    await page.waitForSelector('[data-testid="live-badge"][data-status="connected"]');

    // SIGTERM: the server tells its sockets it is restarting before it closes them.
    const stopped = env.stack.terminate();
    const badge = await page.waitForSelector('[data-testid="live-badge"][data-status="reconnecting"]');
    expect(await badge.textContent()).toContain('Reconectando');
    await stopped;
    await screenshot(page, 'live-badge-reconnecting');
    await env.stack.resume();
    await page.waitForSelector('[data-testid="live-badge"][data-status="connected"]', { timeout: 30_000 });
    await context.close();
  });
});
