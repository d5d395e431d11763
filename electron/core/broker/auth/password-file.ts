// mosquitto's password_file: "user:$6$salt$hash" (SHA-512 of password + salt, mosquitto 1.x) and
// "user:$7$iterations$salt$hash" (PBKDF2-HMAC-SHA512, mosquitto 2.x), salt 12 bytes and hash 64 bytes,
// both base64. mosquitto drops any other entry; MQScope also takes a plain "user:password" line (for
// quick test setups) and says that mosquitto would not.
import { createHash, pbkdf2, timingSafeEqual } from 'node:crypto';

export type PasswordEntry =
  | { kind: 'sha512'; salt: Buffer; hash: Buffer }
  | { kind: 'pbkdf2'; iterations: number; salt: Buffer; hash: Buffer }
  | { kind: 'plain'; password: Buffer };

export interface PasswordFile {
  users: Map<string, PasswordEntry>;
  warnings: string[];
}

const B64 = /^[A-Za-z0-9+/]*={0,2}$/;

export function parsePasswordFile(text: string, name: string): PasswordFile {
  const users = new Map<string, PasswordEntry>();
  const warnings: string[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].replace(/\r$/, '');
    const at = `${name}:${i + 1}`;
    // Like mosquitto: comments start in column 0; a line without ':' is skipped.
    if (line.startsWith('#') || !line.includes(':')) continue;
    const colon = line.indexOf(':');
    const user = line.slice(0, colon).trim();
    // The password field ends at the next ':' (mosquitto splits with strtok on ':').
    const secret = line.slice(colon + 1).split(':')[0].trim();
    if (!user) { warnings.push(`${at}: empty username; entry ignored`); continue; }
    if (!secret) { warnings.push(`${at}: no password for user "${user}"; entry ignored`); continue; }
    const entry = parseSecret(secret);
    if (typeof entry === 'string') { warnings.push(`${at}: user "${user}": ${entry}; entry ignored`); continue; }
    if (entry.kind === 'plain') warnings.push(`${at}: user "${user}" has a plain-text password; MQScope accepts it, mosquitto would drop this entry (hash it with mosquitto_passwd -U)`);
    users.set(user, entry);
  }
  return { users, warnings };
}

function parseSecret(secret: string): PasswordEntry | string {
  if (!secret.startsWith('$')) return { kind: 'plain', password: Buffer.from(secret) };
  const parts = secret.split('$').slice(1);
  const kind = parts[0];
  if (kind !== '6' && kind !== '7') return `unknown hash type "$${kind}$" (mosquitto uses $6$ and $7$)`;
  let iterations = 0;
  if (kind === '7') {
    iterations = Number(parts.splice(1, 1)[0]);
    if (!Number.isInteger(iterations) || iterations < 1) return 'invalid PBKDF2 iteration count';
    if (iterations > 10_000_000) return `PBKDF2 iteration count ${iterations} is too large`;
  }
  const [, saltB64, hashB64] = parts;
  if (!saltB64 || !B64.test(saltB64)) return 'invalid salt';
  if (!hashB64 || !B64.test(hashB64)) return 'invalid hash';
  const salt = Buffer.from(saltB64, 'base64');
  const hash = Buffer.from(hashB64, 'base64');
  if (salt.length !== 12) return `salt must be 12 bytes, got ${salt.length}`;
  if (hash.length !== 64) return `hash must be 64 bytes, got ${hash.length}`;
  return kind === '6' ? { kind: 'sha512', salt, hash } : { kind: 'pbkdf2', iterations, salt, hash };
}

export async function verifyPassword(entry: PasswordEntry, password: Buffer): Promise<boolean> {
  let got: Buffer;
  let want: Buffer;
  if (entry.kind === 'plain') {
    got = password;
    want = entry.password;
  } else if (entry.kind === 'sha512') {
    got = createHash('sha512').update(password).update(entry.salt).digest();
    want = entry.hash;
  } else {
    // Asynchronous: a large iteration count must not stall every other connection.
    got = await new Promise<Buffer>((resolve, reject) => pbkdf2(password, entry.salt, entry.iterations, 64, 'sha512', (e, k) => (e ? reject(e) : resolve(k))));
    want = entry.hash;
  }
  return got.length === want.length && timingSafeEqual(got, want);
}
