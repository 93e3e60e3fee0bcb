import { DateTime } from 'luxon';

const HOUR_MS = 3_600_000;

/**
 * Every top of the hour t with from <= t < to, in UTC: the fire times of an hourly (`0 * * * *`)
 * ESCU detection over a period, each giving one `-70m@m`..`-10m@m` window. Consecutive windows
 * meet exactly (…:50 to …:50), so running all of them covers the period once.
 */
export function hourlyFireTimes(from: DateTime, to: DateTime): DateTime[] {
  if (!from.isValid || !to.isValid) throw new RangeError('hourlyFireTimes: from and to must be valid times');
  const out: DateTime[] = [];
  const end = to.toMillis();
  for (let ms = Math.ceil(from.toMillis() / HOUR_MS) * HOUR_MS; ms < end; ms += HOUR_MS) {
    out.push(DateTime.fromMillis(ms, { zone: 'utc' }));
  }
  return out;
}
