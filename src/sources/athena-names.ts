import { z } from 'zod';

/**
 * The names and values a source's Athena configuration may hold, checked against strict
 * patterns: values (regions, accounts) become parameters, names become quoted identifiers, and
 * a bad one is refused naming its field, never quoted or escaped into something else.
 */

/** An AWS region name: `us-east-1`, `us-gov-west-1`, `ap-southeast-2`. */
export const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
/** A 12-digit AWS account id. */
export const ACCOUNT = /^\d{12}$/;
/**
 * A Glue database or table name as Athena takes it: lower-case letters, digits and `_`
 * (Athena lower-cases names; anything else would need quoting rules hunt does not guess at).
 */
export const IDENTIFIER = /^[a-z0-9_]{1,255}$/;

export const REGION_HINT = 'is not an AWS region name (e.g. us-east-1)';
export const ACCOUNT_HINT = 'is not a 12-digit AWS account id';
export const IDENTIFIER_HINT = 'is not a Glue name: 1-255 lower-case letters, digits or _';

export const regionSchema = z.string().regex(REGION, REGION_HINT);
export const accountSchema = z.string().regex(ACCOUNT, ACCOUNT_HINT);
export const identifierSchema = z.string().regex(IDENTIFIER, IDENTIFIER_HINT);
/** `table` or `database.table` */
export const qualifiedSchema = z
  .string()
  .regex(
    /^[a-z0-9_]{1,255}(\.[a-z0-9_]{1,255})?$/,
    'is not a Glue table name (table or database.table; lower-case letters, digits or _)',
  );

export const nonEmptyList = <T extends z.ZodTypeAny>(item: T, what: string) =>
  z.array(item).min(1, `list at least one ${what}, or leave the key out`);

// The configuration is validated when it is read; these checks make sure no name or value
// reaches a storage target unchecked, whoever builds the configuration.
export function checkedName(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`${JSON.stringify(name)} ${IDENTIFIER_HINT}`);
  return name;
}

export function checkedRegion(region: string): string {
  if (!REGION.test(region)) throw new Error(`${JSON.stringify(region)} ${REGION_HINT}`);
  return region;
}

export function checkedAccount(account: string): string {
  if (!ACCOUNT.test(account)) throw new Error(`${JSON.stringify(account)} ${ACCOUNT_HINT}`);
  return account;
}
