// A real pino logger whose lines stay in memory, so tests can assert what was
// logged and at which level (e.g. that a client error is never logged as an error).
import { createLogger, type Logger } from '../../src/logger';

export interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

/** pino's numeric levels. */
export const LOG_LEVEL = { info: 30, warn: 40, error: 50 } as const;

export interface CapturedLog {
  logger: Logger;
  lines: LogLine[];
  /** Lines at error level or above. */
  errors(): LogLine[];
  clear(): void;
}

export function captureLog(): CapturedLog {
  const lines: LogLine[] = [];
  const logger = createLogger('info', { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) });
  return {
    logger,
    lines,
    errors: () => lines.filter((line) => line.level >= LOG_LEVEL.error),
    clear: () => void lines.splice(0),
  };
}
