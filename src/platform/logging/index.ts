export { LoggingModule, REDACTED_PATHS } from './logging.module.js';
export { NestPinoLogger, PinoLogger } from './pino-logger.js';
