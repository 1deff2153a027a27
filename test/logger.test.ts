import { Writable } from 'node:stream';
import winston from 'winston';
import { lineFormat } from '../src/logger';

/** The production line format (src/logger.ts), writing to memory. */
function memoryLogger() {
  const chunks: string[] = [];
  const sink = new Writable({ write(chunk, _encoding, done) { chunks.push(String(chunk)); done(); } });
  const logger = winston.createLogger({ level: 'info', format: lineFormat(), transports: [new winston.transports.Stream({ stream: sink })] });
  return { logger, lines: () => chunks.join('').split('\n').filter((line) => line !== '') };
}

describe('log lines', () => {
  it('are one JSON object each: every field in the order given, then level, message and timestamp', () => {
    const { logger, lines } = memoryLogger();
    logger.info('request', { method: 'GET', status: 200, tenant: 'acme', rateLimit: undefined });
    const [line] = lines();
    expect(Object.keys(JSON.parse(line))).toEqual(['method', 'status', 'tenant', 'level', 'message', 'timestamp']);
    expect(JSON.parse(line)).toMatchObject({ level: 'info', message: 'request', method: 'GET', status: 200, tenant: 'acme' });
    expect(Date.parse(JSON.parse(line).timestamp as string)).not.toBeNaN();
  });

  it('still write what JSON.stringify refuses (a cycle, a bigint) rather than throw', () => {
    const { logger, lines } = memoryLogger();
    const cycle: Record<string, unknown> = { name: 'loop' };
    cycle.self = cycle;
    logger.warn('odd values', { cycle, big: BigInt(2) ** BigInt(70) });
    expect(JSON.parse(lines()[0])).toMatchObject({ level: 'warn', message: 'odd values', cycle: { name: 'loop', self: '[Circular]' }, big: '1180591620717411303424' });
  });

  it('give an error its message and stack', () => {
    const { logger, lines } = memoryLogger();
    logger.error(new Error('disk full'));
    expect(JSON.parse(lines()[0])).toMatchObject({ level: 'error', message: 'disk full', stack: expect.stringContaining('disk full') });
  });
});
