/** A detection as hunt uses it, normalised from either ESCU YAML schema. */
export interface RiskObjectSpec {
  field: string;
  /** ES risk object type: user | system | other (ESCU also uses e.g. `hostname` → system) */
  type: string;
  score: number;
}

export interface ThreatObjectSpec {
  field: string;
  type: string;
}

export interface Schedule {
  cron: string;
  earliest: string;
  latest: string;
}

export interface Detection {
  /** absolute path of the YAML file */
  file: string;
  id: string;
  name: string;
  version: number;
  date?: string;
  status?: string;
  type?: string;
  description?: string;
  search: string;
  dataSource: string[];
  schedule: Schedule;
  rba: {
    message: string;
    riskObjects: RiskObjectSpec[];
    threatObjects: ThreatObjectSpec[];
  };
  mitreAttackIds: string[];
  analyticStories: string[];
  /** sourcetypes of the detection's test data (`tests[].attack_data[].sourcetype`) */
  testSourcetypes: string[];
}

/** ESCU runs every detection hourly over -70m@m .. -10m@m unless told otherwise. */
export const ESCU_DEFAULT_SCHEDULE: Schedule = { cron: '0 * * * *', earliest: '-70m@m', latest: '-10m@m' };
