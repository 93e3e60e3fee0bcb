/**
 * MITRE ATT&CK (Enterprise, cloud-relevant part, v16) technique → tactics, as data: every
 * technique the ESCU AWS detections tag, and the rest of the IaaS/Identity matrix they may grow
 * into. A sub-technique not listed takes its parent's tactics. ESCU annotates the same way
 * (annotations.mitre_attack.mitre_tactic); risk incident rules count tactics from here.
 */
export const TACTICS = [
  'Reconnaissance',
  'Resource Development',
  'Initial Access',
  'Execution',
  'Persistence',
  'Privilege Escalation',
  'Defense Evasion',
  'Credential Access',
  'Discovery',
  'Lateral Movement',
  'Collection',
  'Command and Control',
  'Exfiltration',
  'Impact',
] as const;

export type Tactic = (typeof TACTICS)[number];

const VALID_ACCOUNTS: Tactic[] = ['Defense Evasion', 'Persistence', 'Privilege Escalation', 'Initial Access'];
const MODIFY_AUTH: Tactic[] = ['Credential Access', 'Defense Evasion', 'Persistence'];

export const TECHNIQUE_TACTICS: Readonly<Record<string, readonly Tactic[]>> = {
  T1040: ['Credential Access', 'Discovery'], // Network Sniffing
  T1059: ['Execution'], // Command and Scripting Interpreter
  T1069: ['Discovery'], // Permission Groups Discovery (.003 Cloud Groups)
  T1070: ['Defense Evasion'], // Indicator Removal
  T1078: VALID_ACCOUNTS, // Valid Accounts (.004 Cloud Accounts)
  T1082: ['Discovery'], // System Information Discovery
  T1087: ['Discovery'], // Account Discovery (.004 Cloud Account)
  T1098: ['Persistence', 'Privilege Escalation'], // Account Manipulation (.001 Additional Cloud Credentials, .003 Additional Cloud Roles)
  T1110: ['Credential Access'], // Brute Force (.001 Guessing, .003 Spraying, .004 Stuffing)
  T1119: ['Collection'], // Automated Collection
  T1133: ['Persistence', 'Initial Access'], // External Remote Services
  T1136: ['Persistence'], // Create Account (.003 Cloud Account)
  T1185: ['Collection'], // Browser Session Hijacking
  T1190: ['Initial Access'], // Exploit Public-Facing Application
  T1199: ['Initial Access'], // Trusted Relationship
  T1201: ['Discovery'], // Password Policy Discovery
  T1204: ['Execution'], // User Execution (.003 Malicious Image)
  T1213: ['Collection'], // Data from Information Repositories
  T1484: ['Defense Evasion', 'Privilege Escalation'], // Domain or Tenant Policy Modification
  T1485: ['Impact'], // Data Destruction (.001 Lifecycle-Triggered Deletion)
  T1486: ['Impact'], // Data Encrypted for Impact
  T1490: ['Impact'], // Inhibit System Recovery
  T1496: ['Impact'], // Resource Hijacking
  T1525: ['Persistence'], // Implant Internal Image
  T1526: ['Discovery'], // Cloud Service Discovery
  T1528: ['Credential Access'], // Steal Application Access Token
  T1530: ['Collection'], // Data from Cloud Storage
  T1531: ['Impact'], // Account Access Removal
  T1535: ['Defense Evasion'], // Unused/Unsupported Cloud Regions
  T1537: ['Exfiltration'], // Transfer Data to Cloud Account
  T1538: ['Discovery'], // Cloud Service Dashboard
  T1550: ['Defense Evasion', 'Lateral Movement'], // Use Alternate Authentication Material
  T1552: ['Credential Access'], // Unsecured Credentials (.005 Cloud Instance Metadata API)
  T1556: MODIFY_AUTH, // Modify Authentication Process (.006 Multi-Factor Authentication)
  T1562: ['Defense Evasion'], // Impair Defenses (.007 Cloud Firewall, .008 Cloud Logs)
  T1566: ['Initial Access'], // Phishing
  T1567: ['Exfiltration'], // Exfiltration Over Web Service
  T1578: ['Defense Evasion'], // Modify Cloud Compute Infrastructure
  T1580: ['Discovery'], // Cloud Infrastructure Discovery
  T1586: ['Resource Development'], // Compromise Accounts (.003 Cloud Accounts)
  T1606: ['Credential Access'], // Forge Web Credentials
  T1610: ['Defense Evasion', 'Execution'], // Deploy Container
  T1611: ['Privilege Escalation'], // Escape to Host
  T1613: ['Discovery'], // Container and Resource Discovery
  T1619: ['Discovery'], // Cloud Storage Object Discovery
  T1621: ['Credential Access'], // Multi-Factor Authentication Request Generation
  T1648: ['Execution'], // Serverless Execution
  T1651: ['Execution'], // Cloud Administration Command
};

/** The tactics of technique ids (sub-techniques fall back to their parent), in ATT&CK order. */
export function tacticsOf(techniques: readonly string[]): Tactic[] {
  const found = new Set<Tactic>();
  for (const t of techniques) {
    const id = t.trim().toUpperCase();
    for (const tactic of TECHNIQUE_TACTICS[id] ?? TECHNIQUE_TACTICS[id.split('.')[0] as string] ?? [])
      found.add(tactic);
  }
  return TACTICS.filter((t) => found.has(t));
}
