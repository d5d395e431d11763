// A mosquitto.conf from text (the Broker view's upload) or from disk (the CLI), checked as far as this
// machine can: the config lines, then the password_file and acl_file it names.
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { BrokerConfigParse } from '../../../../shared/contract/types';
import { loadAccessFiles } from '../auth/access';
import { parseMosquittoConf } from './mosquitto-conf';

export async function checkBrokerConfig(text: string, name: string, baseDir?: string): Promise<BrokerConfigParse> {
  const r = parseMosquittoConf(text, { name, baseDir });
  if (r.errors.length === 0) {
    const files = await loadAccessFiles(r.config);
    r.warnings.push(...files.warnings);
    r.errors.push(...files.errors);
    r.summary = {
      ...(files.users ? { passwordUsers: files.users.size } : {}),
      ...(files.acl ? {
        aclRules: files.acl.patterns.length + [...files.acl.users.values()].reduce((n, rules) => n + rules.length, 0),
        aclUsers: [...files.acl.users.keys()].filter((u) => u !== null).length,
      } : {}),
    };
  }
  return r;
}

export async function readBrokerConfigFile(file: string): Promise<BrokerConfigParse> {
  const path = resolve(file);
  let text: string;
  try { text = await readFile(path, 'utf8'); } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const r = parseMosquittoConf('', { name: file });
    r.errors.push(`${file}: ${code === 'ENOENT' ? 'file not found' : (e as Error).message}`);
    return r;
  }
  return checkBrokerConfig(text, file, dirname(path));
}
