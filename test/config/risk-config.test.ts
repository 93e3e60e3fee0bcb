/**
 * `risk.incidents` in configuration: the stock rules by default (also as written in
 * config/hunt.yaml), re-tuned, disabled or added; bad rules refused naming the file and rule.
 */
import { describe, expect, test } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { DEFAULT_INCIDENT_RULES } from '../../src/risk/incident-rules.js';
import { configFiles } from '../support/config-files.js';

const { load, refusal } = configFiles('risk-config');
const rules = (text: string) => load(text).incidentRules;

describe('risk.incidents', () => {
  test('defaults: the two stock rules, as config/hunt.yaml writes them', () => {
    expect(loadConfig(undefined, {}).incidentRules).toEqual(DEFAULT_INCIDENT_RULES);
  });

  test('re-tune, disable, add', () => {
    expect(rules('risk:\n  incidents:\n    risk_score_24h: { score_over: 250, window: 12h }\n')[0]).toMatchObject({
      name: 'risk_score_24h',
      kind: 'score',
      scoreOver: 250,
      windowMs: 12 * 3_600_000,
    });
    expect(rules('risk:\n  incidents:\n    attack_tactics_7d: { enabled: false }\n').map((r) => r.name)).toEqual([
      'risk_score_24h',
    ]);
    expect(rules('risk:\n  incidents:\n    fast: { window: 1h, score_over: 50, title: Fast }\n')).toContainEqual({
      name: 'fast',
      title: 'Fast',
      kind: 'score',
      windowMs: 3_600_000,
      scoreOver: 50,
    });
    expect(rules('risk:\n  incidents:\n    wide: { window: 30d, min_tactics: 5, min_detections: 6 }\n')).toContainEqual(
      expect.objectContaining({ name: 'wide', kind: 'tactics', minTactics: 5, minDetections: 6 }),
    );
  });

  test.each([
    ['    new_rule: { score_over: 10 }', /risk\.incidents\.new_rule: a new rule needs a window/],
    [
      '    new_rule: { window: 1h }',
      /risk\.incidents\.new_rule: a new rule needs score_over, or min_tactics with min_detections/,
    ],
    ['    new_rule: { window: 1h, min_tactics: 3 }', /risk\.incidents\.new_rule: needs min_tactics and min_detections/],
    [
      '    risk_score_24h: { score_over: 10, min_tactics: 2 }',
      /field `risk\.incidents\.risk_score_24h`: takes either score_over, or min_tactics with min_detections/,
    ],
    [
      '    risk_score_24h: { window: 100d }',
      /field `risk\.incidents\.risk_score_24h\.window`: must be between 1m and 90d/,
    ],
    [
      '    risk_score_24h: { window: 24 }',
      /field `risk\.incidents\.risk_score_24h\.window`: is not a duration: a number needs a unit/,
    ],
    [
      '    risk_score_24h: { treshold: 5 }',
      /field `risk\.incidents\.risk_score_24h`: Unrecognized key\(s\) in object: 'treshold'/,
    ],
    [
      '    "Bad Name": { window: 1h, score_over: 1 }',
      /field `risk\.incidents\.Bad Name`: rule names are 1-64 lower-case letters/,
    ],
  ])('%s', (line, message) => {
    expect(refusal(`risk:\n  incidents:\n${line}\n`)).toMatch(message);
  });
});
