/**
 * ASL AWS SAML Update identity provider (TTP, risk: user 64, threat: src):
 *   api.operation=UpdateSAMLProvider | fillnull | stats count min(_time) max(_time) by
 *   actor.user.uid api.operation api.service.name http_request.user_agent src_endpoint.ip
 *   actor.user.account.uid cloud.provider cloud.region | rename ... | ctime
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { corpusDetection } from '../../support/corpus.js';
import { assumedRole } from '../../support/events.js';
import { asl, calls, riskOf, standardRow } from '../../support/events-asl.js';
import { makeLake, runDetection, type TestLake } from '../../support/hunt.js';

const detection = corpusDetection('asl', 'asl_aws_saml_update_identity_provider.yml');
const admin = assumedRole('OrganizationAccountAccessRole', 'mallory');

describe(detection.name, () => {
  let lake: TestLake;
  beforeAll(async () => {
    lake = await makeLake({
      ocsf: [
        // swapping the IdP's metadata (a Golden SAML setup)
        asl({ time: '2026-11-26T02:00:00Z', who: admin, ip: '203.0.113.66', call: calls.updateSAMLProvider('okta') }),
        // a second update a minute later, from another address: src_endpoint.ip is a BY field
        asl({ time: '2026-11-26T02:01:00Z', who: admin, ip: '203.0.113.67', call: calls.updateSAMLProvider('okta') }),
        // near miss: a new provider is CreateSAMLProvider
        asl({
          time: '2026-11-26T02:05:00Z',
          who: admin,
          ip: '203.0.113.66',
          call: calls.createSAMLProvider('evil-idp'),
        }),
      ],
    });
  });
  afterAll(() => lake.close());

  test('one row per source address, sorted on it', async () => {
    const rows = await runDetection(lake, detection);
    const row = (src: string, time: string) =>
      standardRow({
        user: admin.arn as string,
        action: 'UpdateSAMLProvider',
        dest: 'iam.amazonaws.com',
        src,
        count: 1,
        first: time,
      });
    expect(rows).toEqual([row('203.0.113.66', '2026-11-26T02:00:00'), row('203.0.113.67', '2026-11-26T02:01:00')]);
    expect(riskOf(detection, rows)).toEqual(
      ['203.0.113.66', '203.0.113.67'].map((ip) => ({
        object: admin.arn,
        type: 'user',
        score: 64,
        message: `User ${admin.arn as string} from IP address ${ip} updated the SAML provider`,
        threats: [`ip_address:${ip}`],
      })),
    );
  });

  test('nothing for CreateSAMLProvider', async () => {
    const quiet = await makeLake({
      ocsf: [asl({ time: '2026-11-26T02:05:00Z', who: admin, call: calls.createSAMLProvider('evil-idp') })],
    });
    try {
      expect(await runDetection(quiet, detection)).toEqual([]);
    } finally {
      await quiet.close();
    }
  });
});
