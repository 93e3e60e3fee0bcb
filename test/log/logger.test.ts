import { PassThrough } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { createLogger } from '../../src/log/logger.js';

function capture(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

describe('log lines on a terminal', () => {
  const hostile = 'Evil\u001b[2J\u0007 \u202eexe.txt';

  test('pretty lines show control characters of the message and of fields escaped', () => {
    const out = capture();
    const log = createLogger({ format: 'pretty', destination: out.stream });
    log.warn({ detection: hostile, nested: { error: hostile } }, `run failed: ${hostile}`);
    log.flush();
    const text = out.text();
    expect(text).toContain('\\u001b[2J');
    expect(text).toContain('\\u202eexe.txt');
    // the message and both fields, escaped; nothing raw reaches the terminal
    expect(text.match(/\\u001b\[2J/g)).toHaveLength(3);
    expect(text).not.toMatch(/[\u0007\u001b\u202e]/);
  });

  test('pretty lines show the message and stack of an error escaped', () => {
    const out = capture();
    const log = createLogger({ format: 'pretty', destination: out.stream });
    log.error({ err: new Error(`engine said ${hostile}`) }, 'window failed');
    log.flush();
    const text = out.text();
    expect(text).toContain('\\u202eexe.txt');
    expect(text).not.toMatch(/[\u0007\u001b\u202e]/);
  });

  test('JSON lines carry the data itself (JSON escapes it once)', () => {
    const out = capture();
    const log = createLogger({ format: 'json', destination: out.stream });
    log.warn({ detection: hostile }, 'run failed');
    log.flush();
    expect(JSON.parse(out.text()).detection).toBe(hostile);
  });
});
