import pino, { type Logger } from 'pino';

/** The process logger: JSON lines, with secrets redacted wherever they appear. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { app: 'noticed' },
    redact: { paths: ['req.headers.authorization', '*.authorization', '*.password', '*.token', '*.key'], censor: '[redacted]' },
  });
}
