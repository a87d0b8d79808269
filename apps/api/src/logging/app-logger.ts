import { ConsoleLogger, LogLevel } from '@nestjs/common';
import { logContext } from './log-context';

const LEVELS: LogLevel[] = ['error', 'warn', 'log', 'debug', 'verbose'];

/** The levels at and above `level` (LOG_LEVEL). */
export function levelsFrom(level: string): LogLevel[] {
  return LEVELS.slice(0, LEVELS.indexOf(level as LogLevel) + 1);
}

/**
 * Nest's console logger with the request or job a line was written for: in JSON, `requestId`,
 * `jobId` and `jobKind` fields; in text, after the context. The ids come from the log context
 * (AsyncLocalStorage), so no call site passes them.
 */
export class AppLogger extends ConsoleLogger {
  protected override getJsonLogObject(message: unknown, options: Parameters<ConsoleLogger['getJsonLogObject']>[1]) {
    return { ...super.getJsonLogObject(message, options), ...logContext() };
  }

  protected override formatContext(context: string): string {
    const { requestId, jobId, jobKind } = logContext();
    const ids = [requestId && `req=${requestId}`, jobId && `job=${jobKind ?? ''}#${jobId}`].filter(Boolean).join(' ');
    return super.formatContext(context) + (ids ? `${ids} ` : '');
  }
}

export function createAppLogger(config: { logLevel: string; logFormat: 'json' | 'text' }): AppLogger {
  return new AppLogger({ logLevels: levelsFrom(config.logLevel), json: config.logFormat === 'json' });
}
