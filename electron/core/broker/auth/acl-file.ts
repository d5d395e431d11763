// mosquitto's acl_file, read and checked the way mosquitto 2.0 does (src/security_default.c):
// - "user NAME" starts a user's section; "topic" lines before any user apply to anonymous clients;
// - "topic [read|write|readwrite|deny] FILTER" (no access word: readwrite); "pattern ..." the same with
//   %c (client id) and %u (username), for every client;
// - a client's own "topic" rules are checked first, then the patterns; within each list the deny rules
//   come first; the first rule that matches and grants the access (or denies) decides; nothing: denied;
// - "$" topics only match rules that start with "$"; patterns refuse clients whose id or username holds
//   "+" or "#"; $SYS cannot be written and "$share/..." is not a topic.
import { validateTopicFilter } from '../../../../shared/mqtt/topic';

export const READ = 1;
export const WRITE = 2;

interface Rule { filter: string; access: number; line: number }

export interface AclFile {
  /** Per username; the key null holds the rules before any "user" line (anonymous clients). */
  users: Map<string | null, Rule[]>;
  patterns: Rule[];
}

export interface AclClient { id: string; username?: string }

export function parseAclFile(text: string, name: string): { acl: AclFile; errors: string[]; warnings: string[] } {
  const acl: AclFile = { users: new Map(), patterns: [] };
  const errors: string[] = [];
  const warnings: string[] = [];
  let user: string | null = null;
  const lines = text.split('\n');
  // Deny rules go to the front of their list, so a deny anywhere in a section wins over a grant.
  const add = (list: Rule[], r: Rule) => { if (r.access === 0) list.unshift(r); else list.push(r); };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].replace(/\s+$/, '');
    const at = `${name}:${i + 1}`;
    if (line.startsWith('#')) continue;
    const body = line.trimStart();
    if (!body) continue;
    const [key] = body.split(/[ \t]+/, 1);
    const rest = body.slice(key.length).trim();
    if (key === 'user') {
      if (!rest) { errors.push(`${at}: "user" needs a username`); continue; }
      user = rest;
    } else if (key === 'topic' || key === 'pattern') {
      if (!rest) { errors.push(`${at}: "${key}" needs a topic filter`); continue; }
      const [first] = rest.split(/[ \t]+/, 1);
      let filter = rest.slice(first.length).trim();
      let access = READ | WRITE;
      if (!filter) filter = first; // "topic a/b": read and write, as mosquitto reads it
      else if (first === 'read') access = READ;
      else if (first === 'write') access = WRITE;
      else if (first === 'readwrite') access = READ | WRITE;
      else if (first === 'deny') access = 0;
      else { errors.push(`${at}: access must be read, write, readwrite or deny, got "${first}"`); continue; }
      const problem = validateTopicFilter(filter);
      if (problem) { errors.push(`${at}: invalid topic filter "${filter}": ${problem}`); continue; }
      if (key === 'pattern') {
        if (!filter.includes('%c') && !filter.includes('%u')) warnings.push(`${at}: pattern "${filter}" has neither %c nor %u`);
        add(acl.patterns, { filter, access, line: i + 1 });
      } else {
        if (!acl.users.has(user)) acl.users.set(user, []);
        add(acl.users.get(user)!, { filter, access, line: i + 1 });
      }
    } else {
      errors.push(`${at}: expected "user", "topic" or "pattern", got "${key}"`);
    }
  }
  return { acl, errors, warnings };
}

interface Compiled extends Rule { levels: string[]; dollar: boolean }

/** The rules that apply to one client, patterns expanded once (id and username do not change). */
export interface ClientRules {
  own: Compiled[] | undefined;
  patterns: Compiled[];
  refuseAll: boolean;
  /** Decisions per topic (read and write apart): a client sees few distinct topics, and this runs per message. */
  cache: [Map<string, boolean>, Map<string, boolean>];
}

const CACHE_MAX = 4096;
const compile = (r: Rule): Compiled => ({ ...r, levels: r.filter.split('/'), dollar: r.filter.startsWith('$') });

