/**
 * The demo against the real pipeline: demo data → local lake (the importer) → the shipped
 * detections translated for DuckDB, with DEMO_MACROS. Each detection must return exactly the
 * rows its planted scenarios predict, for the risk objects the scenarios name. (Hourly ESCU
 * windows give the same rows: every planted event is alone in its window and BY group.)
 */
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/detections/catalog.js';
import { DEMO_DETECTIONS, DEMO_MACROS, generateDemoData } from '../../src/demo/index.js';
import { makeLake, runDetection, type TestLake } from '../support/hunt.js';

const NOW = DateTime.fromISO('2026-11-20T10:00:30Z', { zone: 'utc' });
const data = generateDemoData({ now: NOW, days: 7 });
const detections = loadCatalog('detections').detections;

/** result rows expected over the whole period, by the `user` each row names */
const EXPECTED: Record<string, string[]> = {
  [DEMO_DETECTIONS.ctOutsideHours]: ['ci-builder', 'ci-builder', 'release-bot'], // S4 x2 (CloudTrail view), S1
  [DEMO_DETECTIONS.ctUnknownUser]: ['contractor-dana', 'contractor-dana'], // S2 (sandbox), S5 (prod)
  [DEMO_DETECTIONS.ctMediumFindings]: ['contractor-dana', 'contractor-dana'], // S3: one row per MEDIUM finding
  [DEMO_DETECTIONS.aslOutsideHours]: [
    'arn:aws:iam::210987654321:user/ci-builder',
    'arn:aws:iam::210987654321:user/ci-builder',
  ], // S4
  [DEMO_DETECTIONS.aslUnknownUser]: ['arn:aws:iam::210987654321:user/contractor-dana'], // S5
};

describe('the shipped detections on the demo data', () => {
  let lake: TestLake;
  beforeAll(async () => {
    lake = await makeLake({ cloudtrail: data.cloudtrail, ocsf: data.ocsf });
  }, 300_000);
  afterAll(async () => {
    await lake?.close();
  });

  it.each(Object.entries(EXPECTED))('%s returns the planted rows only', async (name, users) => {
    const detection = detections.find((d) => d.name === name);
    expect(detection, `${name} is shipped`).toBeDefined();
    if (!detection) return;
    const rows = await runDetection(lake, detection, { macros: { ...DEMO_MACROS } });
    expect(rows.map((r) => String(r.user)).sort()).toEqual([...users].sort());
  });
});
