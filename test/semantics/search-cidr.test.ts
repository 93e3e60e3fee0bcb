/**
 * `search` matches a value in CIDR notation by address block (Splunk's search command:
 * `src_ip=10.0.0.0/8`), as cidrmatch() does in eval; ESCU's VPC Flow content relies on it.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ct, iamUser } from '../support/events.js';
import { makeLake, runSearch, type TestLake } from '../support/hunt.js';

const IPS = [
  '10.0.0.1',
  '10.255.255.255',
  '11.0.0.1',
  '172.31.0.9',
  '172.32.0.1',
  '172.15.255.255',
  '172.16.0.0',
  '10.1.2.256',
  'ecr.amazonaws.com',
  '2001:db8::1',
  '0.0.0.0/0',
];

describe('search: field=CIDR', () => {
  let lake: TestLake;
  beforeAll(async () => {
    lake = await makeLake({
      cloudtrail: IPS.map((ip, i) =>
        ct({ time: `2026-11-18T10:${String(i).padStart(2, '0')}:00Z`, who: iamUser('alice'), name: 'ListUsers', ip }),
      ),
    });
  });
  afterAll(() => lake.close());

  const ips = async (search: string): Promise<unknown[]> =>
    (await runSearch(lake, `sourcetype=aws:cloudtrail ${search} | stats count by sourceIPAddress`)).rows.map(
      (r) => r.sourceIPAddress,
    );

  test("a block matches its own text too (a NACL entry's cidrBlock)", async () => {
    expect(await ips('sourceIPAddress=0.0.0.0/0')).toEqual(
      expect.arrayContaining(['0.0.0.0/0', '10.0.0.1', '11.0.0.1']),
    );
    expect(await ips('sourceIPAddress=0.0.0.0/0')).not.toContain('ecr.amazonaws.com');
  });

  test('an address matches the block it lies in, text and other addresses do not', async () => {
    expect(await ips('sourceIPAddress=10.0.0.0/8')).toEqual(['10.0.0.1', '10.255.255.255']);
    // the block's edges; an octet over 255 is no address
    expect(await ips('src_ip=172.16.0.0/12')).toEqual(['172.16.0.0', '172.31.0.9']);
    expect(await ips('src_ip=172.16.0.0/12')).not.toContain('172.15.255.255');
    expect(await ips('sourceIPAddress="10.0.0.0/8" OR sourceIPAddress=172.16.0.0/12')).toEqual([
      '10.0.0.1',
      '10.255.255.255',
      '172.16.0.0',
      '172.31.0.9',
    ]);
  });

  test('!= and NOT keep what lies outside the block (names and IPv6 too)', async () => {
    expect(await ips('sourceIPAddress!=10.0.0.0/8 sourceIPAddress!=172.16.0.0/12')).toEqual([
      '0.0.0.0/0',
      '10.1.2.256',
      '11.0.0.1',
      '172.15.255.255',
      '172.32.0.1',
      '2001:db8::1',
      'ecr.amazonaws.com',
    ]);
  });

  test('a value that is no block (bad prefix, wildcard) matches as text', async () => {
    expect(await ips('sourceIPAddress=10.0.0.0/33')).toEqual([]);
    expect(await ips('sourceIPAddress=10.0.*')).toEqual(['10.0.0.1']);
  });
});
