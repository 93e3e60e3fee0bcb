/** Lookups written by outputlookup, in Postgres and in memory: replaced, appended, read back. */
import { describe, expect, test } from 'vitest';
import { memoryLookups, type LookupStore } from '../../src/store/lookup-store.js';
import { postgresLookups } from '../../src/store/lookups.js';
import { storePerFile } from '../support/store.js';

const store = storePerFile();

describe.each([
  ['postgres', () => postgresLookups(store.db.pool)],
  ['memory', () => memoryLookups()],
] as [string, () => LookupStore][])('%s', (_name, open) => {
  test('replace, then append over the union of the fields; values text, lists or missing', async () => {
    const s = open();
    expect(await s.read()).toEqual([]);
    await s.write('base', { fields: ['arn', 'n'], rows: [['a', '1']] }, false);
    await s.write('base', { fields: ['arn', 'n'], rows: [['b', '2']] }, false);
    expect(await s.read()).toEqual([{ name: 'base', fields: ['arn', 'n'], rows: [['b', '2']] }]);
    await s.write('base', { fields: ['arn', 'tags'], rows: [['c', ['x', 'y\u0000']]] }, true);
    const [base] = await s.read();
    expect(base?.fields).toEqual(['arn', 'n', 'tags']);
    expect(base?.rows[0]).toEqual(['b', '2', null]);
    expect(base?.rows[1]?.slice(0, 2)).toEqual(['c', null]);
    // append=t to a lookup that holds nothing yet writes it
    await s.write('fresh', { fields: ['k'], rows: [['1']] }, true);
    expect((await s.read()).map((l) => l.name)).toEqual(['base', 'fresh']);
  });
});
