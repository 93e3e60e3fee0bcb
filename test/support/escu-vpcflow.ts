/**
 * ESCU's "Detect Spike in blocked Outbound Traffic from your AWS" (escu-more), read in place, and
 * its parts tested on their own: the search with its `[search ...]` subsearch cut
 * out (`outer`), and the subsearch up to its lookups (`counting`).
 */
import { loadDetection } from '../../src/detections/load.js';
import { LayeredMacros, loadMacroDir } from '../../src/detections/macros.js';
import { shared } from './shared.js';

export const spikeDetection = loadDetection(
  shared('escu-more', 'detections', 'detect_spike_in_blocked_outbound_traffic_from_your_aws.yml'),
);

/** escu-more's macros (cloudwatchlogs_vpcflow), then the shipped ones. */
export const escuMoreMacros = new LayeredMacros([
  loadMacroDir(shared('escu-more', 'macros')),
  loadMacroDir('detections/macros'),
]);

function split(search: string): { outer: string; inner: string } {
  const start = search.indexOf('[search');
  let depth = 0;
  for (let i = start; start >= 0 && i < search.length; i++) {
    if (search[i] === '[') depth++;
    if (search[i] === ']' && --depth === 0)
      return { outer: search.slice(0, start) + search.slice(i + 1), inner: search.slice(start + 1, i) };
  }
  throw new Error('no [search ...] subsearch');
}

const parts = split(spikeDetection.search);
const body = parts.inner.replace(/^search\s+/, '');

export const spikeSearches = {
  outer: parts.outer,
  counting: body.slice(0, body.indexOf('| inputlookup')),
};
