import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importFiles, importRecords } from '../../src/lake/import.js';
import {
  count,
  ctEvent,
  ECR_EXAMPLES,
  filesUnder,
  ndjson,
  OCSF_SAMPLES,
  ocsfRecord,
  query,
  tempDirs,
  writeGzip,
  writeText,
} from './helpers.js';

const tmp = tempDirs();

describe('input formats', () => {
  const events = [ctEvent({ eventName: 'A' }), ctEvent({ eventName: 'B' }), ctEvent({ eventName: 'C' })];

  const shapes: [string, (dir: string) => Promise<string>][] = [
    ['Records document', (d) => writeText(d, 'ct.json', JSON.stringify({ Records: events }))],
    ['gzip Records document', (d) => writeGzip(d, 'ct.json.gz', JSON.stringify({ Records: events }))],
    ['gzip without a .gz name (magic bytes)', (d) => writeGzip(d, 'ct.json', JSON.stringify({ Records: events }))],
    ['pretty-printed Records document', (d) => writeText(d, 'ct.json', JSON.stringify({ Records: events }, null, 2))],
    ['JSON array', (d) => writeText(d, 'ct.json', JSON.stringify(events))],
    ['NDJSON', (d) => writeText(d, 'ct.ndjson', `${ndjson(events)}\n`)],
    [
      'gzip NDJSON with CRLF and blank lines',
      (d) => writeGzip(d, 'x', `\r\n${events.map((e) => JSON.stringify(e)).join('\r\n\r\n')}\r\n`),
    ],
    ['Records document with a BOM', (d) => writeText(d, 'ct.json', `\uFEFF${JSON.stringify({ Records: events })}`)],
  ];

  for (const [name, make] of shapes) {
    it(`imports a ${name}`, async () => {
      const dir = await tmp();
      const lake = join(dir, 'lake');
      const summary = await importFiles(lake, [await make(dir)]);
      expect(summary.files).toEqual([
        expect.objectContaining({ kind: 'cloudtrail', records: 3, skipped: 0, problems: [] }),
      ]);
      expect(summary.cloudtrail).toEqual({ added: 3, duplicates: 0 });
      const rows = await query(lake, 'SELECT eventname FROM cloudtrail ORDER BY eventname');
      expect(rows.map((r) => r.eventname)).toEqual(['A', 'B', 'C']);
    });
  }

  it('accepts a file holding one pretty-printed object as one record', async () => {
    const dir = await tmp();
    const lake = join(dir, 'lake');
    const file = await writeText(dir, 'one.json', JSON.stringify(ctEvent({ eventName: 'Solo' }), null, 4));
    const summary = await importFiles(lake, [file]);
    expect(summary.files[0]).toMatchObject({ kind: 'cloudtrail', records: 1 });
    expect(await query(lake, 'SELECT eventname FROM cloudtrail')).toEqual([{ eventname: 'Solo' }]);
  });

  it('classifies each record of a mixed file', async () => {
    const dir = await tmp();
    const lake = join(dir, 'lake');
    const file = await writeGzip(
      dir,
      'mixed.gz',
      ndjson([ctEvent(), ocsfRecord(), ctEvent(), ocsfRecord(), ocsfRecord()]),
    );
    const summary = await importFiles(lake, [file]);
    expect(summary.files[0]).toMatchObject({ kind: 'mixed', records: 5, skipped: 0 });
    expect(summary.cloudtrail.added).toBe(2);
    expect(summary.securityLake.added).toBe(3);
    expect(await count(lake, 'cloudtrail')).toBe(2);
    expect(await count(lake, 'security_lake_cloud_trail_mgmt_2_0')).toBe(3);
  });

  it('reports an empty file as empty, not as an error', async () => {
    const dir = await tmp();
    const files = [
      await writeText(dir, 'zero', ''),
      await writeText(dir, 'blank', ' \n\n \t\n'),
      await writeText(dir, 'records', '{"Records": []}'),
      await writeText(dir, 'array', '[]'),
      await writeGzip(dir, 'gz', ''),
    ];
    const summary = await importFiles(join(dir, 'lake'), files);
    expect(summary.files.map((f) => [f.kind, f.records, f.skipped])).toEqual(files.map(() => ['empty', 0, 0]));
    expect(summary.filesWritten).toBe(0);
    expect(await filesUnder(join(dir, 'lake'))).toEqual([]);
  });
});

