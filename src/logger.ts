import winston from 'winston';
import type { LogLevel } from './config/config';

export type Logger = winston.Logger;

/** JSON lines on stdout. Callers log facts, never secrets: no tokens, passwords or Authorization headers. */
export function createLogger(level: LogLevel): Logger {
  return winston.createLogger({
    level: level === 'silent' ? 'error' : level,
    silent: level === 'silent',
    format: winston.format.combine(winston.format.timestamp(), winston.format.errors({ stack: true }), winston.format.json()),
    transports: [new winston.transports.Console()],
  });
}

/** An Error's own fields are not enumerable, so the JSON log format would write it as {}: this is how errors are logged. */
export const describeError = (error: unknown) =>
  error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : { message: String(error) };
