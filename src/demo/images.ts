import { createHash } from 'node:crypto';
import type { Rng } from './rng.js';

/** A container image as ECR sees it: the manifest text CloudTrail records and its digest. */
export interface Image {
  manifest: string;
  digest: string;
}

const LAYER_MEDIA = 'application/vnd.docker.image.rootfs.diff.tar.gzip';

/**
 * A Docker v2 manifest formatted like the ECR user guide's PutImage example (3-space JSON);
 * the image digest is the real sha256 of that text, as ECR computes it.
 */
export function makeImage(rng: Rng): Image {
  const layers = [];
  const n = rng.int(3, 6);
  for (let i = 0; i < n; i++) {
    layers.push({
      mediaType: LAYER_MEDIA,
      size: i === 0 ? rng.int(20_000_000, 45_000_000) : rng.int(150, 9_000_000),
      digest: `sha256:${rng.hex(64)}`,
    });
  }
  const manifest = JSON.stringify(
    {
      schemaVersion: 2,
      mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
      config: {
        mediaType: 'application/vnd.docker.container.image.v1+json',
        size: rng.int(2_000, 12_000),
        digest: `sha256:${rng.hex(64)}`,
      },
      layers,
    },
    null,
    3,
  );
  return { manifest, digest: `sha256:${createHash('sha256').update(manifest).digest('hex')}` };
}

/** The layer digests of an image's manifest (what GetDownloadUrlForLayer asks for). */
export function layerDigests(image: Image): string[] {
  return [...image.manifest.matchAll(/"digest": "(sha256:[0-9a-f]{64})"/g)].map((m) => m[1] as string).slice(1);
}

export type Severity = 'INFORMATIONAL' | 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL';

/** One entry of `imageScanFindings.findings` (ECR basic scanning). */
export interface Finding {
  name: string;
  description: string;
  uri: string;
  severity: Severity;
  attributes: { key: string; value: string }[];
}

const finding = (name: string, severity: Severity, pkg: string, version: string, description: string): Finding => ({
  name,
  description,
  uri: `https://security-tracker.debian.org/tracker/${name}`,
  severity,
  attributes: [
    { key: 'package_version', value: version },
    { key: 'package_name', value: pkg },
  ],
});

/** What routine scans of the base images report: only LOW and INFORMATIONAL. */
export const ROUTINE_FINDINGS: readonly Finding[] = [
  finding(
    'CVE-2011-3374',
    'LOW',
    'apt',
    '2.6.1',
    'apt-key in apt does not correctly validate gpg keys with the master keyring, leading to a potential man-in-the-middle attack.',
  ),
  finding(
    'CVE-2022-0563',
    'LOW',
    'util-linux',
    '2.38.1-5+deb12u1',
    'The util-linux chfn and chsh utilities, when compiled with Readline support, can leak the start of root-owned files through error messages.',
  ),
  finding(
    'CVE-2017-18018',
    'LOW',
    'coreutils',
    '9.1-1',
    'chown and chgrp in GNU coreutils do not prevent replacing a file with a symlink during -R -L, letting local users change the ownership of arbitrary files through a race.',
  ),
  finding(
    'CVE-2005-2541',
    'INFORMATIONAL',
    'tar',
    '1.34+dfsg-1.2',
    'Tar does not warn the user when extracting setuid or setgid files.',
  ),
  finding(
    'CVE-2007-5686',
    'INFORMATIONAL',
    'shadow',
    '1:4.13+dfsg1-1',
    'initscripts set insecure permissions for the /var/log/btmp file.',
  ),
];

/** What the attacker's image adds: the findings the "Medium" detection is about. */
export const MEDIUM_FINDINGS: readonly Finding[] = [
  finding(
    'CVE-2023-5678',
    'MEDIUM',
    'openssl',
    '3.0.11-1~deb12u1',
    'Generating or checking excessively long X9.42 DH keys or parameters in OpenSSL may be very slow (denial of service).',
  ),
  finding(
    'CVE-2022-40897',
    'MEDIUM',
    'python3-setuptools',
    '66.1.1-1',
    'package_index.py in setuptools allows a regular-expression denial of service through crafted HTML in a fetched package page.',
  ),
];

/** `findingSeverityCounts` for a list of findings. */
export function severityCounts(findings: readonly Finding[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const f of findings) counts[f.severity] = (counts[f.severity] ?? 0) + 1;
  return counts;
}
