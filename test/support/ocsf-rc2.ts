/**
 * A Security Lake source version 2 record (OCSF 1.1, as events-asl.ts builds it) in its source
 * version 1 form (OCSF 1.0.0-rc.2), written by hand from the OCSF project's rc.2 CloudTrail
 * dossiers (ocsf/examples mappings/markdown/AWS, "OCSF Version: 1.0.0-rc.2") and the rc.2
 * Parquet schemas in shared/reference. Deliberately independent of src/sources/security-lake/
 * rc2-fields.ts: it is the oracle a wrong entry of that table fails against.
 *
 * - actor.user: uid (ARN) → uuid, uid_alt (principal id) → uid, account.uid → account_uid
 * - actor.session: created_time_dt (ISO) → created_time (epoch ms), is_mfa → mfa
 * - user (Authentication): uid → uuid, uid_alt → uid; is_mfa → mfa
 * - api.request.data / api.response.data → unmapped['requestParameters' / 'responseElements']
 *   (JSON text), plus their flattened keys, as AWS's example queries for the v1 table read them
 * - resources[].owner.account.uid → resources[].account_uid
 * - status kept, status_id added; time_dt, observables and metadata.event_code dropped
 * - accountid / region (partition columns, not data in the Parquet) dropped; the account is
 *   cloud.account_uid
 */
type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

function flatten(prefix: string, value: unknown, out: Record<string, string>): void {
  if (value === null || value === undefined) return;
  if (isObj(value)) {
    for (const [k, v] of Object.entries(value)) flatten(`${prefix}.${k}`, v, out);
  } else {
    out[prefix] = Array.isArray(value) ? JSON.stringify(value) : String(value);
  }
}

function withoutUndefined(o: Obj): Obj {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

function actorRc2(actor: Obj): Obj {
  const out: Obj = { ...actor };
  if (isObj(actor.user)) {
    const { uid, uid_alt, account, ...rest } = actor.user;
    out.user = withoutUndefined({
      ...rest,
      uid: uid_alt,
      uuid: uid,
      account_uid: isObj(account) ? account.uid : undefined,
    });
  }
  if (isObj(actor.session)) {
    const { created_time_dt, is_mfa, ...rest } = actor.session;
    out.session = withoutUndefined({
      ...rest,
      created_time: typeof created_time_dt === 'string' ? Date.parse(created_time_dt) : undefined,
      mfa: is_mfa,
    });
  }
  return out;
}

/** The rc.2 form of a 1.1 Security Lake CloudTrail record. */
export function toRc2(v11: Obj): Obj {
  const { time_dt, observables, accountid, region, is_mfa, user, resources, api, actor, cloud, metadata, ...rest } =
    v11;
  const out: Obj = { ...rest };
  const unmapped: Record<string, string> = {
    ...(isObj(rest.unmapped) ? (rest.unmapped as Record<string, string>) : {}),
  };
  if (isObj(metadata)) {
    const { event_code, ...m } = metadata;
    out.metadata = { ...m, version: '1.0.0-rc.2', profiles: ['cloud'] };
    if (typeof event_code === 'string') unmapped.eventType = event_code;
  }
  if (isObj(actor)) out.actor = actorRc2(actor);
  if (isObj(api)) {
    const a: Obj = { ...api };
    for (const [side, key] of [
      ['request', 'requestParameters'],
      ['response', 'responseElements'],
    ] as const) {
      const part = api[side];
      if (!isObj(part)) continue;
      const { data, ...keep } = part;
      if (typeof data === 'string') {
        unmapped[key] = data;
        flatten(key, JSON.parse(data), unmapped);
      }
      // a part that only held the body is gone; an empty one stays (an empty struct, not NULL)
      if (Object.keys(keep).length > 0 || data === undefined) a[side] = keep;
      else delete a[side];
    }
    out.api = a;
  }
  if (isObj(user)) {
    const { uid, uid_alt, ...u } = user;
    out.user = withoutUndefined({ ...u, uid: uid_alt, uuid: uid });
  }
  if (is_mfa !== undefined) out.mfa = is_mfa;
  if (Array.isArray(resources)) {
    out.resources = resources.map((r: unknown) => {
      if (!isObj(r)) return r;
      const { owner, ...keep } = r;
      const account = isObj(owner) && isObj(owner.account) ? owner.account.uid : undefined;
      return withoutUndefined({ ...keep, account_uid: account });
    });
  }
  const c: Obj = isObj(cloud) ? { ...cloud } : {};
  const account =
    accountid ?? (isObj(actor) && isObj(actor.user) && isObj(actor.user.account) ? actor.user.account.uid : undefined);
  if (account !== undefined) c.account_uid = account;
  out.cloud = c;
  if (rest.status === 'Success') out.status_id = 1;
  else if (rest.status === 'Failure') out.status_id = 2;
  out.unmapped = unmapped;
  return out;
}
