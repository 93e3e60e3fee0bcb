/**
 * The Athena stand-in itself, driven by the plain SDK client: the service behaviour the engine
 * tests lean on (idempotent tokens, output locations, paging with the header row, refusals) is
 * pinned here, so a stand-in that drifted from Athena would fail on its own.
 */
import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
  type StartQueryExecutionInput,
} from '@aws-sdk/client-athena';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { athenaCsv, countPlaceholders } from '../support/athena-standin.js';
import { startStandins, type Standins } from './athena-helpers.js';

let s: Standins;
let client: AthenaClient;
beforeAll(async () => {
  s = await startStandins();
  client = new AthenaClient({ maxAttempts: 1 });
});
afterAll(async () => {
  client.destroy();
  await s.close();
});
beforeEach(() => s.reset());

const TOKEN = 't'.repeat(40);
const start = (input: Partial<StartQueryExecutionInput> = {}) =>
  client.send(new StartQueryExecutionCommand({ QueryString: 'select 1', ClientRequestToken: TOKEN, ...input }));
const state = async (id: string) =>
  (await client.send(new GetQueryExecutionCommand({ QueryExecutionId: id }))).QueryExecution;
const rows = { columns: [{ name: 'n', type: 'integer' }], rows: Array.from({ length: 5 }, (_, i) => [String(i)]) };

describe('StartQueryExecution', () => {
  test('the same token and request give the same execution; another request with it is refused', async () => {
    const a = await start();
    expect((await start()).QueryExecutionId).toBe(a.QueryExecutionId);
    await expect(start({ QueryString: 'select 2' })).rejects.toMatchObject({
      name: 'InvalidRequestException',
      message: 'Idempotent parameters do not match',
    });
    expect(s.athena.executions.size).toBe(1);
  });

  test('a token outside 32..128 characters, an empty parameter list and a parameter over 1024 characters are refused', async () => {
    await expect(start({ ClientRequestToken: 'short' })).rejects.toMatchObject({ name: 'InvalidRequestException' });
    await expect(start({ ExecutionParameters: [] })).rejects.toMatchObject({ name: 'InvalidRequestException' });
    await expect(
      start({ QueryString: 'select ?', ExecutionParameters: [`'${'a'.repeat(1023)}'`] }),
    ).rejects.toMatchObject({ name: 'InvalidRequestException' });
  });

  test('no output location from the query or the workgroup is refused', async () => {
    s.athena.workgroups.set('bare', {});
    await expect(start({ WorkGroup: 'bare' })).rejects.toMatchObject({
      name: 'InvalidRequestException',
      message: expect.stringMatching(/^No output location provided/),
    });
  });

  test('the execution reports its result file as the output location', async () => {
    s.athena.script({ match: /./, result: rows });
    const { QueryExecutionId: id } = await start({ ResultConfiguration: { OutputLocation: 's3://b/p' } });
    expect((await state(id as string))?.ResultConfiguration?.OutputLocation).toBe(`s3://b/p/${id}.csv`);
  });

  test('a parameter count that does not match the placeholders fails the query, as Athena does', async () => {
    const { QueryExecutionId: id } = await start({
      QueryString: "select '?' where a = ? -- ?",
      ExecutionParameters: ['1', '2'],
    });
    await state(id as string);
    await state(id as string);
    const qe = await state(id as string);
    expect(qe?.Status?.State).toBe('FAILED');
    expect(qe?.Status?.StateChangeReason).toBe('INVALID_INPUT: Incorrect number of parameters: expected 1 but found 2');
  });

  test('throttling comes back as the named exception', async () => {
    s.athena.throttle('StartQueryExecution', 1, 'TooManyRequestsException', 'CONCURRENT_QUERY_LIMIT_EXCEEDED');
    await expect(start()).rejects.toMatchObject({
      name: 'TooManyRequestsException',
      Reason: 'CONCURRENT_QUERY_LIMIT_EXCEEDED',
      $metadata: { httpStatusCode: 400 },
    });
  });
});

describe('GetQueryResults', () => {
  test('pages of MaxResults rows, the header first and counted; NULL without VarCharValue', async () => {
    s.athena.script({
      match: /./,
      states: [],
      result: { columns: [{ name: 'v', type: 'varchar' }], rows: [['a'], [null], [''], ['d']] },
    });
    const { QueryExecutionId: id } = await start();
    await state(id as string);
    const p1 = await client.send(new GetQueryResultsCommand({ QueryExecutionId: id, MaxResults: 2 }));
    expect(p1.ResultSet?.Rows).toEqual([{ Data: [{ VarCharValue: 'v' }] }, { Data: [{ VarCharValue: 'a' }] }]);
    const p2 = await client.send(
      new GetQueryResultsCommand({ QueryExecutionId: id, MaxResults: 2, NextToken: p1.NextToken }),
    );
    expect(p2.ResultSet?.Rows).toEqual([{ Data: [{}] }, { Data: [{ VarCharValue: '' }] }]);
    const p3 = await client.send(
      new GetQueryResultsCommand({ QueryExecutionId: id, MaxResults: 2, NextToken: p2.NextToken }),
    );
    expect(p3.ResultSet?.Rows).toEqual([{ Data: [{ VarCharValue: 'd' }] }]);
    expect(p3.NextToken).toBeUndefined();
    expect(p1.ResultSet?.ResultSetMetadata?.ColumnInfo?.[0]).toMatchObject({ Name: 'v', Type: 'varchar' });
  });

  test('before the query finished, and over 1000 rows a page, it is refused', async () => {
    s.athena.script({ match: /./, hang: true });
    const { QueryExecutionId: id } = await start();
    await expect(client.send(new GetQueryResultsCommand({ QueryExecutionId: id }))).rejects.toMatchObject({
      name: 'InvalidRequestException',
      message: expect.stringMatching(/^Query has not yet finished/),
    });
    await expect(
      client.send(new GetQueryResultsCommand({ QueryExecutionId: id, MaxResults: 1001 })),
    ).rejects.toMatchObject({ name: 'InvalidRequestException' });
  });

  test('the result CSV lands in the S3 stand-in at the output location', async () => {
    s.athena.script({
      match: /./,
      states: [],
      result: { columns: [{ name: 'v', type: 'varchar' }], rows: [['say "hi"'], [null], ['']] },
    });
    const { QueryExecutionId: id } = await start({ ResultConfiguration: { OutputLocation: 's3://b/p/' } });
    await state(id as string);
    expect(s.s3.get(`s3://b/p/${id}.csv`)?.toString('utf8')).toBe('"v"\n"say ""hi"""\n\n""\n');
  });
});

test('athenaCsv and countPlaceholders', () => {
  expect(
    athenaCsv({
      columns: [
        { name: 'a', type: 'varchar' },
        { name: 'b', type: 'varchar' },
      ],
      rows: [['x,y', null]],
    }),
  ).toBe('"a","b"\n"x,y",\n');
  expect(countPlaceholders(`select ?, '?''?', "?", -- ?\n /* ? */ ?`)).toBe(2);
});
