import type { Command, FieldName } from '../../spl/ast.js';
import { OverlayEnv, SelectEnv, wildcardRegex } from '../env.js';
import type { PlannerState } from '../planner-state.js';

/** `table f ...` and `fields [+] f ...` keep the listed fields in that order; `fields - f ...` drops them. */
export function fields(p: PlannerState, cmd: Extract<Command, { k: 'table' | 'fields' }>): void {
  select(p, cmd.k === 'fields' && cmd.remove, cmd.fields);
}

function select(p: PlannerState, remove: boolean, fields: FieldName[]): void {
  const names = p.env.names();
  const expand = (pattern: string): string[] => {
    if (!pattern.includes('*')) return [pattern];
    if (!names)
      throw p.ctx.error(
        `wildcard ${pattern} needs a known field list (after stats or table)`,
        fields[0]?.span ?? { start: 0, end: 0 },
      );
    const re = wildcardRegex(pattern);
    return names.filter((n) => re.test(n));
  };
  const listed = fields.flatMap((f) => expand(f.name));
  listed.forEach((n) => p.ctx.mention(n));
  if (remove) {
    p.env = new OverlayEnv(p.env, new Map(listed.map((n) => [n, null])));
    return;
  }
  p.env = new SelectEnv(p.env, [...new Set(listed)]);
}
