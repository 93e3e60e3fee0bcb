/** One risk event: a result row's contribution to one risk object (Splunk ES RBA). */
export interface ThreatObject {
  value: string;
  type: string;
}

export interface RiskEvent {
  risk_object: string;
  risk_object_type: string;
  risk_score: number;
  risk_message: string;
  /** when the risk counts: the end of the searched window (what ES stamps a scheduled search with) */
  risk_time: string;
  threat_objects: ThreatObject[];
  mitre_attack_ids: string[];
  /** the tactics of those techniques (src/risk/attack-tactics.ts) */
  mitre_tactics: string[];
  analytic_stories: string[];
  detection_id: string;
  detection_name: string;
  detection_version: number;
}
