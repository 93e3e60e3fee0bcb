import { field, raw } from '../import-sql.js';
import { ocsfLakeTable } from '../ocsf-lake.js';
import { eitherVersion } from '../security-lake/rc2-sql.js';
import { SH_RC2_FIELDS } from './rc2-fields.js';
import { securityHubTable } from './table.js';
import { securityHubV1Table } from './table-v1.js';

/** The OCSF finding classes Security Lake's sh_findings table holds (1.1: 2002-2004; rc.2: 2001). */
export const FINDING_CLASSES = [2001, 2002, 2003, 2004] as const;

const rc2 = { columns: securityHubV1Table.columns, fields: SH_RC2_FIELDS };
const findingUid = eitherVersion('finding_info.uid', rc2.columns, rc2.fields);

/**
 * Security Hub findings in the local lake. A record is one when its class is a finding class:
 * in Security Lake only Security Hub writes findings (its product is the finding's producer,
 * GuardDuty, Inspector, ..., so the product cannot tell). Key: metadata.uid, else the finding's
 * id with its update time (`time`): Security Hub updates a finding in place, and each update is
 * a record of its own.
 */
export const securityHubLake = ocsfLakeTable({
  id: 'securityHub',
  title: 'security hub findings',
  kind: 'sh_findings',
  schema: securityHubTable,
  recognise: `coalesce(TRY_CAST(${raw('class_uid')} AS INTEGER) IN (${FINDING_CLASSES.join(', ')}), false)`,
  naturalKey: `coalesce(nullif(${field(raw('metadata'), 'uid')}, ''), nullif(${findingUid}, '') || '|' || CAST(${raw('time')} AS VARCHAR))`,
  metaKeys: ['finding_info', 'finding'],
  rc2,
});
