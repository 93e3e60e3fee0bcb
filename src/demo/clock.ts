/**
 * Time helpers on epoch milliseconds. The generators work on plain numbers rather than luxon
 * DateTimes because they create hundreds of thousands of timestamps (bulk mode).
 */
export const SECOND_MS = 1000;
export const MINUTE_MS = 60 * SECOND_MS;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

const TWO_DIGITS = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
/** `YYYY-MM-DDT` per day number: the generators format hundreds of thousands of times */
const dayPrefixes = new Map<number, string>();

function dayPrefix(day: number): string {
  let prefix = dayPrefixes.get(day);
  if (prefix === undefined) {
    prefix = new Date(day * DAY_MS).toISOString().slice(0, 11);
    if (dayPrefixes.size > 10_000) dayPrefixes.clear();
    dayPrefixes.set(day, prefix);
  }
  return prefix;
}

function timeOfDay(ms: number): { prefix: string; hms: string; millis: number } {
  const day = Math.floor(ms / DAY_MS);
  const inDay = ms - day * DAY_MS;
  const seconds = Math.floor(inDay / SECOND_MS);
  const hms = `${TWO_DIGITS[Math.floor(seconds / 3600)]}:${TWO_DIGITS[Math.floor(seconds / 60) % 60]}:${TWO_DIGITS[seconds % 60]}`;
  return { prefix: dayPrefix(day), hms, millis: inDay - seconds * SECOND_MS };
}

/** CloudTrail `eventTime`: ISO 8601 UTC to the second, `2026-11-20T10:00:30Z`. */
export function isoSeconds(ms: number): string {
  const t = timeOfDay(ms);
  return `${t.prefix}${t.hms}Z`;
}

/** OCSF `time_dt`: ISO 8601 UTC with milliseconds, `2026-11-20T10:00:30.000Z`. */
export function isoMillis(ms: number): string {
  const t = timeOfDay(ms);
  return `${t.prefix}${t.hms}.${String(t.millis).padStart(3, '0')}Z`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * Dates inside ECR/IAM/STS response elements are Java-formatted in CloudTrail
 * (`"createdAt": "Jul 11, 2018 10:17:44 PM"` in the ECR user guide's example).
 */
export function javaDate(ms: number): string {
  const d = new Date(ms);
  const h = d.getUTCHours();
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()} ${h % 12 === 0 ? 12 : h % 12}:${pad(d.getUTCMinutes())}:${pad(
    d.getUTCSeconds(),
  )} ${h < 12 ? 'AM' : 'PM'}`;
}

export const utcDayStart = (ms: number): number => Math.floor(ms / DAY_MS) * DAY_MS;
/** whole days since 1970-01-01 (UTC): names a day for seeding */
export const dayNumber = (ms: number): number => Math.floor(ms / DAY_MS);
/** 0 = Sunday … 6 = Saturday */
export const utcWeekday = (ms: number): number => new Date(ms).getUTCDay();
export const isWeekend = (ms: number): boolean => utcWeekday(ms) === 0 || utcWeekday(ms) === 6;
export const utcHour = (ms: number): number => new Date(ms).getUTCHours();

/**
 * The rule the ECR "outside business hours" detections apply (UTC): hour >= 20, hour < 8, or a
 * Saturday/Sunday. Ordinary uploads must never satisfy it; the matching scenarios must.
 */
export function outsideEcrBusinessHours(ms: number): boolean {
  const h = utcHour(ms);
  return h >= 20 || h < 8 || isWeekend(ms);
}
