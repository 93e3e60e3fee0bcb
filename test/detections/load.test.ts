import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadDetection } from '../../src/detections/load.js';
import { ESCU_DEFAULT_SCHEDULE } from '../../src/detections/model.js';

const dir = mkdtempSync(join(tmpdir(), 'hunt-detections-'));
let n = 0;

/** A detection file with the given top-level YAML after the common fields. */
function file(rest: string): string {
  const f = join(dir, `d${n++}.yml`);
  writeFileSync(
    f,
    `name: Test Detection\nid: 00000000-0000-0000-0000-000000000001\nversion: 3\nsearch: '\`cloudtrail\` eventName=PutImage'\n${rest}`,
  );
  return f;
}

describe('current schema (rba)', () => {
  test('risk and threat objects with their own scores, MITRE ids and stories from tags', () => {
    const d = loadDetection(
      file(`rba:
  message: Upload by $user$
  risk_objects:
  - field: user
    type: user
    score: 49
  - field: dest
    type: system
    score: 20
  threat_objects:
  - field: src
    type: ip_address
tags:
  analytic_story: [Dev Sec Ops]
  mitre_attack_id: [T1204.003]
`),
    );
    expect(d.rba).toEqual({
      message: 'Upload by $user$',
      riskObjects: [
        { field: 'user', type: 'user', score: 49 },
        { field: 'dest', type: 'system', score: 20 },
      ],
      threatObjects: [{ field: 'src', type: 'ip_address' }],
    });
    expect(d.mitreAttackIds).toEqual(['T1204.003']);
    expect(d.analyticStories).toEqual(['Dev Sec Ops']);
    expect(d.schedule).toEqual(ESCU_DEFAULT_SCHEDULE);
  });
});

describe('older schema (tags)', () => {
  const observables = `  observable:
  - name: user
    type: User
    role: [Victim]
  - name: src_ip
    type: IP Address
    role: [Attacker]
`;

  test('risk_score is the score of every Victim observable; Attacker observables are threat objects', () => {
    const d = loadDetection(
      file(`tags:\n  risk_score: 56\n  impact: 70\n  confidence: 50\n  message: m $user$\n${observables}`),
    );
    expect(d.rba.riskObjects).toEqual([{ field: 'user', type: 'user', score: 56 }]);
    expect(d.rba.threatObjects).toEqual([{ field: 'src_ip', type: 'ip_address' }]);
    expect(d.rba.message).toBe('m $user$');
  });

  test('without risk_score the score is impact × confidence / 100', () => {
    const d = loadDetection(file(`tags:\n  impact: 70\n  confidence: 50\n${observables}`));
    expect(d.rba.riskObjects[0]?.score).toBe(35);
  });

  test('a Victim observable without any score is an error naming the field', () => {
    expect(() => loadDetection(file(`tags:\n  impact: 70\n${observables}`))).toThrow(
      /d\d+\.yml: field `tags\.risk_score` is required/,
    );
  });

  test('no observables: no risk objects (the detection still runs)', () => {
    const d = loadDetection(file(`tags:\n  risk_score: 49\n`));
    expect(d.rba.riskObjects).toEqual([]);
  });
});

describe('bad files', () => {
  test('a version that is not a number names the field', () => {
    const f = join(dir, 'badversion.yml');
    writeFileSync(f, "name: x\nid: y\nversion: three\nsearch: '`cloudtrail`'\n");
    expect(() => loadDetection(f)).toThrow(/badversion\.yml: field `version`/);
  });

  test('a YAML list instead of a mapping', () => {
    const f = join(dir, 'list.yml');
    writeFileSync(f, '- a\n- b\n');
    expect(() => loadDetection(f)).toThrow(/list\.yml: expected a YAML mapping/);
  });

  test('a file that does not exist', () => {
    expect(() => loadDetection(join(dir, 'nope.yml'))).toThrow(/nope\.yml: cannot read: ENOENT/);
  });
});
