import { INestApplicationContext } from '@nestjs/common';
import { rooms } from '@vetlab/shared';
import { createWorkerContext } from '../../src/bootstrap';
import { RealtimeService } from '../../src/realtime/realtime.service';
import { tokenFor } from '../support/auth';
import { Fixtures, seedFixtures } from '../support/fixtures';
import { ClientSocket, nextEvent, record, SocketPool, whoami } from '../support/socket';
import { createTestApp, TestApp } from '../support/test-app';

const sorted = (list: string[]) => [...list].sort();

describe('realtime gateway', () => {
  let t: TestApp;
  let f: Fixtures;
  let worker: INestApplicationContext | undefined;
  const sockets = new SocketPool();
  let vetA: ClientSocket;
  let vetB: ClientSocket;

  beforeAll(async () => {
    t = await createTestApp();
    f = await seedFixtures(t.em());
    vetA = await sockets.connect(t, await tokenFor(t, f.vetA));
    vetB = await sockets.connect(t, await tokenFor(t, f.vetB));
  });
  afterAll(async () => {
    sockets.closeAll();
    await worker?.close();
    await t?.close();
  });

  describe('authentication', () => {
    it('refuses a socket without a token', async () => {
      const { socket, error } = await sockets.open(t);
      expect(error?.message).toBe('unauthorized');
      expect(socket.connected).toBe(false);
    });

    it('refuses a bad or foreign token', async () => {
      expect((await sockets.open(t, { auth: { token: 'not-a-jwt' } })).error?.message).toBe('unauthorized');
      const [head, , sig] = (await tokenFor(t, f.admin)).split('.');
      const forged = `${head}.${Buffer.from(JSON.stringify({ sub: f.admin.id, role: 'admin', clinicId: null })).toString('base64url')}.${sig}`;
      expect((await sockets.open(t, { auth: { token: forged } })).error?.message).toBe('unauthorized');
    });

    it('accepts the token from an Authorization header too', async () => {
      const { error } = await sockets.open(t, { extraHeaders: { Authorization: `Bearer ${await tokenFor(t, f.staff)}` } });
      expect(error).toBeNull();
    });
  });

  describe('rooms', () => {
    it('puts a vet in their user, role and clinic rooms', async () => {
      expect(sorted(await whoami(vetA))).toEqual(sorted([rooms.user(f.vetA.id), rooms.role('vet'), rooms.clinic(f.clinicA.id)]));
    });

    it.each(['staff', 'signer', 'admin'] as const)('puts %s in their user and role rooms only', async (who) => {
      const socket = await sockets.connect(t, await tokenFor(t, f[who]));
      expect(sorted(await whoami(socket))).toEqual(sorted([rooms.user(f[who].id), rooms.role(f[who].role)]));
    });
  });

  describe('delivery', () => {
    it('delivers a clinic event to that clinic only', async () => {
      const seenByB = record(vetB, 'protocol:updated');
      const seenByA = record(vetA, 'protocol:updated');
      const realtime = t.app.get(RealtimeService);
      const forA = nextEvent(vetA, 'protocol:updated');
      const forB = nextEvent(vetB, 'protocol:updated');
      realtime.emit([rooms.clinic(f.clinicB.id)], 'protocol:updated', { protocolId: 'p-b', status: 'received', version: 1 });
      realtime.emit([rooms.clinic(f.clinicA.id)], 'protocol:updated', { protocolId: 'p-a', status: 'received', version: 1 });
      await expect(forA).resolves.toEqual({ protocolId: 'p-a', status: 'received', version: 1 });
      await expect(forB).resolves.toEqual({ protocolId: 'p-b', status: 'received', version: 1 });
      // A round trip on each socket after both emits: anything else in flight has arrived by now.
      await Promise.all([whoami(vetA), whoami(vetB)]);
      expect(seenByA.map((e) => e.protocolId)).toEqual(['p-a']);
      expect(seenByB.map((e) => e.protocolId)).toEqual(['p-b']);
    });

    it('delivers an event emitted by a separate worker-role process context', async () => {
      worker = await createWorkerContext({ ...t.config, role: 'worker' });
      await worker.init();
      const arrived = nextEvent(vetA, 'report:ready');
      worker.get(RealtimeService).emit([rooms.clinic(f.clinicA.id)], 'report:ready', { reportId: 'r-1', version: 2, protocolId: 'p-1' });
      await expect(arrived).resolves.toEqual({ reportId: 'r-1', version: 2, protocolId: 'p-1' });
    });
  });
});
