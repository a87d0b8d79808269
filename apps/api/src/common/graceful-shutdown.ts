import { INestApplicationContext, Logger } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/core';
import type { FastifyInstance } from 'fastify';
import { AppConfig } from '../config/app-config';
import { raceTimer } from './deadline';
import { WorkerDrain } from '../jobs/worker-drain.service';
import { RenderPoolService } from '../pdf/render-pool.service';
import { RealtimeGateway } from '../realtime/realtime.gateway';

/** Past the grace, closing the connections themselves gets this long before the process gives up. */
const CLOSE_MS = 10_000;

/**
 * What SIGTERM (a deploy) and SIGINT (Ctrl-C) do, in an order chosen on purpose rather than by
 * module registration (which closed the ORM, the render pool and Redis while Bull still ran jobs):
 *
 * 1. API: tell every socket the server is restarting and close it (the SPA shows "reconnecting…"
 *    and reconnects, to this process's successor or another one), stop accepting connections and
 *    let in-flight requests finish (Fastify answers 503 to a request that arrives meanwhile).
 * 2. Worker: stop taking jobs, let running ones finish, hand the rest back (WorkerDrain).
 *    Both within SHUTDOWN_GRACE_MS.
 * 3. The render pool, then the ORM, then Redis and whatever else the modules hold (Nest's close).
 */
export function installGracefulShutdown(app: INestApplicationContext, config: AppConfig): void {
  const log = new Logger('Shutdown');
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    const deadline = Date.now() + config.shutdownGraceMs;
    // Whatever hangs past the grace and the closing time, the process still ends.
    setTimeout(() => {
      log.error('shutdown did not finish in time; exiting');
      process.exit(1);
    }, config.shutdownGraceMs + CLOSE_MS).unref();
    log.log(`${signal}: stopping (grace ${config.shutdownGraceMs} ms)`);
    try {
      if (config.role !== 'worker') await drainHttp(app, deadline, log);
      if (config.role !== 'api') {
        const { finished, handedBack } = await app.get(WorkerDrain).drain(deadline);
        log.log(`jobs: ${finished} finished, ${handedBack} handed back`);
        await app.get(RenderPoolService).close();
        log.log('render pool closed');
      }
      await app.get(MikroORM).close();
      log.log('database closed');
      await app.close();
      log.log('redis closed; stopped');
      process.exit(0);
    } catch (e) {
      log.error(`shutdown failed: ${(e as Error)?.stack ?? e}`);
      process.exit(1);
    }
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, (s) => void stop(s));
}

async function drainHttp(app: INestApplicationContext, deadline: number, log: Logger) {
  const io = app.get(RealtimeGateway).server;
  io.local.emit('server:restarting', { reason: 'shutdown' });
  // The event leaves before the transport closes; a closed transport makes clients reconnect.
  await new Promise((r) => setTimeout(r, 50));
  io.engine.close();
  const fastify = (app as unknown as { getHttpAdapter(): { getInstance(): FastifyInstance } }).getHttpAdapter().getInstance();
  const closed = fastify.close().then(() => 'drained' as const);
  const outcome = await raceTimer(closed, deadline - Date.now(), () => 'late' as const);
  if (outcome === 'late') {
    fastify.server.closeAllConnections();
    await closed;
  }
  log.log(`http: ${outcome === 'drained' ? 'in-flight requests finished' : 'requests cut at the end of the grace'}`);
}
