import { CI_USERS } from './world.js';

const allowList = CI_USERS.map((u) => u.name).join(', ');

/**
 * Macro overrides `hunt demo` runs the detections with: the ECR allow-lists name the demo's
 * CI users, so ordinary uploads pass and only the planted ones fire. Derived from CI_USERS so
 * the traffic and the allow-list cannot drift apart.
 */
export const DEMO_MACROS: Record<string, string> = Object.freeze({
  aws_ecr_users: `userName IN (${allowList})`,
  aws_ecr_users_asl: `actor.user.name IN (${allowList})`,
});
