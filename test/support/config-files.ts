/** Configuration files for config tests: write a text, load it, or get the error it is refused with. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { ConfigError, loadConfig, type HuntConfig } from '../../src/config/config.js';

export interface ConfigFiles {
  /** writes `text` to a fresh file; returns its path */
  file(text: string): string;
  load(text: string): HuntConfig;
  /** the error the text is refused with, without the file name it must start with */
  refusal(text: string): string;
}

export function configFiles(prefix: string): ConfigFiles {
  const dir = mkdtempSync(join(tmpdir(), `hunt-${prefix}-`));
  let n = 0;
  const file = (text: string): string => {
    const f = join(dir, `c${n++}.yaml`);
    writeFileSync(f, text);
    return f;
  };
  return {
    file,
    load: (text) => loadConfig(file(text), {}),
    refusal: (text) => {
      const f = file(text);
      try {
        loadConfig(f, {});
      } catch (err) {
        expect(err).toBeInstanceOf(ConfigError);
        const message = (err as Error).message;
        expect(message.startsWith(`${f}: `), message).toBe(true);
        return message.slice(f.length + 2);
      }
      throw new Error(`config was accepted:\n${text}`);
    },
  };
}
