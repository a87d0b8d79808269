import { createAppLogger, levelsFrom } from './app-logger';
import { runWithLogContext } from './log-context';

function captured(run: () => void): string[] {
  const lines: string[] = [];
  const out = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => (lines.push(String(chunk)), true));
  const err = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => (lines.push(String(chunk)), true));
  try {
    run();
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  return lines;
}

describe('AppLogger', () => {
  it('in json, writes one object a line with the request or job it was written for', () => {
    const log = createAppLogger({ logLevel: 'log', logFormat: 'json' });
    const lines = captured(() => {
      runWithLogContext({ requestId: 'req-1' }, () => log.log('hello', 'Test'));
      runWithLogContext({ jobId: '42', jobKind: 'finalize_report' }, () => log.warn('careful', 'Jobs'));
      log.log('plain', 'Boot');
      log.debug('not written at level log', 'Boot');
    });
    const objects = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(objects).toHaveLength(3);
    expect(objects[0]).toMatchObject({ level: 'log', context: 'Test', message: 'hello', requestId: 'req-1' });
    expect(objects[1]).toMatchObject({ level: 'warn', context: 'Jobs', message: 'careful', jobId: '42', jobKind: 'finalize_report' });
    expect(objects[2]).not.toHaveProperty('requestId');
    expect(objects[2]).not.toHaveProperty('jobId');
  });

  it('in text, puts the ids after the context', () => {
    const log = createAppLogger({ logLevel: 'log', logFormat: 'text' });
    const [line] = captured(() => runWithLogContext({ jobId: '42', jobKind: 'send_email' }, () => log.log('sent', 'Mail')));
    expect(line).toContain('job=send_email#42');
    expect(line).toContain('sent');
  });

  it('levelsFrom gives the level and those above it', () => {
    expect(levelsFrom('warn')).toEqual(['error', 'warn']);
    expect(levelsFrom('verbose')).toEqual(['error', 'warn', 'log', 'debug', 'verbose']);
  });
});
