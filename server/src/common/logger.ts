import type { LoggerService } from '@nestjs/common';
import { pino, type Logger } from 'pino';

/** Structured logs to stderr (stdout stays for a command's own output). */
export function createLogger(level: string, name = 'kaizen'): Logger {
  return pino({ name, level }, pino.destination({ dest: 2, sync: false }));
}

/** Routes NestJS's own messages into pino. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}
  log(message: unknown, context?: string): void {
    this.logger.debug({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string): void {
    this.logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string): void {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string): void {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string): void {
    this.logger.trace({ context }, String(message));
  }
}
