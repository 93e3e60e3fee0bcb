/**
 * `hunt report --html FILE` end to end: a history with known risk events, runs and incidents in
 * a real Postgres, the page written by the real CLI, loaded in a real headless Chromium with the
 * network cut off. The expected numbers are worked out by hand below from the stored events.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { sql } from 'slonik';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { RiskEvent } from '../../src/risk/model.js';
import { saveRun } from '../../src/store/runs.js';
import { hunt } from '../support/cli.js';
import { makeRun, riskEvent, storePerFile } from '../support/store.js';

const CHROMIUM = '/usr/bin/chromium';
const store = storePerFile();
const dir = mkdtempSync(join(tmpdir(), 'hunt-html-report-'));
const env = (): NodeJS.ProcessEnv => ({ DATABASE_URL: store.url, HUNT_HOME: join(dir, 'home') });

const HOSTILE = '<script>alert(1)</script>';
const HOSTILE_DETECTION = '"><img src=x onerror=alert(2)>';
const alpha = { id: 'det-alpha', name: 'Alpha Detection' };
const beta = { id: 'det-beta', name: HOSTILE_DETECTION };
const gamma = { id: 'det-gamma', name: 'Gamma Detection' };
// the tactics of T1078 (Valid Accounts) and T1485 (Data Destruction), as src/risk/attack-tactics.ts has them
const T1078 = {
  mitre_attack_ids: ['T1078'],
  mitre_tactics: ['Initial Access', 'Persistence', 'Privilege Escalation', 'Defense Evasion'],
};
const T1485 = { mitre_attack_ids: ['T1485'], mitre_tactics: ['Impact'] };

/** One run of `detection` over the hour ending at `end`; its risk events count at `end`, as ES stamps them. */
async function save(
  detection: { id: string; name: string },
  end: string,
  events: Partial<RiskEvent>[],
  opts: { findings?: number; failed?: boolean } = {},
): Promise<void> {
  const latest = new Date(end);
  await saveRun(
    store.db.pool,
    makeRun({
      detectionId: detection.id,
      detectionName: detection.name,
      windowEarliest: new Date(latest.getTime() - 3_600_000).toISOString(),
      windowLatest: latest.toISOString(),
      findings: opts.findings ?? events.length,
      ...(opts.failed ? { status: 'failed' as const, error: 'boom' } : {}),
      riskEvents: events.map((e) =>
        riskEvent({
          risk_time: latest.toISOString(),
          detection_id: detection.id,
          detection_name: detection.name,
          ...e,
        }),
      ),
    }),
  );
}

async function incident(over: {
  rule: string;
  object: string;
  status: 'open' | 'closed';
  score: number;
  start: string;
  end: string;
  first: string;
  last: string;
  detections: string[];
  tactics: string[];
}): Promise<void> {
  await store.db.pool.query(sql.unsafe`
    INSERT INTO incidents (rule, risk_object, risk_object_type, window_start, window_end, status, total_score, risk_events,
                           detections, tactics, techniques, first_time, last_time)
    VALUES (${over.rule}, ${over.object}, 'user', ${over.start}, ${over.end}, ${over.status}, ${over.score}, 3,
            ${sql.array(over.detections, 'text')}, ${sql.array(over.tactics, 'text')}, ${sql.array(['T1078'], 'text')}, ${over.first}, ${over.last})`);
}

// The report's range: 2024-03-01 (inclusive) to 2024-03-08 (exclusive), 7 days → one bucket per day.
const RANGE = ['--since', '2024-03-01T00:00:00Z', '--until', '2024-03-08T00:00:00Z', '--now', '2024-03-08T00:00:00Z'];

