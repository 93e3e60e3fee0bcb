/**
 * Every detection of the ESCU corpus has its semantics tests: a file test/corpus/<set>/<stem>.test.ts,
 * or, for the five ECR detections hunt ships (identical to their corpus files, or upstream of
 * the corrected copy), test/semantics/ecr-cloudtrail.test.ts and ecr-asl.test.ts.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { shared } from '../support/shared.js';

const ECR_TESTS: Record<string, string> = {
  'cloudtrail/aws_ecr_container_scanning_findings_medium.yml': 'test/semantics/ecr-cloudtrail.test.ts',
  'cloudtrail/aws_ecr_container_upload_outside_business_hours.yml': 'test/semantics/ecr-cloudtrail.test.ts',
  'cloudtrail/aws_ecr_container_upload_unknown_user.yml': 'test/semantics/ecr-cloudtrail.test.ts',
  'asl/asl_aws_ecr_container_upload_outside_business_hours.yml': 'test/semantics/ecr-asl.test.ts',
  'asl/asl_aws_ecr_container_upload_unknown_user.yml': 'test/semantics/ecr-asl.test.ts',
};

const corpus = ['cloudtrail', 'asl'].flatMap((set) =>
  readdirSync(shared('escu', set))
    .filter((f) => f.endsWith('.yml'))
    .map((f) => `${set}/${f}`),
);

test('the corpus has 68 detections', () => expect(corpus).toHaveLength(68));

test.each(corpus)('%s has semantics tests', (file) => {
  const own = join('test/corpus', file.replace(/\.yml$/, '.test.ts'));
  if (existsSync(own)) {
    // the file loads this very detection
    expect(readFileSync(own, 'utf8')).toContain(file.split('/')[1]);
    return;
  }
  const elsewhere = ECR_TESTS[file];
  expect(elsewhere, `no ${own}`).toBeDefined();
  // the shipped ECR tests name the detection they run
  const name = /^name: (.*)$/m.exec(readFileSync(shared('escu', file), 'utf8'))?.[1] ?? '';
  expect(name).not.toBe('');
  expect(readFileSync(elsewhere as string, 'utf8')).toContain(name);
});
