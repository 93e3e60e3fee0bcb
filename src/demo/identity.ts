import type { JsonObject } from './json.js';
import { stableId } from './rng.js';
import { isoSeconds } from './clock.js';

/** Who makes a call, in the shapes CloudTrail's `userIdentity` takes. */
export type Principal =
  | {
      kind: 'iam-user';
      accountId: string;
      userName: string;
      /** long-term AKIA… key (CLI, CI), a console session's ASIA… key, or none (ConsoleLogin) */
      accessKeyId?: string;
      /** a console session: adds sessionContext, marks the event sessionCredentialFromConsole */
      consoleSession?: { createdMs: number; mfa: boolean };
    }
  | {
      kind: 'assumed-role';
      accountId: string;
      roleName: string;
      sessionName: string;
      accessKeyId: string;
      createdMs: number;
      mfa: boolean;
      /** credentials obtained by switching role in the console */
      fromConsole: boolean;
    }
  | { kind: 'service'; service: string };

export const userArn = (accountId: string, userName: string): string => `arn:aws:iam::${accountId}:user/${userName}`;
export const roleArn = (accountId: string, roleName: string): string => `arn:aws:iam::${accountId}:role/${roleName}`;
export const assumedRoleArn = (accountId: string, roleName: string, session: string): string =>
  `arn:aws:sts::${accountId}:assumed-role/${roleName}/${session}`;

/** IAM unique ids are stable per principal: the same user is the same AIDA… in every run. */
export const userId = (accountId: string, userName: string): string =>
  stableId('AIDA', 17, accountId, 'user', userName);
export const roleId = (accountId: string, roleName: string): string =>
  stableId('AROA', 17, accountId, 'role', roleName);
export const userAccessKey = (accountId: string, userName: string): string =>
  stableId('AKIA', 16, accountId, 'key', userName);

/** The `userIdentity` object, keys in CloudTrail's order. */
export function userIdentity(p: Principal): JsonObject {
  switch (p.kind) {
    case 'iam-user': {
      const out: JsonObject = {
        type: 'IAMUser',
        principalId: userId(p.accountId, p.userName),
        arn: userArn(p.accountId, p.userName),
        accountId: p.accountId,
      };
      if (p.accessKeyId) out.accessKeyId = p.accessKeyId;
      out.userName = p.userName;
      if (p.consoleSession) {
        out.sessionContext = {
          sessionIssuer: {},
          webIdFederationData: {},
          attributes: {
            creationDate: isoSeconds(p.consoleSession.createdMs),
            mfaAuthenticated: String(p.consoleSession.mfa),
          },
        };
      }
      return out;
    }
    case 'assumed-role':
      return {
        type: 'AssumedRole',
        principalId: `${roleId(p.accountId, p.roleName)}:${p.sessionName}`,
        arn: assumedRoleArn(p.accountId, p.roleName, p.sessionName),
        accountId: p.accountId,
        accessKeyId: p.accessKeyId,
        sessionContext: {
          sessionIssuer: {
            type: 'Role',
            principalId: roleId(p.accountId, p.roleName),
            arn: roleArn(p.accountId, p.roleName),
            accountId: p.accountId,
            userName: p.roleName,
          },
          webIdFederationData: {},
          attributes: { creationDate: isoSeconds(p.createdMs), mfaAuthenticated: String(p.mfa) },
        },
      };
    case 'service':
      return { type: 'AWSService', invokedBy: p.service };
  }
}

/** True when CloudTrail marks the event `sessionCredentialFromConsole`. */
export function fromConsole(p: Principal): boolean {
  return (p.kind === 'iam-user' && p.consoleSession !== undefined) || (p.kind === 'assumed-role' && p.fromConsole);
}
