import { join } from 'node:path';
import type { Browser } from 'playwright-core';
// The small disk the integration test fills too (tools/, in no Nx project).
// eslint-disable-next-line @nx/enforce-module-boundaries
import { DiskFiller, mountSmallDisk, SmallDisk } from '../../../tools/testing/small-disk';
import { apiLogin, listProtocols } from './support/api';
import { DEMO, launchBrowser, login, newPage, screenshot } from './support/browser';
import { Stack, startStack } from './support/stack';

/**
 * The demo lab on a small disk of its own (a tmpfs the test fills to the last byte), as a lab whose
 * disk filled up with PDFs: what the admin and the staff see.
 */
describe('a full data disk, as people see it', () => {
  let disk: SmallDisk;
  let filler: DiskFiller | null = null;
  let stack: Stack;
  let browser: Browser;

  beforeAll(async () => {
    disk = mountSmallDisk(256);
    // Low below 8 MiB, and heartbeats every half second: the console hears of a full disk at once.
    // Access tokens last 10 s: one expires while the disk is full.
    stack = await startStack({ dataDir: disk.dir, env: { DISK_LOW_FREE_MB: '8', OPS_HEARTBEAT_MS: '500', ACCESS_TOKEN_TTL_SECONDS: '10' } });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    filler?.free();
    await browser?.close();
    await stack?.stop();
    disk?.unmount();
  });

  it('the admin sees a red notice on the console; staff who try a change, or whose token expires, read why and stay signed in; once there is room, both go', async () => {
    const admin = await apiLogin(stack.url, DEMO.admin);
    const [protocol, other] = (await listProtocols(stack.url, admin.accessToken, 'status=submitted&pageSize=2')).items;

    // Signed in before the disk fills: a sign-in writes its session.
    const ops = await newPage(browser, stack.url);
    await login(ops.page, DEMO.admin);
    await ops.page.goto('/ops');
    await ops.page.getByTestId('queue-reports').waitFor();
    expect(await ops.page.getByTestId('ops-disk-low').count()).toBe(0);
    const staff = await newPage(browser, stack.url);
    await login(staff.page, DEMO.staff);
    const signedInAt = Date.now();
    await staff.page.goto(`/protocols/${protocol.id}`);
    const receive = staff.page.getByRole('button', { name: /^Recibir$/ });
    await receive.waitFor();

    // The demo lab's SQLite log emptied first: its next write needs room (see SmallDisk.fill).
    filler = disk.fill({ sqlite: join(disk.dir, 'vetlab.sqlite') });
    const notice = ops.page.getByTestId('ops-disk-low');
    await notice.waitFor();
    expect(await notice.textContent()).toMatch(/Queda poco espacio en disco.*: \d+ (kB|MB) libres de 256 MB\./);
    await screenshot(ops.page, 'ops-disk-full');

    await receive.click();
    await staff.page.getByText(`No se pudo recibir ${protocol.code}`).waitFor();
    await staff.page.getByText('El disco del servidor está lleno: no se puede guardar nada nuevo hasta que un administrador libere espacio. Avisa al administrador.').waitFor();
    expect(await staff.page.getByText(/disk is full|correlation/i).count()).toBe(0);
    await screenshot(staff.page, 'disk-full-refused');

    // Their access token expires meanwhile. Renewing it is a write (the embedded database), refused:
    // they are not signed out, and the list they open says why it cannot load.
    await staff.page.waitForTimeout(Math.max(0, signedInAt + 11_000 - Date.now()));
    await staff.page.getByRole('link', { name: 'Protocolos', exact: true }).click();
    await staff.page.getByText('No se pudieron cargar los protocolos').waitFor();
    await staff.page.getByText(/El disco del servidor está lleno/).first().waitFor();
    expect(await staff.page.getByTestId('user-name').isVisible()).toBe(true);
    expect(new URL(staff.page.url()).pathname).toBe('/protocols');

    filler.free();
    filler = null;
    await notice.waitFor({ state: 'detached' });
    // Once there is room the same session goes on: its token is renewed, the list loads and the
    // protocol is received.
    await staff.page.getByRole('button', { name: 'Reintentar' }).click();
    await staff.page.getByRole('link', { name: other.code }).waitFor();
    await staff.page.getByRole('link', { name: protocol.code }).click();
    await receive.click();
    await receive.waitFor({ state: 'detached' });
    await ops.context.close();
    await staff.context.close();
  });
});
