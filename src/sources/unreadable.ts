/**
 * Sourcetypes ESCU content names that hunt deliberately does not read, each with why: a search
 * naming one is refused with the reason instead of "not supported". Data only.
 */
export const UNREADABLE_SOURCETYPES: Readonly<Record<string, string>> = {
  // ESCU: detect_s3_access_from_a_new_ip. Compared field by field with Security Lake's S3 table.
  'aws:s3:accesslogs':
    "S3 server access logs are in no Security Lake table: Security Lake's S3 table (s3_data) holds " +
    'CloudTrail S3 data events, which have no HTTP status (http_status), no request URI (request_uri) ' +
    'and name operations by API (GetObject), not as the access log does (REST.GET.OBJECT); for S3 access ' +
    'by address search the CloudTrail data events (sourcetype aws:cloudtrail, eventSource=s3.amazonaws.com)',
};

/** Why hunt does not read `sourcetype`, or undefined when it is not a known unreadable one. */
export function unreadableReason(sourcetype: string): string | undefined {
  return UNREADABLE_SOURCETYPES[sourcetype.toLowerCase()];
}

/**
 * The first `sourcetype=<unreadable>` in a search's (macro-expanded) text, with why and where:
 * looked for in the text, before parsing, so the reason is given even where the search also
 * uses commands hunt cannot parse (ESCU's S3 detection: a lookup subsearch and iplocation).
 */
export function findUnreadable(text: string): { message: string; start: number; end: number } | undefined {
  for (const m of text.matchAll(/\bsourcetype\s*=\s*"?([\w:.-]+)"?/gi)) {
    const name = m[1] ?? '';
    const reason = unreadableReason(name);
    if (reason)
      return { message: `sourcetype ${name} cannot be read: ${reason}`, start: m.index, end: m.index + m[0].length };
  }
  return undefined;
}
