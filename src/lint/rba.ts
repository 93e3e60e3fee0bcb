import { tacticsOf } from '../risk/attack-tactics.js';
import type { Check, Draft } from './check.js';

/**
 * Risk-based alerting names result fields: the message's `$field$` tokens, the risk objects
 * and the threat objects; and ATT&CK techniques, whose tactics incident rules count. A field the results never have means a message that keeps its
 * token, a risk object that never gets risk, a threat object that is never recorded.
 */
export const rbaFields: Check = ({ detection, translation }) => {
  const have = new Set(translation.fields.map((f) => f.name));
  const out: Draft[] = [];
  const missing = (field: string): string =>
    `the results have no field ${field} (they have: ${[...have].join(', ') || 'none'})`;

  const tokens = [...new Set([...detection.rba.message.matchAll(/\$([^$\s]+)\$/g)].map((m) => m[1] as string))];
  for (const t of tokens.filter((f) => !have.has(f))) {
    out.push({
      rule: 'risk-message-field',
      message: `risk message names $${t}$, but ${missing(t)}`,
      position: 'risk message',
    });
  }
  detection.rba.riskObjects.forEach((r, i) => {
    if (!have.has(r.field)) {
      out.push({
        rule: 'risk-object-field',
        message: `risk object ${r.field} (${r.type}): ${missing(r.field)}, so no risk is ever raised on it`,
        position: `risk object ${i + 1}`,
      });
    }
  });
  detection.rba.threatObjects.forEach((t, i) => {
    if (!have.has(t.field)) {
      out.push({
        rule: 'threat-object-field',
        message: `threat object ${t.field} (${t.type}): ${missing(t.field)}`,
        position: `threat object ${i + 1}`,
      });
    }
  });
  // incident rules count tactics: a technique without one adds nothing there
  detection.mitreAttackIds.forEach((id, i) => {
    if (tacticsOf([id]).length === 0) {
      out.push({
        rule: 'unknown-attack-technique',
        message: `ATT&CK technique ${id} has no tactic in src/risk/attack-tactics.ts (a typo, or a technique to add there)`,
        position: `tags.mitre_attack_id[${i}]`,
      });
    }
  });
  return out;
};