describe('reference samples', () => {
  it('imports the five ECR events from the Amazon ECR user guide', async () => {
    const lake = join(await tmp(), 'lake');
    const summary = await importFiles(lake, [ECR_EXAMPLES]);
    expect(summary.files[0]).toMatchObject({ kind: 'cloudtrail', records: 5, skipped: 0 });
    const raw = JSON.parse(await readFile(ECR_EXAMPLES, 'utf8')) as { Records: Record<string, unknown>[] };
    const rows = await query(
      lake,
      `SELECT eventid, eventname, eventtime, eventsource, awsregion, region, year, month, day,
              useridentity.sessioncontext.sessionissuer.username AS issuer, useridentity.username AS username,
              requestparameters, responseelements, serviceeventdetails, readonly, resources
       FROM cloudtrail ORDER BY eventtime`,
    );
    const byTime = [...raw.Records].sort((a, b) => String(a.eventTime).localeCompare(String(b.eventTime)));
    expect(rows.map((r) => r.eventname)).toEqual(byTime.map((r) => r.eventName));
    expect(rows.map((r) => r.eventid)).toEqual(byTime.map((r) => r.eventID ?? null));
    const create = rows.find((r) => r.eventname === 'CreateRepository')!;
    expect(create).toMatchObject({
      eventtime: '2018-07-11T22:17:43Z',
      eventsource: 'ecr.amazonaws.com',
      awsregion: 'us-east-2',
      region: 'us-east-2',
      year: '2018',
      month: '07',
      day: '11',
      issuer: 'Admin',
      requestparameters: '{"repositoryName":"testrepo"}',
    });
    // JSON text columns hold compact JSON that parses back to the original object.
    for (const [row, orig] of rows.map((r, i) => [r, byTime[i]!] as const)) {
      for (const [col, key] of [
        ['requestparameters', 'requestParameters'],
        ['responseelements', 'responseElements'],
        ['serviceeventdetails', 'serviceEventDetails'],
      ] as const) {
        const value = orig[key];
        if (value === undefined || value === null) expect(row[col]).toBeNull();
        else {
          expect(row[col]).toBe(JSON.stringify(value));
          expect(JSON.parse(row[col] as string)).toEqual(value);
        }
      }
    }
    // readOnly is a boolean in the raw JSON and a string column in Athena.
    expect(rows.find((r) => r.eventname === 'CreateGrant')!.readonly).toBe('false');
    expect(create.resources).toEqual([
      { arn: 'arn:aws:ecr:us-east-2:123456789012:repository/testrepo', accountid: '123456789012', type: null },
    ]);
  });

  it('imports the OCSF 1.1.0 samples (pretty-printed single objects)', async () => {
    const lake = join(await tmp(), 'lake');
    const summary = await importFiles(lake, OCSF_SAMPLES);
    expect(summary.files.map((f) => [f.kind, f.records, f.skipped])).toEqual([
      ['ocsf', 1, 0],
      ['ocsf', 1, 0],
      ['ocsf', 1, 0],
    ]);
    expect(summary.securityLake).toEqual({ added: 3, duplicates: 0 });
    const rows = await query(
      lake,
      `SELECT class_uid, time, strftime(time_dt, '%Y-%m-%d %H:%M:%S') AS time_dt, accountid, region, time_dt_day,
              metadata.uid AS uid, api.operation AS operation, api.request.data AS request_data,
              api.response.data AS response_data, actor.user.account.uid AS actor_account,
              strftime(actor.session.created_time_dt, '%Y-%m-%d %H:%M:%S') AS session_created, actor.session.is_mfa AS session_mfa,
              is_mfa, unmapped['recipientAccountId'] AS recipient, observables[1].type_id AS first_observable_type
       FROM security_lake_cloud_trail_mgmt_2_0 ORDER BY time`,
    );
    expect(rows).toEqual([
      {
        class_uid: 3001,
        time: '1679072879000',
        time_dt: '2023-03-17 17:07:59',
        accountid: '112233445566',
        region: 'us-east-1',
        time_dt_day: '2023-03-17',
        uid: '7dd15a89-ae0f-4340-8e6c-example',
        operation: 'CreateUser',
        request_data: '{"userName":"test_user2"}',
        response_data: expect.stringContaining('"userName":"test_user2"'),
        actor_account: '112233445566',
        session_created: '2023-11-17 16:43:57',
        session_mfa: false,
        is_mfa: null,
        recipient: '112233445566',
        first_observable_type: 2,
      },
      {
        class_uid: 6003,
        time: '1695334972000',
        // the raw record says 2023-09-21T18:22:52.000-04:00: stored as UTC
        time_dt: '2023-09-21 22:22:52',
        accountid: '1111111111111',
        region: 'us-east-1',
        time_dt_day: '2023-09-21',
        uid: '71c88be9-ea5c-43c7-8c82-example',
        operation: 'DescribeDirectConnectGateways',
        request_data: null,
        response_data: '{"directConnectGateways":[]}',
        actor_account: '1111111111111',
        session_created: null,
        session_mfa: null,
        is_mfa: null,
        recipient: '1111111111111',
        first_observable_type: 4,
      },
      {
        class_uid: 3002,
        time: '1699633474000',
        time_dt: '2023-11-10 16:24:34',
        accountid: '111122223333',
        region: 'us-east-1',
        time_dt_day: '2023-11-10',
        uid: 'fed06f42-cb12-4764-8c69-example',
        operation: 'ConsoleLogin',
        request_data: null,
        response_data: '{"ConsoleLogin":"Success"}',
        actor_account: '111122223333',
        session_created: null,
        session_mfa: null,
        is_mfa: true,
        recipient: '111122223333',
        first_observable_type: 2,
      },
    ]);
    // time_dt agrees with time (epoch ms) for every sample.
    const agree = await query(
      lake,
      'SELECT bool_and(epoch_ms(time_dt) = time) AS ok FROM security_lake_cloud_trail_mgmt_2_0',
    );
    expect(agree).toEqual([{ ok: true }]);
  });
});

