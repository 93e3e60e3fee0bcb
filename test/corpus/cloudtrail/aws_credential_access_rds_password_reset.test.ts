/**
 * ESCU "AWS Credential Access RDS Password reset" on CloudTrail events of our own. Expected rows
 * are worked out by hand from Splunk semantics (../shared/SEMANTICS.md): rds.amazonaws.com
 * ModifyDBInstance calls that carry requestParameters.masterUserPassword (CloudTrail logs it
 * masked as "****"; `=*` asks only that the field exist), of any outcome, grouped by signature
 * dest user user_agent src vendor_account vendor_region vendor_product, with the instances in
 * database_id (values: distinct, sorted).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { riskEvents } from '../../../src/risk/score.js';
import { translateDetection } from '../../../src/translate/translate.js';
import { ACCOUNT, assumedRole, iamUser, type Identity } from '../../support/events.js';
import { AGENT, call } from '../../support/events-ct1.js';
import { corpusDetection } from '../../support/corpus.js';
import { macrosWith, makeLake, runDetection, type TestLake } from '../../support/hunt.js';

const detection = corpusDetection('cloudtrail', 'aws_credential_access_rds_password_reset.yml');

const EVIL = '203.0.113.50';
const HOME = '198.51.100.7';

/** ModifyDBInstance: the request and (on success) the instance with its pending changes */
function modify(
  time: string,
  who: Identity,
  db: string,
  change: Record<string, unknown>,
  o: { ip?: string; error?: { code: string; message: string }; name?: string } = {},
) {
  const pending = Object.fromEntries(
    Object.entries(change).filter(([k]) => k === 'masterUserPassword' || k === 'dBInstanceClass'),
  );
  return call('rds.amazonaws.com', {
    time,
    name: o.name ?? 'ModifyDBInstance',
    who,
    ip: o.ip ?? EVIL,
    ...(o.error ? { error: o.error } : {}),
    request: { dBInstanceIdentifier: db, applyImmediately: true, ...change },
    response: {
      dBInstanceIdentifier: db,
      dBInstanceClass: 'db.t3.medium',
      engine: 'postgres',
      dBInstanceStatus: 'available',
      masterUsername: 'postgres',
      pendingModifiedValues: pending,
      dBInstanceArn: `arn:aws:rds:us-east-1:${ACCOUNT}:db:${db}`,
    },
  });
}

const MASKED = { masterUserPassword: '****' };
const mallory = iamUser('mallory');

const events = [
  // mallory resets two databases' master password
  modify('2026-11-18T10:00:00Z', mallory, 'db-reports', MASKED),
  modify('2026-11-18T10:03:00Z', mallory, 'db-prod', MASKED),
  modify('2026-11-18T10:04:00Z', mallory, 'db-prod', { ...MASKED, backupRetentionPeriod: 7 }),
  // a role's reset that RDS refused still counts: no errorCode term
  modify('2026-11-18T11:00:00Z', assumedRole('dba', 'carol'), 'db-billing', MASKED, {
    ip: HOME,
    error: { code: 'InvalidDBInstanceState', message: 'Database instance is not in available state.' },
  }),
  // near misses: another change, a password handed to Secrets Manager, an Aurora cluster's reset
  modify('2026-11-18T10:10:00Z', iamUser('bob'), 'db-prod', { dBInstanceClass: 'db.r6g.large' }, { ip: HOME }),
  modify('2026-11-18T10:11:00Z', iamUser('bob'), 'db-prod', { manageMasterUserPassword: true }, { ip: HOME }),
  modify('2026-11-18T10:12:00Z', mallory, 'aurora-main', MASKED, { name: 'ModifyDBCluster' }),
];

const common = { signature: 'ModifyDBInstance', dest: 'rds.amazonaws.com' };
const place = {
  user_agent: AGENT.cli,
  vendor_account: ACCOUNT,
  vendor_region: 'us-east-1',
  vendor_product: 'AWS CloudTrail',
};

describe('AWS Credential Access RDS Password reset', () => {
  let lake: TestLake;
  beforeAll(async () => {
    lake = await makeLake({ cloudtrail: events });
  });
  afterAll(() => lake.close());

  test('master password resets per caller, with the instances', async () => {
    const rows = await runDetection(lake, detection);
    expect(rows).toEqual([
      {
        ...common,
        user: 'dba',
        ...place,
        src: HOME,
        count: 1,
        firstTime: '2026-11-18T11:00:00',
        lastTime: '2026-11-18T11:00:00',
        database_id: ['db-billing'],
      },
      {
        ...common,
        user: 'mallory',
        ...place,
        src: EVIL,
        count: 3,
        firstTime: '2026-11-18T10:00:00',
        lastTime: '2026-11-18T10:04:00',
        database_id: ['db-prod', 'db-reports'],
      },
    ]);
    expect(Object.keys(rows[0] ?? {})).toEqual([
      'signature',
      'dest',
      'user',
      'user_agent',
      'src',
      'vendor_account',
      'vendor_region',
      'vendor_product',
      'count',
      'firstTime',
      'lastTime',
      'database_id',
    ]);
  });

  test('nothing without a masterUserPassword in a ModifyDBInstance', async () => {
    const only = await makeLake({ cloudtrail: events.slice(4) });
    try {
      expect(await runDetection(only, detection)).toEqual([]);
    } finally {
      await only.close();
    }
  });

  test('risk: one risk event per database (a system), the src as threat object', async () => {
    const risk = riskEvents(detection, await runDetection(lake, detection), '2026-11-18T12:00:00Z');
    expect(
      risk.map((r) => [r.risk_object, r.risk_object_type, r.risk_score, r.risk_message, r.threat_objects]),
    ).toEqual([
      [
        'db-billing',
        'system',
        49,
        `db-billing password has been reset from IP ${HOME}`,
        [{ value: HOME, type: 'ip_address' }],
      ],
      [
        'db-prod',
        'system',
        49,
        `db-prod, db-reports password has been reset from IP ${EVIL}`,
        [{ value: EVIL, type: 'ip_address' }],
      ],
      [
        'db-reports',
        'system',
        49,
        `db-prod, db-reports password has been reset from IP ${EVIL}`,
        [{ value: EVIL, type: 'ip_address' }],
      ],
    ]);
  });

  test('compiles without warnings', () => {
    const athena = translateDetection(detection, { dialect: 'athena', macros: macrosWith(), zone: 'UTC' });
    expect(athena.warnings).toEqual([]);
  });
});