beforeAll(async () => {
  // outside the range on both sides: never shown, never counted
  await save(alpha, '2024-02-29T23:00:00Z', [{ risk_object: 'carol', risk_score: 1000, ...T1078 }]);
  await save(alpha, '2024-03-08T00:00:00Z', [{ risk_object: 'carol', risk_score: 1000, ...T1078 }]);
  // alice: 40 on Mar 1, 30 on Mar 3 → 70
  await save(alpha, '2024-03-01T10:00:00Z', [{ risk_object: 'alice', risk_score: 40, ...T1078 }]);
  await save(beta, '2024-03-03T05:00:00Z', [{ risk_object: 'alice', risk_score: 30, ...T1485 }]);
  // the hostile object: 50 on Mar 2
  await save(alpha, '2024-03-02T12:00:00Z', [{ risk_object: HOSTILE, risk_score: 50, ...T1078 }]);
  // web-01 (a system): 20 at midnight of Mar 5 (the Mar 5 bucket), 25 late on Mar 5 → 45
  await save(beta, '2024-03-05T00:00:00Z', [
    { risk_object: 'web-01', risk_object_type: 'system', risk_score: 20, ...T1485 },
  ]);
  await save(beta, '2024-03-05T23:00:00Z', [
    { risk_object: 'web-01', risk_object_type: 'system', risk_score: 25, ...T1485 },
  ]);
  // bob: 10 on Mar 7 (fourth: below --top 3, yet in the totals)
  await save(alpha, '2024-03-07T10:00:00Z', [{ risk_object: 'bob', risk_score: 10, ...T1078 }]);
  // findings without risk, and a failed run
  await save(alpha, '2024-03-04T01:00:00Z', [], { findings: 2 });
  await save(gamma, '2024-03-06T06:00:00Z', [], { failed: true, findings: 0 });

  await incident({
    rule: 'risk_score_24h',
    object: 'alice',
    status: 'open',
    score: 100.5,
    start: '2024-03-01T00:00:00Z',
    end: '2024-03-02T00:00:00Z',
    first: '2024-03-01T10:00:00Z',
    last: '2024-03-01T20:00:00Z',
    detections: ['Alpha Detection'],
    tactics: ['Persistence', 'Initial Access'],
  });
  await incident({
    rule: 'attack_tactics_7d',
    object: HOSTILE,
    status: 'closed',
    score: 50,
    start: '2024-02-28T00:00:00Z',
    end: '2024-03-06T00:00:00Z',
    first: '2024-03-02T12:00:00Z',
    last: '2024-03-05T23:00:00Z',
    detections: [HOSTILE_DETECTION],
    tactics: ['Impact'],
  });
  // its evidence is all before the range
  await incident({
    rule: 'risk_score_24h',
    object: 'old-timer',
    status: 'open',
    score: 999,
    start: '2024-02-20T00:00:00Z',
    end: '2024-02-21T00:00:00Z',
    first: '2024-02-20T01:00:00Z',
    last: '2024-02-20T02:00:00Z',
    detections: ['Alpha Detection'],
    tactics: ['Impact'],
  });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('hunt report --html: bad paths and failures leave no file', () => {
  test('a path in a missing directory is exit 2 naming it', async () => {
    const missing = join(dir, 'no-such-dir', 'report.html');
    const r = await hunt(['report', '--html', missing, ...RANGE], env());
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(join(dir, 'no-such-dir'));
    expect(existsSync(join(dir, 'no-such-dir'))).toBe(false);
  });

  test('a run that fails (no such database) leaves the old page as it was, and no temp file', async () => {
    const out = mkdtempSync(join(dir, 'fail-'));
    const file = join(out, 'report.html');
    writeFileSync(file, 'the old page');
    const url = new URL(store.url);
    url.pathname = '/hunt_no_such_database';
    const r = await hunt(['report', '--html', file, ...RANGE], { ...env(), DATABASE_URL: url.toString() });
    expect(r.code).toBe(1);
    expect(readFileSync(file, 'utf8')).toBe('the old page');
    expect(readdirSync(out)).toEqual(['report.html']);
  });

  test('`hunt report risk` still takes its own --since after the subcommand', async () => {
    const r = await hunt(['report', 'risk', '--since', '2024-03-01T00:00:00Z', '--json'], env());
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const objects = (JSON.parse(r.stdout) as { objects: { risk_object: string; total_score: number }[] }).objects;
    // carol's Feb 29 event is before --since; her Mar 8 one is in (no --until)
    expect(objects.map((o) => [o.risk_object, o.total_score])).toEqual([
      ['carol', 1000],
      ['alice', 70],
      [HOSTILE, 50],
      ['web-01', 45],
      ['bob', 10],
    ]);
  });
});

describe.skipIf(!existsSync(CHROMIUM))(
  `hunt report --html in headless Chromium (${CHROMIUM}; skipped when it is missing: apt-get install chromium)`,
  () => {
    let browser: Browser;
    beforeAll(async () => {
      browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    });
    afterAll(async () => {
      await browser?.close();
    });

    /** Writes the report through the CLI and opens it offline; what the page tried and complained about is recorded. */
    async function open(
      args: string[],
      form: '--html' | 'html' = '--html',
    ): Promise<{ page: Page; problems: string[]; requests: string[]; html: string }> {
      const file = join(mkdtempSync(join(dir, 'page-')), 'report.html');
      // `hunt report --html FILE` and its spelling as a subcommand, `hunt report html FILE`
      const r = await hunt(
        form === '--html' ? ['report', '--html', file, ...args] : ['report', 'html', file, ...args],
        env(),
      );
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`wrote ${file}`);
      const html = readFileSync(file, 'utf8');
      const context = await browser.newContext({ offline: true, javaScriptEnabled: true });
      const page = await context.newPage();
      const problems: string[] = [];
      const requests: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
      });
      page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
      page.on('dialog', (d) => {
        problems.push(`dialog: ${d.message()}`);
        void d.dismiss();
      });
      page.on('request', (req) => requests.push(req.url()));
      const fileUrl = pathToFileURL(file).href;
      // anything but the page itself is refused (and recorded above)
      await page.route('**/*', (route) => (route.request().url() === fileUrl ? route.continue() : route.abort()));
      await page.goto(fileUrl, { waitUntil: 'load' });
      return { page, problems, requests: requests.filter((u) => u !== fileUrl), html };
    }

    test('the page renders offline without errors and its charts show the stored data', async () => {
      const { page, problems, requests } = await open([...RANGE, '--top', '3']);
      expect(problems).toEqual([]);
      expect(requests).toEqual([]);

      expect(await page.title()).toBe('hunt risk report, 2024-03-01 00:00 to 2024-03-08 00:00 UTC');
      expect(await page.locator('h1').textContent()).toBe('Risk report');
      expect(await page.locator('h2').allTextContents()).toEqual([
        'Risk over time, top 3 objects',
        'Risk by tactic',
        'Detection activity',
        'Incidents',
        'Top objects',
      ]);

      // header: 6 risk events in range (carol's two are outside), 40+30+50+20+25+10 = 175; 4 objects;
      // 2 incidents overlap the range, 1 open; runs with window end in range: alpha 4, beta 3, gamma 1
      const stat = (key: string) => page.locator(`[data-stat="${key}"] dd`).textContent();
      expect(await stat('risk_events')).toBe('6 175 risk in all');
      expect(await stat('objects')).toBe('4');
      expect(await stat('incidents')).toBe('2 1 open');
      expect(await stat('detections')).toBe('3 8 runs, 1 failed');

      // risk over time: the legend in rank order with totals; one point per non-empty day
      const legend = page.locator('#risk-over-time .legend li');
      expect(
        await legend.evaluateAll((lis) =>
          lis.map((li) => [li.getAttribute('data-object'), li.getAttribute('data-value')]),
        ),
      ).toEqual([
        ['alice', '70'],
        [HOSTILE, '50'],
        ['web-01', '45'],
      ]);
      expect(await legend.nth(1).locator('.name').textContent()).toBe(HOSTILE);
      const points = await page
        .locator('#risk-over-time svg g.series')
        .evaluateAll((gs) =>
          gs.map((g) => [
            g.getAttribute('data-label'),
            [...g.querySelectorAll('circle.point')].map(
              (c) => `${c.getAttribute('data-bucket')}=${c.getAttribute('data-value')}`,
            ),
          ]),
        );
      expect(points).toEqual([
        ['alice (user)', ['2024-03-01=40', '2024-03-03=30']],
        [`${HOSTILE} (user)`, ['2024-03-02=50']],
        // midnight of Mar 5 belongs to Mar 5
        ['web-01 (system)', ['2024-03-05=45']],
      ]);
      // the days of the range, as the data table's columns
      expect(await page.locator('#risk-over-time table.data thead th').allTextContents()).toEqual([
        'Object',
        '2024-03-01',
        '2024-03-02',
        '2024-03-03',
        '2024-03-04',
        '2024-03-05',
        '2024-03-06',
        '2024-03-07',
      ]);
      // the chart is drawn: three lines, laid out with a real size
      expect(await page.locator('#risk-over-time svg polyline').count()).toBe(3);
      const box = await page.locator('#risk-over-time svg.line-chart').boundingBox();
      expect(box?.width).toBeGreaterThan(500);
      expect(box?.height).toBeGreaterThan(150);

      // risk by tactic: all 14 in ATT&CK order; T1078 events (alice 40, hostile 50, bob 10) give its
      // four tactics 100 each, T1485 ones (alice 30, web-01 20 + 25) give Impact 75
      const bars = await page
        .locator('#risk-by-tactic svg g.bar')
        .evaluateAll((gs) =>
          gs.map((g) => [
            g.getAttribute('data-tactic'),
            Number(g.getAttribute('data-value')),
            g.querySelector('text.value')?.textContent,
          ]),
        );
      expect(bars).toEqual([
        ['Reconnaissance', 0, '0 (0 events, 0 objects)'],
        ['Resource Development', 0, '0 (0 events, 0 objects)'],
        ['Initial Access', 100, '100 (3 events, 3 objects)'],
        ['Execution', 0, '0 (0 events, 0 objects)'],
        ['Persistence', 100, '100 (3 events, 3 objects)'],
        ['Privilege Escalation', 100, '100 (3 events, 3 objects)'],
        ['Defense Evasion', 100, '100 (3 events, 3 objects)'],
        ['Credential Access', 0, '0 (0 events, 0 objects)'],
        ['Discovery', 0, '0 (0 events, 0 objects)'],
        ['Lateral Movement', 0, '0 (0 events, 0 objects)'],
        ['Collection', 0, '0 (0 events, 0 objects)'],
        ['Command and Control', 0, '0 (0 events, 0 objects)'],
        ['Exfiltration', 0, '0 (0 events, 0 objects)'],
        ['Impact', 75, '75 (3 events, 2 objects)'],
      ]);
      // the bars are as long as their numbers: Impact's is 3/4 of Initial Access's
      const width = (tactic: string) =>
        page
          .locator(`#risk-by-tactic g.bar[data-tactic="${tactic}"] rect`)
          .evaluate((r) => r.getBoundingClientRect().width);
      expect((await width('Impact')) / (await width('Initial Access'))).toBeCloseTo(0.75, 2);

      // detection activity: most risk first; runs, failures, findings, risk; findings per day
      const detections = await page.locator('#detections tbody tr').evaluateAll((trs) =>
        trs.map((tr) => ({
          name: tr.querySelector('th')?.textContent,
          cols: [...tr.querySelectorAll('td[data-col]')].map(
            (td) => `${td.getAttribute('data-col')}=${td.textContent}`,
          ),
          strip: [...tr.querySelectorAll('svg.strip rect')].map(
            (r) => `${r.getAttribute('class')}:${r.getAttribute('data-value')}`,
          ),
        })),
      );
      expect(detections).toEqual([
        {
          name: 'Alpha Detection',
          cols: ['runs=4', 'failed=0', 'findings=5', 'risk_events=3', 'risk_score=100'],
          strip: ['hit:1', 'hit:1', 'none:0', 'hit:2', 'none:0', 'none:0', 'hit:1'],
        },
        {
          name: HOSTILE_DETECTION,
          cols: ['runs=3', 'failed=0', 'findings=3', 'risk_events=3', 'risk_score=75'],
          strip: ['none:0', 'none:0', 'hit:1', 'none:0', 'hit:2', 'none:0', 'none:0'],
        },
        {
          name: 'Gamma Detection',
          cols: ['runs=1', 'failed=1', 'findings=0', 'risk_events=0', 'risk_score=0'],
          strip: ['none:0', 'none:0', 'none:0', 'none:0', 'none:0', 'failed:0', 'none:0'],
        },
      ]);

      // incidents overlapping the range, newest window end first
      const incidents = await page
        .locator('#incidents tbody tr')
        .evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
      expect(incidents).toEqual([
        [
          '2024-03-06 00:00',
          'attack_tactics_7d',
          'closed',
          HOSTILE,
          'user',
          '50',
          '3',
          HOSTILE_DETECTION,
          'Impact',
          '2024-03-02 12:00 to 2024-03-05 23:00',
        ],
        [
          '2024-03-02 00:00',
          'risk_score_24h',
          'open',
          'alice',
          'user',
          '100.5',
          '3',
          'Alpha Detection',
          'Initial Access, Persistence',
          '2024-03-01 10:00 to 2024-03-01 20:00',
        ],
      ]);

      // top objects table, in rank order
      const top = await page
        .locator('#top-objects tbody tr')
        .evaluateAll((trs) =>
          trs.map((tr) => [...tr.children].filter((c) => !c.querySelector('svg')).map((c) => c.textContent)),
        );
      expect(top).toEqual([
        [
          '1',
          'alice',
          'user',
          '70',
          '2',
          '2',
          'Initial Access, Persistence, Privilege Escalation, Defense Evasion, Impact',
          '2024-03-01 10:00',
          '2024-03-03 05:00',
        ],
        [
          '2',
          HOSTILE,
          'user',
          '50',
          '1',
          '1',
          'Initial Access, Persistence, Privilege Escalation, Defense Evasion',
          '2024-03-02 12:00',
          '2024-03-02 12:00',
        ],
        ['3', 'web-01', 'system', '45', '2', '1', 'Impact', '2024-03-05 00:00', '2024-03-05 23:00'],
      ]);

      // accessibility: every chart has a title and a description, every figure a caption
      const svgs = await page
        .locator('svg.line-chart, svg.bar-chart')
        .evaluateAll((ss) =>
          ss.map((s) => [
            s.querySelector(':scope > title')?.textContent ?? '',
            s.querySelector(':scope > desc')?.textContent ?? '',
          ]),
        );
      expect(svgs).toHaveLength(2);
      for (const [title, desc] of svgs) {
        expect(title).not.toBe('');
        expect(desc).not.toBe('');
      }
      expect(await page.locator('figure').count()).toBe(await page.locator('figure > figcaption').count());
    });

    test('hostile names from the data render as text, never as markup', async () => {
      const { page, problems, html } = await open([...RANGE, '--top', '3']);
      expect(problems).toEqual([]);
      // nothing from the data became an element
      expect(await page.locator('script').count()).toBe(0);
      expect(await page.locator('img').count()).toBe(0);
      expect(html).not.toContain(HOSTILE);
      expect(html).not.toContain('<img');
      // ... and it reads as it was stored, wherever it is shown
      expect(await page.locator('#top-objects tbody tr').nth(1).locator('th').textContent()).toBe(HOSTILE);
      expect(await page.locator(`#top-objects tbody tr[data-object="${HOSTILE.replaceAll('"', '\\"')}"]`).count()).toBe(
        1,
      );
      expect(await page.locator('#detections tbody tr').nth(1).locator('th').textContent()).toBe(HOSTILE_DETECTION);
      expect(await page.locator('#risk-over-time svg g.series').nth(1).locator(':scope > title').textContent()).toBe(
        `2. ${HOSTILE} (user): 50 risk in all`,
      );
    });

    test('a range of 3 days or less is charted per hour', async () => {
      const { page, problems } = await open(
        ['--since', '2024-03-05T00:00:00Z', '--until', '2024-03-06T00:00:00Z', '--now', '2024-03-08T00:00:00Z'],
        'html',
      );
      expect(problems).toEqual([]);
      const columns = await page.locator('#risk-over-time table.data thead th').allTextContents();
      expect(columns).toHaveLength(1 + 24);
      expect(columns[1]).toBe('2024-03-05 00:00');
      // only web-01 has risk that day: 20 at 00:00, 25 at 23:00
      const points = await page
        .locator('#risk-over-time circle.point')
        .evaluateAll((cs) => cs.map((c) => `${c.getAttribute('data-bucket')}=${c.getAttribute('data-value')}`));
      expect(points).toEqual(['2024-03-05 00:00=20', '2024-03-05 23:00=25']);
      expect(await page.locator('[data-stat="incidents"] dd').textContent()).toBe('1 0 open');
    });
  },
);
