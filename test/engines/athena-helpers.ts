/**
 * Shared setup for the Athena engine tests: the two stand-ins on random ports, the AWS
 * environment pointing the real SDK clients at them (AWS_ENDPOINT_URL_ATHENA / _S3, throwaway
 * credentials, no profile files: nothing of the machine's own AWS setup is read), and a fake
 * clock whose sleeps return at once, so polling, backoff and timeouts cost no wall time.
 */
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { ATHENA_DEFAULTS, type AthenaSettings } from '../../src/engines/athena/settings.js';
import type { Timing } from '../../src/engines/athena/timing.js';
import { AthenaStandin } from '../support/athena-standin.js';
import { S3Standin } from '../support/s3-standin.js';

export interface Standins {
  athena: AthenaStandin;
  s3: S3Standin;
  reset(): void;
  close(): Promise<void>;
}

const AWS_VARS = [
  'AWS_ENDPOINT_URL',
  'AWS_ENDPOINT_URL_ATHENA',
  'AWS_ENDPOINT_URL_S3',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
  'AWS_PROFILE',
  'AWS_CONFIG_FILE',
  'AWS_SHARED_CREDENTIALS_FILE',
  'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS',
  'AWS_EC2_METADATA_DISABLED',
];

/** Starts both stand-ins and points the SDK's standard environment at them (restored on close). */
export async function startStandins(): Promise<Standins> {
  const s3 = await new S3Standin().start();
  const athena = await new AthenaStandin({ s3 }).start();
  const saved = Object.fromEntries(AWS_VARS.map((k) => [k, process.env[k]]));
  for (const k of AWS_VARS) delete process.env[k];
  const nowhere = join(tmpdir(), 'hunt-no-aws-config-here');
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_ATHENA: athena.url,
    AWS_ENDPOINT_URL_S3: s3.url,
    AWS_ACCESS_KEY_ID: 'AKIDSTANDIN',
    AWS_SECRET_ACCESS_KEY: 'standin-secret',
    AWS_REGION: 'us-east-1',
    AWS_CONFIG_FILE: nowhere,
    AWS_SHARED_CREDENTIALS_FILE: nowhere,
    AWS_EC2_METADATA_DISABLED: 'true',
  });
  return {
    athena,
    s3,
    reset() {
      athena.reset();
      s3.reset();
    },
    async close() {
      await athena.stop();
      await s3.stop();
      for (const k of AWS_VARS) {
        if (saved[k] === undefined) delete process.env[k];
        else process.env[k] = saved[k];
      }
    },
  };
}

export const settings = (over: Partial<AthenaSettings> = {}): AthenaSettings => ({
  ...ATHENA_DEFAULTS,
  outputLocation: 's3://standin-results/hunt/',
  ...over,
});

export interface FakeTiming extends Timing {
  /** every sleep asked for, in ms */
  sleeps: number[];
}

/**
 * A clock that only moves when the engine sleeps: a sleep adds its duration and returns on the
 * next turn of the event loop (so HTTP and aborts still happen in between).
 */
export function fakeTiming(random = () => 0.5): FakeTiming {
  let clock = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => clock,
    random,
    sleep: (ms, signal) =>
      new Promise<void>((resolve) => {
        sleeps.push(ms);
        if (signal?.aborted) return resolve();
        clock += ms;
        setImmediate(resolve);
      }),
  };
}
