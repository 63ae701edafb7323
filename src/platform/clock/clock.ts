import { Injectable } from '@nestjs/common';

/**
 * The time "now" for business rules that depend on it (a requested date in the past), injected
 * so that unit tests decide what now is instead of racing the wall clock.
 */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}
