import { DateTime } from 'luxon';

/**
 * Where the scheduler gets "now". The daemon uses the system clock; tests and `--now` use a
 * clock they set, so a test can play days of fire times in seconds.
 */
export interface Clock {
  now(): DateTime;
}

export const systemClock: Clock = { now: () => DateTime.utc() };

/** A clock that stands still until set. */
export class ManualClock implements Clock {
  constructor(private current: DateTime) {}
  now(): DateTime {
    return this.current;
  }
  set(t: DateTime): void {
    this.current = t.toUTC();
  }
  advance(ms: number): void {
    this.current = this.current.plus({ milliseconds: ms });
  }
}
