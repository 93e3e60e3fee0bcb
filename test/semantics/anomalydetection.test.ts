/**
 * anomalydetection (histogram method, categorical fields): the frequencies, the four fields it
 * adds and the pthresh filter, worked out by hand from Splunk's documentation, on the real
 * importer and DuckDB; the Athena rendering of every search must parse as Trino SQL.
 */
import { TrinoSQL } from 'dt-sql-parser';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { translateSearch } from '../../src/translate/translate.js';
import { ct, iamUser, rootUser } from '../support/events.js';
import { macrosWith, makeLake, runSearch, type TestLake } from '../support/hunt.js';

// Five events, newest last here (results come newest first: A5 ... A1).
//   user (userIdentity.userName): alice 3/5 = 0.6, bob 1/5 = 0.2, A5 has none
//   eventName: ListImages 3/5 = 0.6, PutImage 1/5 = 0.2, DeleteRepository 1/5 = 0.2
const events = [
  ct({ time: '2026-11-18T10:00:00Z', who: iamUser('alice'), name: 'ListImages' }), // A1
  ct({ time: '2026-11-18T10:01:00Z', who: iamUser('alice'), name: 'ListImages' }), // A2
  ct({ time: '2026-11-18T10:02:00Z', who: iamUser('alice'), name: 'PutImage' }), // A3
  ct({ time: '2026-11-18T10:03:00Z', who: iamUser('bob'), name: 'ListImages' }), // A4
  ct({ time: '2026-11-18T10:04:00Z', who: rootUser(), name: 'DeleteRepository' }), // A5
];

let lake: TestLake;
beforeAll(async () => {
  lake = await makeLake({ cloudtrail: events });
});
afterAll(() => lake.close());

const trino = new TrinoSQL();
async function rows(search: string) {
  const spl = `\`cloudtrail\` ${search}`;
  const athena = translateSearch(spl, { dialect: 'athena', macros: macrosWith(), zone: 'UTC' });
  expect(trino.validate(athena.sql), athena.sql).toEqual([]);
  return (await runSearch(lake, spl)).rows;
}
const refusal = (search: string): string => {
  try {
    translateSearch(`\`cloudtrail\` ${search}`, { dialect: 'duckdb', macros: macrosWith(), zone: 'UTC' });
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error(`expected ${search} to be refused`);
};

const USER = 'userIdentity.userName';
const TABLE = `| table eventName ${USER} log_event_prob probable_cause probable_cause_freq max_freq`;
/** [eventName, user, log_event_prob, probable_cause, probable_cause_freq, max_freq] */
const scores = (r: Record<string, unknown>[]) =>
  r.map((x) => [
    x.eventName,
    x[USER],
    Number((x.log_event_prob as number).toFixed(9)),
    x.probable_cause,
    x.probable_cause_freq,
    x.max_freq,
  ]);

describe('anomalydetection', () => {
  test('action=annotate: every event, with log_event_prob, probable_cause, probable_cause_freq, max_freq', async () => {
    const r = await rows(`| anomalydetection action=annotate ${USER} eventName ${TABLE}`);
    expect(scores(r)).toEqual([
      // A5: no user, so only ln(0.2)
      ['DeleteRepository', undefined, -1.609437912, 'eventName', 0.2, 0.2],
      // A4: ln(0.2) + ln(0.6); bob is the rarer value
      ['ListImages', 'bob', -2.120263536, USER, 0.2, 0.6],
      // A3: ln(0.6) + ln(0.2); PutImage is the rarer value
      ['PutImage', 'alice', -2.120263536, 'eventName', 0.2, 0.6],
      // A2, A1: 2 ln(0.6); a tie goes to the field named first
      ['ListImages', 'alice', -1.021651248, USER, 0.6, 0.6],
      ['ListImages', 'alice', -1.021651248, USER, 0.6, 0.6],
    ]);
  });

  test('action=filter (the default) keeps the events whose probability is below pthresh', async () => {
    // probabilities: A1, A2 0.36; A3, A4 0.12; A5 0.2
    const r = await rows(`| anomalydetection ${USER} eventName pthresh=0.15 ${TABLE}`);
    expect(scores(r)).toEqual([
      ['ListImages', 'bob', -2.120263536, USER, 0.2, 0.6],
      ['PutImage', 'alice', -2.120263536, 'eventName', 0.2, 0.6],
    ]);
    expect(await rows(`| anomalydetection action=filter pthresh=0.3 ${USER} eventName | stats count`)).toEqual([
      { count: 3 },
    ]);
  });

  test('frequencies count the events that reach the command, and later filters do not change them', async () => {
    // three ListImages events: alice 2/3, bob 1/3
    const r = await rows(
      `eventName=ListImages | anomalydetection action=annotate ${USER} | search ${USER}=bob ${TABLE}`,
    );
    expect(r.map((x) => [x[USER], Number((x.log_event_prob as number).toFixed(9)), x.max_freq])).toEqual([
      ['bob', -1.098612289, 1 / 3],
    ]);
  });

  test('after stats, over the grouped rows', async () => {
    // two rows per user (alice: ListImages, PutImage): alice 2/4, bob 1/4, root 1/4
    const r = await rows(
      `| stats count by eventName userName | anomalydetection action=annotate userName | table userName eventName probable_cause_freq`,
    );
    expect(r).toEqual([
      { userName: 'root', eventName: 'DeleteRepository', probable_cause_freq: 0.25 },
      { userName: 'alice', eventName: 'ListImages', probable_cause_freq: 0.5 },
      { userName: 'bob', eventName: 'ListImages', probable_cause_freq: 0.25 },
      { userName: 'alice', eventName: 'PutImage', probable_cause_freq: 0.5 },
    ]);
  });

  test('what Splunk does not document exactly is refused, naming the option', () => {
    expect(refusal(`| anomalydetection ${USER}`)).toMatch(
      /^`anomalydetection` \(action=filter by default\) without pthresh= is not supported: the threshold Splunk computes itself \(cutoff=true\) is not documented exactly/,
    );
    expect(refusal(`| anomalydetection cutoff=false ${USER}`)).toMatch(
      /without pthresh= is not supported.*\(cutoff=false\)/,
    );
    expect(refusal('| anomalydetection action=annotate')).toMatch(
      /^`anomalydetection` without fields .* name the fields/,
    );
    expect(refusal(`| anomalydetection method=zscore ${USER}`)).toMatch(/method=zscore is not supported/);
    expect(refusal(`| anomalydetection action=summary ${USER}`)).toMatch(/action=summary is not supported/);
    expect(refusal(`| anomalydetection method=iqr param=4 ${USER}`)).toMatch(
      /param= belongs to the zscore and iqr methods/,
    );
    expect(refusal(`| anomalydetection pthresh=2 ${USER}`)).toMatch(/pthresh=2 is not a probability/);
    expect(refusal('| stats count by eventName | anomalydetection action=annotate count')).toMatch(
      /^anomalydetection over the number field count is not supported: Splunk bins numbers/,
    );
    expect(refusal('| anomalydetection action=annotate resources{}.ARN')).toMatch(/multivalue field/);
  });
});
