// The registry opens engines; this module keeps the name callers import it by.
export { openEngine, type EngineName } from './registry.js';
