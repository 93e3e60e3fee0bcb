/**
 * One test per rule of ../shared/SEMANTICS.md that the ECR detections touch, each run through
 * the real DuckDB engine over a lake of our own events. Expected values are worked out by hand.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ACCOUNT, assumedRole, ct, iamUser, rootUser, scanFindingsResponse, scanRequest } from '../support/events.js';
import { makeLake, runSearch, type TestLake } from '../support/hunt.js';

const events = [
  // 1 Wednesday morning
  ct({
    time: '2026-11-18T07:05:00Z',
    who: iamUser('alice'),
    name: 'PutImage',
    request: { repositoryName: 'web', imageTag: 'v1', maxResults: '10', force: true, note: null },
  }),
  // 2 Wednesday evening
  ct({
    time: '2026-11-18T20:10:00Z',
    who: iamUser('Bob'),
    name: 'PutImage',
    request: { repositoryName: 'api', imageTag: 'v2', maxResults: '9' },
  }),
  // 3 Saturday
  ct({
    time: '2026-11-21T13:00:00Z',
    who: assumedRole('deployer', 'sess-1'),
    name: 'ListImages',
    request: { repositoryName: 'web', userName: 'shadow' },
  }),
  // 4 Sunday, root
  ct({
    time: '2026-11-22T02:00:00Z',
    who: rootUser(),
    name: 'CreateUser',
    request: { userName: 'newbie' },
    response: { user: { userName: 'newbie', path: '/' } },
  }),
  // 5 scan findings
  ct({
    time: '2026-11-18T12:00:00Z',
    who: iamUser('alice'),
    name: 'DescribeImageScanFindings',
    request: scanRequest('web'),
    response: scanFindingsResponse('web', [
      { name: 'CVE-1', severity: 'MEDIUM', description: 'one' },
      { name: 'CVE-2', severity: 'LOW', description: 'two' },
    ]),
  }),
  // 6 a console login failure
  ct({
    time: '2026-11-18T09:00:00Z',
    who: iamUser('alice'),
    name: 'ConsoleLogin',
    source: 'signin.amazonaws.com',
    request: null,
    response: { ConsoleLogin: 'Failure' },
    extra: { errorMessage: 'Failed authentication' },
  }),
];

let lake: TestLake;
beforeAll(async () => {
  lake = await makeLake({ cloudtrail: events });
});
afterAll(() => lake.close());

const rows = async (search: string, zone?: string) =>
  (await runSearch(lake, `\`cloudtrail\` ${search}`, zone ? { zone } : {})).rows;
const warnings = async (search: string) =>
  (await runSearch(lake, `\`cloudtrail\` ${search}`)).translation.warnings.map((w) => w.message);
const names = async (search: string) => (await rows(`${search} | stats count by eventName`)).map((r) => r.eventName);

describe('base search and | search', () => {
  test('OR binds tighter than AND: a=1 b=2 OR c=3 is a=1 AND (b=2 OR c=3)', async () => {
    expect(await names('eventSource=ecr.amazonaws.com eventName=PutImage OR eventName=ListImages')).toEqual([
      'ListImages',
      'PutImage',
    ]);
    // with AND binding tighter this would also return the other ECR events
    expect(await names('eventName=PutImage date_hour>=20 OR date_hour<8 OR date_wday=saturday')).toEqual(['PutImage']);
    expect((await rows('eventName=PutImage date_hour>=20 OR date_hour<8 | stats count')).at(0)).toEqual({ count: 2 });
  });

  test('NOT binds tightest, to the next term or group', async () => {
    // ecr AND ((NOT PutImage) OR ListImages)
    expect(await names('eventSource=ecr.amazonaws.com NOT eventName=PutImage OR eventName=ListImages')).toEqual([
      'CreateUser',
      'DescribeImageScanFindings',
      'ListImages',
    ]);
    expect(await names('eventSource=ecr.amazonaws.com NOT (eventName=PutImage OR eventName=ListImages)')).toEqual([
      'CreateUser',
      'DescribeImageScanFindings',
    ]);
  });

  test('values match case-insensitively; field names are case-sensitive', async () => {
    expect(await names('eventname=putimage')).toEqual([]);
    expect(await warnings('eventname=putimage | stats count')).toContain(
      'search term eventname=putimage can never match: no source field or earlier command defines eventname',
    );
    expect(await names('eventName=putimage EVENTSOURCE=x OR eventSource=ECR.AMAZONAWS.COM')).toEqual(['PutImage']);
  });

  test('* is a wildcard in values and in IN lists', async () => {
    expect(await names('eventName=*Image*')).toEqual(['DescribeImageScanFindings', 'ListImages', 'PutImage']);
    expect(await names('eventName IN (put*, createuser)')).toEqual(['CreateUser', 'PutImage']);
    // LIKE's own wildcards are literal characters in SPL
    expect(await names('eventName=Put%')).toEqual([]);
    expect(await names('eventName=Put_mage')).toEqual([]);
  });

  test('f!=v needs f to exist; NOT f=v also matches events without f', async () => {
    // errorMessage exists only on the ConsoleLogin event
    expect(await names('errorMessage!="Failed authentication"')).toEqual([]);
    expect(await names('NOT errorMessage="Failed authentication"')).toEqual([
      'CreateUser',
      'DescribeImageScanFindings',
      'ListImages',
      'PutImage',
    ]);
    expect(await names('NOT errorMessage=*')).toEqual([
      'CreateUser',
      'DescribeImageScanFindings',
      'ListImages',
      'PutImage',
    ]);
    expect(await names('errorMessage=*')).toEqual(['ConsoleLogin']);
    expect(await names('errorMessage!=*')).toEqual([]);
  });

  test('= compares text ("10" does not match 10.0); < > compare numbers when both sides are numbers', async () => {
    expect(await names('requestParameters.maxResults=10.0')).toEqual([]);
    expect(await names('requestParameters.maxResults=10')).toEqual(['PutImage']);
    // numerically 10 > 9.5 and 9 < 9.5; as text "10" < "9.5"
    expect(
      (await rows('requestParameters.maxResults>9.5 | table requestParameters.imageTag')).map(
        (r) => r['requestParameters.imageTag'],
      ),
    ).toEqual(['v1']);
    // against a word, the comparison is lexicographic: "api" < "b" < "web"
    expect(await rows('requestParameters.repositoryName<b | stats count by requestParameters.repositoryName')).toEqual([
      { 'requestParameters.repositoryName': 'api', count: 1 },
    ]);
  });

  test('the right side of = is always a value, never a field', async () => {
    // eventSource=eventName would be true nowhere as a field comparison too; the value "eventName" matches nothing
    expect(await names('eventName=eventName')).toEqual([]);
  });

  test('quoted dotted field names', async () => {
    expect(await names('"requestParameters.repositoryName"=api')).toEqual(['PutImage']);
  });
});

describe('where and eval', () => {
  test('comparisons are case-sensitive', async () => {
    expect(await names('| where eventName="putimage"')).toEqual([]);
    expect(await names('| where eventName="PutImage"')).toEqual(['PutImage']);
  });

  test('an unquoted word is a field name; a field nobody defines makes the comparison never true', async () => {
    // eventName=PutImage compares two fields; there is no field PutImage
    expect(await names('| where eventName=PutImage')).toEqual([]);
    const w = await warnings('| where eventName=PutImage | stats count');
    expect(w.some((m) => /bare word PutImage names a field/.test(m))).toBe(true);
    // a bare word that is a field: eventName=signature (the add-on's alias of eventName)
    expect((await rows('| where eventName=signature | stats count')).at(0)).toEqual({ count: 6 });
  });

  test('numeric-looking text compares as a number ("07" < 8)', async () => {
    expect(await names('| eval h=strftime(_time, "%H") | where h < 8')).toEqual(['CreateUser', 'PutImage']);
    expect(await names('| eval h=strftime(_time, "%H") | where h >= 20 OR h < 8')).toEqual(['CreateUser', 'PutImage']);
  });

  test("'a.b' is the field; unquoted a.b is the . concatenation of fields a and b (null when one is missing)", async () => {
    const r = await rows(
      `eventName=PutImage | eval q='userIdentity.userName', c=userIdentity.userName, d=eventName.eventSource | table q c d`,
    );
    expect(r).toEqual([
      { q: 'Bob', d: 'PutImageecr.amazonaws.com' },
      { q: 'alice', d: 'PutImageecr.amazonaws.com' },
    ]);
  });

  test('. concatenates text and numbers; a null operand makes the result null', async () => {
    const r = await rows(
      'eventName=PutImage | eval x=eventName.":".date_hour.":".1.5, y=eventName.nothing, z=2 . 0.5 | table x y z',
    );
    // newest event first
    expect(r).toEqual([
      { x: 'PutImage:20:1.5', z: '20.5' },
      { x: 'PutImage:7:1.5', z: '20.5' },
    ]);
  });

  test('strftime renders in the configured zone; %A gives Saturday, %H gives 07', async () => {
    const r = await rows(
      'eventName=ListImages OR eventName=PutImage | eval d=strftime(_time, "%A %H") | table eventName d',
    );
    expect(r).toEqual([
      { eventName: 'ListImages', d: 'Saturday 13' },
      { eventName: 'PutImage', d: 'Wednesday 20' },
      { eventName: 'PutImage', d: 'Wednesday 07' },
    ]);
    const tokyo = await rows('eventName=PutImage | eval d=strftime(_time, "%A %H") | table d', 'Asia/Tokyo');
    expect(tokyo).toEqual([{ d: 'Thursday 05' }, { d: 'Wednesday 16' }]);
  });

  test('if, coalesce, isnull, match, pow', async () => {
    const r = await rows(
      'eventName=PutImage | eval a=if(match(userName, "^[a-z]+$"), "lower", "mixed"), b=coalesce(errorCode_missing, userName), c=if(isnull(nothing), "yes", "no"), p=pow(2, 10) | table a b c p',
    );
    expect(r).toEqual([
      { a: 'mixed', b: 'Bob', c: 'yes', p: 1024 },
      { a: 'lower', b: 'alice', c: 'yes', p: 1024 },
    ]);
    // Splunk refuses to store a condition in a field
    await expect(rows('| eval c=isnull(nothing) | table c')).rejects.toThrow(/eval cannot store a condition/);
  });
});

describe('transforming commands', () => {
  test('stats drops events whose BY field is missing', async () => {
    // errorMessage exists on one event only
    expect(await rows('| stats count by errorMessage')).toEqual([{ errorMessage: 'Failed authentication', count: 1 }]);
  });

  test('count counts events, count(f) events with f; min/max of _time are numbers', async () => {
    expect(await rows('| stats count count(errorMessage) as withError min(_time) as first max(_time) as last')).toEqual(
      [
        {
          count: 6,
          withError: 1,
          first: Date.parse('2026-11-18T07:05:00Z') / 1000,
          last: Date.parse('2026-11-22T02:00:00Z') / 1000,
        },
      ],
    );
  });

  test('min/max compare numbers numerically, other text lexicographically', async () => {
    // maxResults "10" and "9": numerically 9 < 10 (as text "10" < "9")
    expect(
      await rows(
        '| stats min(requestParameters.maxResults) as lo max(requestParameters.maxResults) as hi min(eventName) as first',
      ),
    ).toEqual([{ lo: '9', hi: '10', first: 'ConsoleLogin' }]);
  });

  test('fillnull fills only fields that have a value in some result', async () => {
    // errorMessage is present on one event: the others get "0"; bucketName is nowhere: stays missing
    expect(await rows('| fillnull | stats count by errorMessage')).toEqual([
      { errorMessage: '0', count: 5 },
      { errorMessage: 'Failed authentication', count: 1 },
    ]);
    expect(await rows('| fillnull | stats count by requestParameters.bucketName')).toEqual([]);
    // with a field list, the field is created everywhere
    expect(
      await rows('| fillnull value=none requestParameters.bucketName | stats count by requestParameters.bucketName'),
    ).toEqual([{ 'requestParameters.bucketName': 'none', count: 6 }]);
  });

  test('fillnull counts presence over the results before later filters', async () => {
    // only ConsoleLogin has errorMessage; the filter after fillnull removes it, the fill stays
    expect(await rows('| fillnull | search eventName=PutImage | stats count by errorMessage')).toEqual([
      { errorMessage: '0', count: 2 },
    ]);
  });
});

describe('fields', () => {
  test('rename a as b overwrites b; b is missing where a is', async () => {
    // errorMessage exists on one event; after the rename, eventName is missing elsewhere
    expect(await rows('| rename errorMessage as eventName | stats count by eventName')).toEqual([
      { eventName: 'Failed authentication', count: 1 },
    ]);
  });

  test('rename with wildcards renames matching fields, overwriting existing ones per event', async () => {
    // requestParameters.userName (only on ListImages and CreateUser) overwrites the add-on's userName there
    const r = await rows('| rename requestParameters.* as * | stats count by eventName userName repositoryName');
    expect(r).toEqual([
      { eventName: 'DescribeImageScanFindings', userName: 'alice', repositoryName: 'web', count: 1 },
      { eventName: 'ListImages', userName: 'shadow', repositoryName: 'web', count: 1 },
      { eventName: 'PutImage', userName: 'Bob', repositoryName: 'api', count: 1 },
      { eventName: 'PutImage', userName: 'alice', repositoryName: 'web', count: 1 },
    ]);
  });

  test('spath {} gives each array element; mvexpand makes a row each; spath input= extracts the keys', async () => {
    const r = await rows(
      'eventName=DescribeImageScanFindings | spath path=responseElements.imageScanFindings.findings{} output=f | mvexpand f | spath input=f | table name severity attributes{}.key',
    );
    expect(r).toEqual([
      { name: 'CVE-1', severity: 'MEDIUM', 'attributes{}.key': ['package_version', 'package_name'] },
      { name: 'CVE-2', severity: 'LOW', 'attributes{}.key': ['package_version', 'package_name'] },
    ]);
  });

  test('spath path= ending on an object gives its compact JSON text', async () => {
    const r = await rows(
      'eventName=DescribeImageScanFindings | spath path=responseElements.imageId output=img | table img',
    );
    expect(r).toEqual([{ img: '{"imageDigest":"sha256:0f1e2d3c4b5a","imageTag":"v1"}' }]);
  });

  test('JSON nulls are missing fields; booleans are the strings true/false', async () => {
    expect(
      await rows('eventName=PutImage requestParameters.force=true | stats count by requestParameters.force'),
    ).toEqual([{ 'requestParameters.force': 'true', count: 1 }]);
    expect(await names('requestParameters.note=*')).toEqual([]);
  });

  test('_time is the event time (epoch seconds)', async () => {
    expect(await rows('eventName=CreateUser | table _time')).toEqual([
      { _time: Date.parse('2026-11-22T02:00:00Z') / 1000 },
    ]);
  });

  test('security_content_ctime renders %Y-%m-%dT%H:%M:%S in the configured zone', async () => {
    const r = await rows(
      'eventName=CreateUser | stats min(_time) as firstTime | `security_content_ctime(firstTime)`',
      'America/New_York',
    );
    expect(r).toEqual([{ firstTime: '2026-11-21T21:00:00' }]);
  });

  test('filter macros default to search *', async () => {
    expect(await rows('| stats count | `anything_filter`')).toEqual([{ count: 6 }]);
  });
});

describe('the AWS add-on fields for aws:cloudtrail', () => {
  test('aliases: src, signature, vendor_region, vendor_account, vendor_product, dest, app, user_agent, user_type', async () => {
    const r = await rows(
      'eventName=CreateUser | table src src_ip signature vendor_region region vendor_account vendor_product dest dvc app user_agent user_type',
    );
    expect(r).toEqual([
      {
        src: '198.51.100.7',
        src_ip: '198.51.100.7',
        signature: 'CreateUser',
        vendor_region: 'us-east-1',
        region: 'us-east-1',
        vendor_account: ACCOUNT,
        vendor_product: 'AWS CloudTrail',
        dest: 'ecr.amazonaws.com',
        dvc: 'ecr.amazonaws.com',
        app: 'AwsApiCall',
        user_agent: 'docker/24.0.7 go/go1.20.10',
        user_type: 'Root',
      },
    ]);
  });

  test('userName/user_name: userName, sourceIdentity, session issuer, then the ARN tail', async () => {
    expect(await rows('| stats count by eventName userName user_name user')).toEqual([
      // ConsoleLogin by alice
      { eventName: 'ConsoleLogin', userName: 'alice', user_name: 'alice', user: 'alice', count: 1 },
      // CreateUser by root: userName from the ARN tail; `user` is the created user
      { eventName: 'CreateUser', userName: 'root', user_name: 'root', user: 'newbie', count: 1 },
      { eventName: 'DescribeImageScanFindings', userName: 'alice', user_name: 'alice', user: 'alice', count: 1 },
      // assumed role: the session issuer's name
      { eventName: 'ListImages', userName: 'deployer', user_name: 'deployer', user: 'deployer', count: 1 },
      { eventName: 'PutImage', userName: 'Bob', user_name: 'Bob', user: 'Bob', count: 1 },
      { eventName: 'PutImage', userName: 'alice', user_name: 'alice', user: 'alice', count: 1 },
    ]);
  });

  test('errorCode, action and status for a console login failure', async () => {
    expect(await rows('eventName=ConsoleLogin | table errorCode action status reason')).toEqual([
      { errorCode: 'failure', action: 'failure', status: 'failure', reason: 'Failed authentication' },
    ]);
    expect(await rows('eventName=PutImage | stats count by errorCode')).toEqual([{ errorCode: 'success', count: 2 }]);
  });

  test('date_hour and date_wday come from eventTime in UTC, whatever the configured zone', async () => {
    const r = await rows(
      'eventName=ListImages OR eventName=CreateUser | table eventName date_hour date_wday',
      'Asia/Tokyo',
    );
    expect(r).toEqual([
      { eventName: 'CreateUser', date_hour: 2, date_wday: 'sunday' },
      { eventName: 'ListImages', date_hour: 13, date_wday: 'saturday' },
    ]);
  });
});
