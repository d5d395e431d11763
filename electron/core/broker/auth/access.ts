// Who may connect, subscribe, publish and receive: the broker's hooks into aedes' authenticate /
// authorizeSubscribe / authorizePublish / authorizeForward, built from a BrokerConfig (the single
// user/password of the Broker view, a mosquitto password_file, allow_anonymous, a mosquitto acl_file).
import { timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { AuthenticateHandler, Client } from 'aedes';
import mqtt from 'mqtt-packet';
import type { BrokerConfig } from '../../../../shared/contract/types';
import { READ, WRITE, parseAclFile, rulesFor, subscriptionAllowed, topicAllowed, type AclFile, type ClientRules } from './acl-file';
import { parsePasswordFile, verifyPassword, type PasswordEntry } from './password-file';

type Done = (err: Error | null, ok?: any) => void;

export interface AccessFiles {
  users: Map<string, PasswordEntry> | null;
  acl: AclFile | null;
  warnings: string[];
  errors: string[];
}

/** Reads and checks password_file and acl_file; problems name the file and line. */
export async function loadAccessFiles(config: BrokerConfig): Promise<AccessFiles> {
  const out: AccessFiles = { users: null, acl: null, warnings: [], errors: [] };
  const read = async (p: string, what: string) => {
    try { return await readFile(p, 'utf8'); } catch (e) {
      out.errors.push(`${what} ${p}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (e as Error).message}`);
      return null;
    }
  };
  if (config.passwordFile) {
    const text = await read(config.passwordFile, 'password_file');
    if (text !== null) {
      const pw = parsePasswordFile(text, config.passwordFile);
      out.users = pw.users;
      out.warnings.push(...pw.warnings);
    }
  }
  if (config.aclFile) {
    const text = await read(config.aclFile, 'acl_file');
    if (text !== null) {
      const r = parseAclFile(text, config.aclFile);
      out.acl = r.acl;
      out.warnings.push(...r.warnings);
      out.errors.push(...r.errors);
    }
  }
  return out;
}

export class Access {
  private rules = new WeakMap<object, ClientRules>();

  private constructor(private config: BrokerConfig, private files: AccessFiles) {}

  /** Throws (the broker does not start) when a file is missing or has a wrong line. */
  static async load(config: BrokerConfig): Promise<Access> {
    const files = await loadAccessFiles(config);
    if (files.errors.length) throw new Error(files.errors.join('; '));
    return new Access(config, files);
  }

  get hasAcl(): boolean { return this.files.acl !== null; }

  authenticate: AuthenticateHandler = (client, username, password, done) => {
    this.decide(username, password).then((code) => {
      if (code === 0) {
        if (this.files.acl) this.rules.set(client, rulesFor(this.files.acl, { id: client.id, username }));
        return done(null, true);
      }
      done(Object.assign(new Error(code === 4 ? 'bad username or password' : 'not authorized'), { returnCode: code }), null);
    }, (e) => done(Object.assign(e as Error, { returnCode: 5 as const }), null));
  };

  /** CONNACK return code: 0 accepted; 5 not authorized (mosquitto's answer, v5 0x87); 4 for the single user. */
  private async decide(username: string | undefined, password: Buffer | undefined): Promise<0 | 4 | 5> {
    const { auth, allowAnonymous } = this.config;
    const users = this.files.users;
    if (username === undefined) return (allowAnonymous ?? (!auth && !users)) ? 0 : 5;
    if (auth && username === auth.username) {
      return password !== undefined && safeEqual(password, Buffer.from(auth.password)) ? 0 : 4;
    }
    if (users) {
      const entry = users.get(username);
      if (!entry || password === undefined) return 5;
      return (await verifyPassword(entry, password)) ? 0 : 5;
    }
    return auth ? 4 : 0;
  }

  private rulesOf(client: Client): ClientRules {
    let r = this.rules.get(client);
    if (!r) { r = rulesFor(this.files.acl!, { id: client.id }); this.rules.set(client, r); }
    return r;
  }

  authorizeSubscribe = (client: Client, sub: { topic: string }, done: Done): void => {
    if (!this.files.acl || subscriptionAllowed(this.rulesOf(client), sub.topic)) return done(null, sub);
    done(null, null); // aedes answers 0x80 (3.1.1) / 0x87 (v5) in the SUBACK
  };

  /**
   * A refused publish is not forwarded or retained. v5: aedes answers QoS 1/2 with 0x87. 3.1.1 has no
   * code for it, so (like mosquitto) the PUBACK / PUBREC is sent as if all went well and the message
   * dropped; aedes would otherwise close the connection.
   */
  authorizePublish(client: Client | null, packet: any, done: (err?: Error | null) => void): void {
    if (!this.files.acl || !client || topicAllowed(this.rulesOf(client), packet.topic, WRITE)) return done(null);
    const err = Object.assign(new Error(`not authorized to publish to ${packet.topic}`), { keepsConnection: true });
    // v5, and a will (published after its client has gone): refuse; aedes then drops it.
    const c = client as Client & { closed?: boolean; connected?: boolean };
    if (client.version === 5 || c.closed || !c.connected) return done(err);
    // aedes skips a packet flagged this way (lib/handlers/publish.js enqueuePublish).
    packet._notAuthorized = true;
    if (packet.qos > 0 && client.conn && !client.conn.destroyed) {
      mqtt.writeToStream({ cmd: packet.qos === 1 ? 'puback' : 'pubrec', messageId: packet.messageId }, client.conn, { protocolVersion: client.version ?? 4 });
    }
    done(null);
  }

  authorizeForward = (client: Client, packet: any): any => {
    if (!this.files.acl || topicAllowed(this.rulesOf(client), packet.topic, READ)) return packet;
    return null;
  };
}

function safeEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
