/**
 * Shared setup for the Athena engine tests: the two stand-ins on random ports, the AWS
 * environment pointing the real SDK clients at them (AWS_ENDPOINT_URL_ATHENA / _S3, throwaway
 * credentials, no profile files: nothing of the machine's own AWS setup is read), and a fake
 * clock whose sleeps return at once, so polling, backoff and timeouts cost no wall time.
 */
import { ATHENA_DEFAULTS, type AthenaSettings } from '../../src/engines/athena/settings.js';
import type { Timing } from '../../src/engines/athena/timing.js';
import { AthenaStandin } from '../support/athena-standin.js';
import { pointAwsAt } from '../support/aws-env.js';
import { S3Standin } from '../support/s3-standin.js';

export interface Standins {
  athena: AthenaStandin;
  s3: S3Standin;
  reset(): void;
  close(): Promise<void>;
}

/** Starts both stand-ins and points the SDK's standard environment at them (restored on close). */
export async function startStandins(): Promise<Standins> {
  const s3 = await new S3Standin().start();
  const athena = await new AthenaStandin({ s3 }).start();
  const restore = pointAwsAt({ AWS_ENDPOINT_URL_ATHENA: athena.url, AWS_ENDPOINT_URL_S3: s3.url });
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
      restore();
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