describe('normalisation', () => {
  it('maps CloudTrail keys to columns, stringifies scalars and drops unknown keys', async () => {
    const lake = join(await tmp(), 'lake');
    const event = ctEvent({
      readOnly: true,
      managementEvent: false,
      apiVersion: 20150921,
      requestParameters: { b: [1, { c: null }], a: 'x' },
      responseElements: { ok: true },
      additionalEventData: { MFAUsed: 'Yes' },
      serviceEventDetails: null,
      someFutureKey: { nested: 1 },
      tlsDetails: {
        tlsVersion: 'TLSv1.3',
        cipherSuite: 'TLS_AES_128_GCM_SHA256',
        clientProvidedHostHeader: 'ecr.us-east-1.amazonaws.com',
      },
      userIdentity: {
        type: 'IAMUser',
        userName: 'carol',
        sessionContext: { sessionIssuer: {}, attributes: { mfaAuthenticated: true } },
      },
    });
    await importRecords(lake, { cloudtrail: [event], ocsf: [] });
    const [row] = await query(
      lake,
      `SELECT readonly, managementevent, apiversion, requestparameters, responseelements, additionaleventdata,
              serviceeventdetails, tlsdetails.tlsversion AS tls, useridentity.username AS username,
              useridentity.arn AS arn, useridentity.sessioncontext.attributes.mfaauthenticated AS mfa,
              useridentity.sessioncontext.sessionissuer AS issuer, useridentity.onbehalfof AS onbehalfof
       FROM cloudtrail`,
    );
    expect(row).toEqual({
      readonly: 'true',
      managementevent: 'false',
      apiversion: '20150921',
      requestparameters: '{"b":[1,{"c":null}],"a":"x"}',
      responseelements: '{"ok":true}',
      additionaleventdata: '{"MFAUsed":"Yes"}',
      serviceeventdetails: null,
      tls: 'TLSv1.3',
      username: 'carol',
      arn: null,
      mfa: 'true',
      issuer: { type: null, principalid: null, arn: null, accountid: null, username: null },
      onbehalfof: null,
    });
    const cols = await query(lake, `SELECT column_name FROM (DESCRIBE cloudtrail) WHERE column_name ILIKE '%future%'`);
    expect(cols).toEqual([]);
  });

  it('derives OCSF time_dt from time when absent, and accountid / region from fallbacks', async () => {
    const lake = join(await tmp(), 'lake');
    const noDt = ocsfRecord({ time: Date.UTC(2024, 0, 31, 23, 59, 59, 250), time_dt: undefined });
    const fromCloud = ocsfRecord({
      cloud: { region: 'ap-south-1', account: { uid: '777788889999' } },
      actor: undefined,
      unmapped: undefined,
    });
    const fromUnmapped = ocsfRecord({
      actor: undefined,
      unmapped: { recipientAccountId: '121212121212', other: '{"a":1}' },
    });
    const explicit = ocsfRecord({ accountid: '999900001111', region: 'us-west-2' });
    const objectData = ocsfRecord({
      api: { operation: 'PutObject', request: { data: { bucket: 'b', n: 1 } }, response: { data: [1, 2] } },
    });
    await importRecords(lake, { cloudtrail: [], ocsf: [noDt, fromCloud, fromUnmapped, explicit, objectData] });
    const rows = await query(
      lake,
      `SELECT metadata.uid AS uid, strftime(time_dt, '%Y-%m-%d %H:%M:%S.%g') AS dt, time_dt_day, accountid, region,
              api.request.data AS req, api.response.data AS res, unmapped AS unmapped
       FROM security_lake_cloud_trail_mgmt_2_0`,
    );
    const by = (r: Record<string, unknown>): Record<string, unknown> =>
      rows.find((x) => x.uid === (r.metadata as { uid: string }).uid)!;
    expect(by(noDt)).toMatchObject({
      dt: '2024-01-31 23:59:59.250',
      time_dt_day: '2024-01-31',
      accountid: '444455556666',
      region: 'eu-west-1',
    });
    expect(by(fromCloud)).toMatchObject({ accountid: '777788889999', region: 'ap-south-1' });
    expect(by(fromUnmapped)).toMatchObject({
      accountid: '121212121212',
      unmapped: [
        { key: 'recipientAccountId', value: '121212121212' },
        { key: 'other', value: '{"a":1}' },
      ],
    });
    expect(by(explicit)).toMatchObject({ accountid: '999900001111', region: 'us-west-2' });
    expect(by(objectData)).toMatchObject({ req: '{"bucket":"b","n":1}', res: '[1,2]' });
  });

  it('partitions CloudTrail by the UTC day of eventTime, whatever offset it is written with', async () => {
    const lake = join(await tmp(), 'lake');
    await importRecords(lake, {
      cloudtrail: [
        ctEvent({ eventTime: '2024-02-29T23:30:00-05:00', awsRegion: 'eu-central-1' }),
        ctEvent({ eventTime: '2024-02-29T00:10:00Z' }),
      ],
      ocsf: [],
    });
    const files = await filesUnder(join(lake, 'cloudtrail'));
    expect(files.map((f) => f.split('/').slice(0, 4).join('/'))).toEqual([
      'region=eu-central-1/year=2024/month=03/day=01',
      'region=us-east-1/year=2024/month=02/day=29',
    ]);
    expect(files.every((f) => /\/part-[0-9TZ]+-[0-9a-f]{12}-\d+\.parquet$/.test(f))).toBe(true);
  });

  it('replaces unpaired UTF-16 surrogates, in Records documents and NDJSON alike', async () => {
    const dir = await tmp();
    const lake = join(dir, 'lake');
    // JSON.stringify writes a lone surrogate as the escape \ud800, which DuckDB's reader rejects.
    const doc = await writeGzip(
      dir,
      'doc.json.gz',
      JSON.stringify({ Records: [ctEvent({ userAgent: 'doc\ud800x' })] }),
    );
    const lines = await writeText(dir, 'lines.ndjson', JSON.stringify(ctEvent({ userAgent: 'nd\udc00y' })));
    const summary = await importFiles(lake, [doc, lines]);
    expect(summary.files.map((f) => [f.records, f.skipped])).toEqual([
      [1, 0],
      [1, 0],
    ]);
    const rows = await query(lake, 'SELECT useragent FROM cloudtrail ORDER BY useragent');
    expect(rows).toEqual([{ useragent: 'doc\uFFFDx' }, { useragent: 'nd\uFFFDy' }]);
  });

  it('turns values of the wrong shape into NULLs instead of failing the import', async () => {
    const dir = await tmp();
    const lake = join(dir, 'lake');
    const odd = ctEvent({ userIdentity: 'just a string', resources: { ARN: 'not-a-list' }, eventName: 'Odd' });
    const oddOcsf = ocsfRecord({
      unmapped: 'x',
      observables: 5,
      is_mfa: 'maybe',
      severity_id: 1.5e12,
      time_dt: 'not a time',
    });
    const file = await writeGzip(dir, 'odd.json.gz', JSON.stringify({ Records: [odd, oddOcsf] }));
    const summary = await importFiles(lake, [file]);
    expect(summary.files[0]).toMatchObject({ kind: 'mixed', records: 2, skipped: 0 });
    const [ct] = await query(lake, 'SELECT eventname, useridentity.arn AS arn, resources FROM cloudtrail');
    expect(ct).toMatchObject({ eventname: 'Odd', arn: null, resources: null });
    const [sl] = await query(
      lake,
      `SELECT unmapped, observables, is_mfa, severity_id, strftime(time_dt, '%Y-%m-%d %H:%M') AS dt FROM security_lake_cloud_trail_mgmt_2_0`,
    );
    // time_dt that does not parse falls back to `time`
    expect(sl).toEqual({ unmapped: null, observables: null, is_mfa: null, severity_id: null, dt: '2024-03-02 23:30' });
  });

  it('reads an eventTime without offset as UTC', async () => {
    const lake = join(await tmp(), 'lake');
    await importRecords(lake, { cloudtrail: [ctEvent({ eventTime: '2024-03-01T23:30:00' })], ocsf: [] });
    expect(await query(lake, 'SELECT day, eventtime FROM cloudtrail')).toEqual([
      { day: '01', eventtime: '2024-03-01T23:30:00' },
    ]);
  });

  it('keeps partition values that are not path-safe intact', async () => {
    const lake = join(await tmp(), 'lake');
    await importRecords(lake, {
      cloudtrail: [
        ctEvent({ awsRegion: '../../etc' }),
        ctEvent({ awsRegion: 'a/b=c %d' }),
        ctEvent({ awsRegion: undefined }),
        ctEvent({ awsRegion: 'région*?' }),
      ],
      ocsf: [],
    });
    const dirs = (await filesUnder(join(lake, 'cloudtrail'))).map((f) => f.split('/')[0]);
    expect(dirs.every((d) => d !== undefined && /^region=[A-Za-z0-9_.%-]*$/.test(d))).toBe(true);
    const rows = await query(lake, 'SELECT region, awsregion FROM cloudtrail ORDER BY region NULLS LAST');
    expect(rows).toEqual([
      { region: '../../etc', awsregion: '../../etc' },
      { region: 'a/b=c %d', awsregion: 'a/b=c %d' },
      { region: 'région*?', awsregion: 'région*?' },
      { region: null, awsregion: null },
    ]);
  });
});
