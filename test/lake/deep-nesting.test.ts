/**
 * A record nested deeper than JavaScript can serialise (JSON.stringify recurses) is one bad
 * record: reported with its place and skipped, while the rest of the input is imported.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importFiles, importRecords } from '../../src/lake/import.js';
import { count, ctEvent, tempDirs, writeText } from './helpers.js';

const tmp = tempDirs();

/** Far deeper than any stack: JSON.parse takes it, JSON.stringify cannot. */
const DEPTH = 200_000;
const deepText = `${'{"a":'.repeat(DEPTH)}1${'}'.repeat(DEPTH)}`;

function deepValue(): Record<string, unknown> {
  let v: Record<string, unknown> = { a: 1 };
  for (let i = 0; i < DEPTH; i++) v = { a: v };
  return v;
}

const deepEvent = (): string =>
  JSON.stringify(ctEvent({ eventID: 'deep', requestParameters: null })).replace(
    '"requestParameters":null',
    `"requestParameters":${deepText}`,
  );

describe('a deeply nested record', () => {
  it('is skipped with its line number in NDJSON, and the other lines are imported', async () => {
    const dir = await tmp();
    const lake = join(dir, 'lake');
    const lines = [
      JSON.stringify(ctEvent({ eventID: 'one' })),
      deepEvent(),
      JSON.stringify(ctEvent({ eventID: 'three' })),
    ];
    expect(lines[1]).toContain('"requestParameters":{"a":{"a":');
    const file = await writeText(dir, 'deep.ndjson', lines.join('\n'));
    const summary = await importFiles(lake, [file]);
    expect(summary.files).toMatchObject([
      {
        file,
        kind: 'cloudtrail',
        records: 2,
        skipped: 1,
        problems: [expect.stringMatching(/^line 2: nested too deeply/)],
      },
    ]);
    expect(summary.cloudtrail.added).toBe(2);
    expect(await count(lake, 'cloudtrail')).toBe(2);
  });

  it('is skipped by its index inside a JSON array', async () => {
    const dir = await tmp();
    const lake = join(dir, 'lake');
    const text = `[${JSON.stringify(ctEvent({ eventID: 'one' }))},\n${deepEvent()}]`;
    const file = await writeText(dir, 'deep.json', text);
    const [report] = (await importFiles(lake, [file])).files;
    expect(report).toMatchObject({ records: 1, skipped: 1 });
    expect(report!.problems).toEqual([expect.stringMatching(/^record 2: nested too deeply/)]);
    expect(await count(lake, 'cloudtrail')).toBe(1);
  });

  it('is skipped among records handed to importRecords', async () => {
    const dir = await tmp();
    const lake = join(dir, 'lake');
    const summary = await importRecords(lake, {
      cloudtrail: [ctEvent({ eventID: 'one' }), ctEvent({ eventID: 'deep', requestParameters: deepValue() })],
    });
    expect(summary.files[0]).toMatchObject({ records: 1, skipped: 1 });
    expect(summary.files[0]!.problems).toEqual([expect.stringMatching(/^record 2: nested too deeply/)]);
  });
});
