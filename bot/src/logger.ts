import pino, { type Logger } from 'pino';
import type { Telemetry } from './telemetry';

/** The process logger: JSON lines, with secrets redacted wherever they appear; with telemetry on, also to Application Insights. */
export function createLogger(level: string, telemetry?: Pick<Telemetry, 'mixin' | 'logRecords'>): Logger {
  const options = {
    level,
    base: { app: 'noticed' },
    redact: { paths: ['req.headers.authorization', '*.authorization', '*.password', '*.token', '*.key'], censor: '[redacted]' },
  };
  if (!telemetry) return pino(options);
  return pino({ ...options, mixin: () => telemetry.mixin() }, pino.multistream([{ stream: process.stdout, level: level as pino.Level }, { stream: telemetry.logRecords, level: level as pino.Level }]));
}
