import type { EntityManager } from '@mikro-orm/core';
import { Readable } from 'node:stream';
import type { AppConfig } from '../config/app-config';
import type { BulkLedgerRepository } from '../bulk/bulk-ledger.repository';
import type { Metrics } from '../metrics/metrics.service';
import type { PasswordLinksRepository } from '../passwords/password-links.repository';
import type { FileStorage } from '../storage/file-storage';
import { MailDeliveryService } from './mail-delivery.service';
import type { MailTransportService } from './mail-transport.service';
import { OutboxKind, OutboxMessage, OutboxStatus } from './outbox.entity';
import type { MailVersion, OutboxRepository } from './outbox.repository';

const LEASE_MS = 300;

/**
 * The claim's renewal right before the message goes: spared when the mail was claimed moments ago
 * (nobody else can hold it before its lease runs out), made when composing took a third of the
 * lease or more, and then a refused renewal (another sender claimed it meanwhile) sends nothing.
 */
function setUp(composeMs: number, renewAnswer: boolean) {
  const version: MailVersion = {
    number: 1,
    pdfKey: 'reports/r1/v1.pdf',
    voidPdfKey: null,
    supersedesNumber: null,
    verificationCode: 'K7Q2-9XRM',
    invalidatedAt: null,
    invalidationReason: null,
    protocolCode: 'P-2026-000123',
    animalName: 'Firulais',
    reportLanguage: 'es',
  };
  const fake: Record<string, unknown> = { transactional: (fn: (tx: unknown) => unknown) => fn(fake) };
  fake.fork = () => fake;
  const em = fake as unknown as EntityManager;
  const row = {
    id: 'o1',
    kind: OutboxKind.ReportVersion,
    status: OutboxStatus.Pending,
    attempts: 0,
    subjectId: 'r1',
    version: 1,
    recipient: 'vet@clinic.test',
    messageId: '<m1@vetlab.local>',
    nextAttemptAt: null,
    leaseUntil: null,
    createdAt: new Date(),
  } as unknown as OutboxMessage;
  const outbox = {
    forSend: jest.fn(async () => row),
    mailVersion: jest.fn(async () => version),
    claim: jest.fn(async () => ({ id: 'o1', attempt: 1 })),
    renewLease: jest.fn(async () => renewAnswer),
    markSent: jest.fn(async () => true),
  };
  const transport = { send: jest.fn(async () => '250 OK') };
  const storage = {
    open: jest.fn(async () => {
      await new Promise((r) => setTimeout(r, composeMs));
      return { stream: Readable.from([Buffer.from('%PDF-1.4')]) };
    }),
  };
  const config = { mail: { leaseMs: LEASE_MS, retryMinMs: 100, from: 'lab <lab@vetlab.local>' }, publicUrl: 'https://lab.test' } as unknown as AppConfig;
  const service = new MailDeliveryService(
    em,
    outbox as unknown as OutboxRepository,
    transport as unknown as MailTransportService,
    storage as unknown as FileStorage,
    config,
    {} as BulkLedgerRepository,
    {} as PasswordLinksRepository,
    { mail: jest.fn() } as unknown as Metrics,
  );
  return { service, outbox, transport };
}

describe('MailDeliveryService: the claim before the send', () => {
  it('claimed moments ago: sends without a renewal write', async () => {
    const { service, outbox, transport } = setUp(0, true);
    await expect(service.deliver('o1')).resolves.toEqual({ outboxId: 'o1', sent: true });
    expect(outbox.renewLease).not.toHaveBeenCalled();
    expect(transport.send).toHaveBeenCalledTimes(1);
    expect(outbox.markSent).toHaveBeenCalledTimes(1);
  });

  it('composing took a third of the lease or more: renews first, then sends', async () => {
    const { service, outbox, transport } = setUp(LEASE_MS / 3 + 30, true);
    await expect(service.deliver('o1')).resolves.toEqual({ outboxId: 'o1', sent: true });
    expect(outbox.renewLease).toHaveBeenCalled();
    expect(outbox.renewLease.mock.invocationCallOrder[0]).toBeLessThan(transport.send.mock.invocationCallOrder[0]);
    expect(transport.send).toHaveBeenCalledTimes(1);
  });

  it('composing took long and another sender claimed the mail meanwhile: sends nothing, records nothing', async () => {
    const { service, outbox, transport } = setUp(LEASE_MS / 3 + 30, false);
    await expect(service.deliver('o1')).resolves.toEqual({ outboxId: 'o1', sent: false });
    expect(outbox.renewLease).toHaveBeenCalledTimes(1);
    expect(transport.send).not.toHaveBeenCalled();
    expect(outbox.markSent).not.toHaveBeenCalled();
  });
});
