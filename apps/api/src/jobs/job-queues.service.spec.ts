import { JobKind, UnavailableCode } from '@vetlab/shared';
import type { Queue } from 'bull';
import { UnavailableError } from '../common/domain-error';
import type { AppConfig } from '../config/app-config';
import { JobQueues } from './job-queues.service';

/** Queues whose client reports `status` and whose addBulk does what the test says. */
function setup(status: string, addBulk: () => Promise<unknown>) {
  const queue = { client: { status }, addBulk: jest.fn(addBulk), getJob: jest.fn(() => new Promise(() => undefined)) };
  const config = { redis: { commandTimeoutMs: 50 } } as AppConfig;
  const q = queue as unknown as Queue;
  return { sut: new JobQueues(q, q, q, q, config), queue };
}

const unavailable = expect.objectContaining({ service: UnavailableCode.Queue, code: 'unavailable' });

describe('JobQueues fails fast', () => {
  it('throws QUEUE_UNAVAILABLE at once, without touching Redis, when its clients are not connected', async () => {
    const { sut, queue } = setup('reconnecting', async () => []);
    expect(() => sut.assertReady()).toThrow(UnavailableError);
    await expect(sut.add(JobKind.BulkProtocols, 'j1', { bulkId: 'b1' })).rejects.toEqual(unavailable);
    expect(queue.addBulk).not.toHaveBeenCalled();
  });

  it('gives up on an add or a lookup that Redis never answers (frozen)', async () => {
    const { sut } = setup('ready', () => new Promise(() => undefined));
    await expect(sut.add(JobKind.BulkProtocols, 'j1', { bulkId: 'b1' })).rejects.toEqual(unavailable);
    await expect(sut.promote(JobKind.WorkOrderPdf, 'j2', { workOrderId: 'w', version: 1 }, 1)).rejects.toEqual(unavailable);
  });

  it("turns the client's own connection errors into QUEUE_UNAVAILABLE, and passes others through", async () => {
    const lost = setup('ready', async () => Promise.reject(new Error('Connection is closed.')));
    await expect(lost.sut.add(JobKind.BulkProtocols, 'j1', { bulkId: 'b1' })).rejects.toEqual(unavailable);
    const bug = setup('ready', async () => Promise.reject(new TypeError('bad payload')));
    await expect(bug.sut.add(JobKind.BulkProtocols, 'j1', { bulkId: 'b1' })).rejects.toBeInstanceOf(TypeError);
  });

  it('adds when Redis answers', async () => {
    const { sut, queue } = setup('ready', async () => []);
    await expect(sut.add(JobKind.BulkProtocols, 'j1', { bulkId: 'b1' })).resolves.toBeUndefined();
    expect(queue.addBulk).toHaveBeenCalledWith([expect.objectContaining({ data: { bulkId: 'b1' }, opts: expect.objectContaining({ jobId: 'j1' }) })]);
  });
});
