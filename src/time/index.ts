/** Splunk time modifiers and schedule helpers: pure functions over luxon DateTimes. */
export { TimeModifierError } from './errors.js';
export { hourlyFireTimes } from './fire-times.js';
export { isoOf } from './iso.js';
export { parseNow } from './now.js';
export { FIRST_SUPPORTED, LAST_SUPPORTED, outOfRange, SUPPORTED_RANGE } from './range.js';
export { parseTimeModifier, type TimeSpec, type TimeStep } from './parse.js';
export { ESCU_DEFAULT_WINDOW, resolveTime, resolveWindow, type ResolveOptions } from './resolve.js';
export { type Window, windowId, windowOf } from './window.js';
export { UNIT_ALIASES, type TimeUnit } from './units.js';