export function rulesFor(acl: AclFile, c: AclClient): ClientRules {
  const own = acl.users.get(c.username ?? null)?.map(compile);
  const dangerous = acl.patterns.length > 0 && (/[+#]/.test(c.username ?? '') || /[+#]/.test(c.id));
  const patterns = dangerous ? [] : acl.patterns
    .filter((r) => c.username !== undefined || !r.filter.includes('%u'))
    .map((r) => compile({ ...r, filter: expand(r.filter, c) }));
  return { own, patterns, refuseAll: dangerous || (!own && acl.patterns.length === 0), cache: [new Map(), new Map()] };
}

function expand(filter: string, c: AclClient): string {
  return filter.replace(/%([cu])/g, (m, k) => (k === 'c' ? c.id : c.username ?? m));
}

/** May this client publish to (WRITE) or receive from (READ) this topic name? */
export function topicAllowed(rules: ClientRules, topic: string, access: number): boolean {
  const cache = rules.cache[access === READ ? 0 : 1];
  const known = cache.get(topic);
  if (known !== undefined) return known;
  const allowed = decide(rules, topic, access);
  if (cache.size >= CACHE_MAX) cache.clear();
  cache.set(topic, allowed);
  return allowed;
}

function decide(rules: ClientRules, topic: string, access: number): boolean {
  if (topic.startsWith('$SYS') && access === WRITE) return false;
  if (topic.startsWith('$share')) return false;
  if (rules.refuseAll) return false;
  const levels = topic.split('/');
  const dollar = topic.startsWith('$');
  for (const list of [rules.own ?? [], rules.patterns]) {
    for (const r of list) {
      if (dollar && !r.dollar) continue;
      if (!levelsMatch(r.levels, levels)) continue;
      if (r.access === 0) return false;
      if (r.access & access) return true;
    }
  }
  return false;
}

/** MQTT filter matching on split levels ("a/#" also matches "a"); "$" topics are sorted out by the caller. */
function levelsMatch(f: string[], t: string[]): boolean {
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#') return true;
    if (i >= t.length || (f[i] !== '+' && f[i] !== t[i])) return false;
  }
  return f.length === t.length;
}

/**
 * Is a subscription worth granting? mosquitto 2.0.11 grants every subscription and then filters each
 * message; MQScope refuses (0x80 / 0x87) one that can never deliver a message: no read rule overlaps the
 * filter, or a deny rule covers all of it. Every message is still checked on its way out.
 */
export function subscriptionAllowed(rules: ClientRules, filter: string): boolean {
  if (rules.refuseAll) return false;
  const f = filter.startsWith('$share/') ? filter.slice(filter.indexOf('/', 7) + 1) : filter;
  const applies = (r: Rule) => !(f.startsWith('$') && !r.filter.startsWith('$'));
  const check = (list: Compiled[]): 'deny' | 'read' | null => {
    for (const r of list) {
      if (!applies(r)) continue;
      if (r.access === 0 && covers(r.filter, f)) return 'deny';
      if (r.access & READ && overlaps(r.filter, f)) return 'read';
    }
    return null;
  };
  const own = check(rules.own ?? []);
  if (own) return own === 'read';
  return check(rules.patterns) === 'read';
}

const levels = (f: string) => f.split('/');

/** Is there a topic name that both filters match? */
export function overlaps(a: string, b: string): boolean {
  const x = levels(a);
  const y = levels(b);
  // A first-level wildcard never matches a "$" topic [MQTT-4.7.2-1].
  const dollar = (l: string) => l.startsWith('$');
  if ((dollar(x[0]) && (y[0] === '+' || y[0] === '#')) || (dollar(y[0]) && (x[0] === '+' || x[0] === '#'))) return false;
  for (let i = 0; ; i++) {
    if (x[i] === '#' || y[i] === '#') return true;
    if (i >= x.length && i >= y.length) return true;
    if (i >= x.length || i >= y.length) return false;
    if (x[i] !== '+' && y[i] !== '+' && x[i] !== y[i]) return false;
  }
}

/** Does every topic name that `inner` matches also match `outer`? */
export function covers(outer: string, inner: string): boolean {
  const o = levels(outer);
  const n = levels(inner);
  if ((o[0] === '+' || o[0] === '#') && n[0].startsWith('$')) return false;
  for (let i = 0; ; i++) {
    if (o[i] === '#') return true;
    if (i >= o.length && i >= n.length) return true;
    if (i >= o.length || i >= n.length) return false;
    if (n[i] === '#') return false;
    if (o[i] === '+') continue;
    if (n[i] === '+' || o[i] !== n[i]) return false;
  }
}
