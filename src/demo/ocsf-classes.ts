/**
 * Which OCSF 1.1.0 class and activity a CloudTrail management event becomes in Security Lake,
 * as tables. After the OCSF project's CloudTrail mapping examples
 * (ocsf/examples mappings/markdown/AWS/v1.1.0/CloudTrail, paired in shared/reference): the
 * class is chosen from eventSource + eventName, everything else is API Activity.
 */
export interface OcsfClass {
  class_uid: number;
  class_name: string;
  category_uid: number;
  category_name: string;
}

export interface OcsfActivity {
  activity_id: number;
  activity_name: string;
}

export const API_ACTIVITY: OcsfClass = {
  class_uid: 6003,
  class_name: 'API Activity',
  category_uid: 6,
  category_name: 'Application Activity',
};
export const AUTHENTICATION: OcsfClass = {
  class_uid: 3002,
  class_name: 'Authentication',
  category_uid: 3,
  category_name: 'Identity & Access Management',
};
export const ACCOUNT_CHANGE: OcsfClass = {
  class_uid: 3001,
  class_name: 'Account Change',
  category_uid: 3,
  category_name: 'Identity & Access Management',
};

const activity = (activity_id: number, activity_name: string): OcsfActivity => ({ activity_id, activity_name });

/**
 * Authentication (3002). ConsoleLogin is a Logon (the mapping example); issuing STS session
 * credentials has no exact OCSF activity: "Authentication Ticket" is the closest (an
 * assumption: the examples show only ConsoleLogin).
 */
export const AUTHENTICATION_EVENTS: ReadonlyMap<string, OcsfActivity> = new Map([
  ['signin.amazonaws.com ConsoleLogin', activity(1, 'Logon')],
  ['sts.amazonaws.com AssumeRole', activity(3, 'Authentication Ticket')],
  ['sts.amazonaws.com AssumeRoleWithSAML', activity(3, 'Authentication Ticket')],
  ['sts.amazonaws.com AssumeRoleWithWebIdentity', activity(3, 'Authentication Ticket')],
  ['sts.amazonaws.com GetSessionToken', activity(3, 'Authentication Ticket')],
  ['sts.amazonaws.com GetFederationToken', activity(3, 'Authentication Ticket')],
]);

/** Account Change (3001): IAM changes to users, roles and their policies (OCSF 1.1.0 activity ids). */
export const ACCOUNT_CHANGE_EVENTS: ReadonlyMap<string, OcsfActivity> = new Map(
  (
    [
      ['CreateUser', 1, 'Create'],
      ['CreateRole', 1, 'Create'],
      ['ChangePassword', 3, 'Password Change'],
      ['UpdateLoginProfile', 4, 'Password Reset'],
      ['DeleteUser', 6, 'Delete'],
      ['DeleteRole', 6, 'Delete'],
      ['AttachUserPolicy', 7, 'Attach Policy'],
      ['AttachRolePolicy', 7, 'Attach Policy'],
      ['AttachGroupPolicy', 7, 'Attach Policy'],
      ['PutUserPolicy', 7, 'Attach Policy'],
      ['PutRolePolicy', 7, 'Attach Policy'],
      ['PutGroupPolicy', 7, 'Attach Policy'],
      ['DetachUserPolicy', 8, 'Detach Policy'],
      ['DetachRolePolicy', 8, 'Detach Policy'],
      ['DetachGroupPolicy', 8, 'Detach Policy'],
      ['DeleteUserPolicy', 8, 'Detach Policy'],
      ['DeleteRolePolicy', 8, 'Detach Policy'],
      ['DeleteGroupPolicy', 8, 'Detach Policy'],
      ['EnableMFADevice', 10, 'MFA Factor Enable'],
      ['DeactivateMFADevice', 11, 'MFA Factor Disable'],
    ] as const
  ).map(([name, id, label]) => [`iam.amazonaws.com ${name}`, activity(id, label)]),
);

/**
 * API Activity (6003) by the verb the operation name starts with (DescribeDirectConnectGateways
 * is a Read in the example). Checked in order; a verb matches only a whole word
 * (`Put` matches PutImage, not Puttering).
 */
const API_VERBS: readonly [verbs: readonly string[], activity: OcsfActivity][] = [
  [
    [
      'BatchGet',
      'BatchCheck',
      'Describe',
      'Get',
      'List',
      'Head',
      'Lookup',
      'Search',
      'Select',
      'Query',
      'Scan',
      'Check',
      'Validate',
      'Verify',
      'Estimate',
      'Preview',
      'Simulate',
      'View',
    ],
    activity(2, 'Read'),
  ],
  [
    ['BatchDelete', 'Delete', 'Remove', 'Terminate', 'Deregister', 'Revoke', 'Release', 'Purge', 'Deprovision'],
    activity(4, 'Delete'),
  ],
  [
    [
      'Create',
      'Put',
      'Add',
      'Allocate',
      'Import',
      'Register',
      'Run',
      'Upload',
      'Initiate',
      'Complete',
      'Copy',
      'Issue',
      'Request',
      'Generate',
      'Provision',
      'Publish',
    ],
    activity(1, 'Create'),
  ],
  [
    [
      'Update',
      'Modify',
      'Set',
      'Change',
      'Enable',
      'Disable',
      'Start',
      'Stop',
      'Reboot',
      'Restore',
      'Reset',
      'Tag',
      'Untag',
      'Associate',
      'Disassociate',
      'Attach',
      'Detach',
      'Apply',
      'Replace',
      'Accept',
      'Reject',
      'Rotate',
      'Cancel',
      'Assign',
      'Unassign',
      'Authorize',
      'Edit',
    ],
    activity(3, 'Update'),
  ],
];

export function apiActivity(eventName: string, readOnly: boolean | undefined): OcsfActivity {
  for (const [verbs, act] of API_VERBS) {
    for (const verb of verbs) {
      if (eventName.startsWith(verb)) {
        const next = eventName.charAt(verb.length);
        if (next === '' || (next >= 'A' && next <= 'Z')) return act;
      }
    }
  }
  return readOnly ? activity(2, 'Read') : activity(99, 'Other');
}

/** The class and activity for an event. */
export function classify(
  eventSource: string,
  eventName: string,
  readOnly: boolean | undefined,
): { cls: OcsfClass; act: OcsfActivity } {
  const key = `${eventSource} ${eventName}`;
  const auth = AUTHENTICATION_EVENTS.get(key);
  if (auth) return { cls: AUTHENTICATION, act: auth };
  const change = ACCOUNT_CHANGE_EVENTS.get(key);
  if (change) return { cls: ACCOUNT_CHANGE, act: change };
  return { cls: API_ACTIVITY, act: apiActivity(eventName, readOnly) };
}
