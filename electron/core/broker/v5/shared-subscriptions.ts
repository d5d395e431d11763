// Shared subscriptions `$share/{group}/{filter}` for v5 and, with the same syntax, 3.1.1 clients
// [MQTT-4.8.2]. aedes routes every subscription through `broker.subscribe(topic, func)`; this layer takes
// the `$share/` ones and puts one dispatcher per (group, filter) on the router instead, which hands each
// message to one member, round robin. Each member's own delivery function applies its granted QoS, so QoS
// is per member [MQTT-4.8.2-3]. A member that disconnects with a session kept stays in the group as an
// offline member: when no member is connected, a QoS 1/2 message is queued in one offline member's session
// instead of being lost [MQTT-4.8.2-4 .. -6].
import AedesPacket from 'aedes-packet';

// aedes-packet's typings describe an interface, but the module is the constructor aedes itself uses.
const Packet = AedesPacket as unknown as new (original: any, broker?: unknown) => any;

type Deliver = ((packet: any, cb: () => void) => void) & { client?: MemberClient; qos?: number };
interface MemberClient { id: string; clean: boolean; closed: boolean; connected: boolean }
interface Group {
  filter: string;
  online: Deliver[];
  /** clientId → granted QoS of members whose session outlives their connection. */
  offline: Map<string, number>;
  next: number;
  nextOffline: number;
  dispatch: (packet: any, cb: () => void) => void;
}

interface AedesLike {
  subscribe(topic: string, func: Deliver, done?: (err?: Error) => void): void;
  unsubscribe(topic: string, func: Deliver, done?: (err?: Error) => void): void;
  persistence: { outgoingEnqueue(sub: { clientId: string }, packet: any): Promise<void>; cleanSubscriptions(client: { id: string }): Promise<void> };
  mq: { on(topic: string, f: any, done?: () => void): void; removeListener(topic: string, f: any, done?: () => void): void };
}

const PREFIX = '$share/';

export function splitShared(topic: string): { group: string; filter: string } | null {
  if (!topic.startsWith(PREFIX)) return null;
  const slash = topic.indexOf('/', PREFIX.length);
  if (slash < 0) return null;
  return { group: topic.slice(PREFIX.length, slash), filter: topic.slice(slash + 1) };
}

export class SharedSubscriptions {
  private groups = new Map<string, Group>();

  constructor(private aedes: AedesLike) {
    const subscribe = aedes.subscribe.bind(aedes);
    const unsubscribe = aedes.unsubscribe.bind(aedes);
    aedes.subscribe = (topic, func, done) => (topic.startsWith(PREFIX) ? this.add(topic, func, done) : subscribe(topic, func, done));
    aedes.unsubscribe = (topic, func, done) => (topic.startsWith(PREFIX) ? this.remove(topic, func, done) : unsubscribe(topic, func, done));
    // A session that ends (clean start, expiry) leaves every group it was an offline member of.
    const clean = aedes.persistence.cleanSubscriptions.bind(aedes.persistence);
    aedes.persistence.cleanSubscriptions = async (client) => {
      for (const [key, g] of this.groups) {
        if (g.offline.delete(client.id)) this.dropIfEmpty(key, g);
      }
      return clean(client);
    };
  }

  /** For the Broker view and tests: the groups and their members. */
  describe(): { group: string; filter: string; online: string[]; offline: string[] }[] {
    return [...this.groups.entries()].map(([key, g]) => ({
      group: key.slice(0, key.indexOf('\0')), filter: g.filter,
      online: g.online.map((m) => m.client?.id ?? '?'), offline: [...g.offline.keys()],
    }));
  }

  private add(topic: string, func: Deliver, done?: (err?: Error) => void): void {
    const parts = splitShared(topic)!;
    const key = `${parts.group}\0${parts.filter}`;
    let g = this.groups.get(key);
    const fresh = !g;
    if (!g) {
      g = { filter: parts.filter, online: [], offline: new Map(), next: 0, nextOffline: 0, dispatch: () => {} };
      const group = g;
      g.dispatch = (packet, cb) => this.dispatch(group, packet, cb);
      this.groups.set(key, g);
    }
    const id = func.client?.id;
    if (id !== undefined) {
      g.offline.delete(id);
      g.online = g.online.filter((m) => m.client?.id !== id);
    }
    g.online.push(func);
    if (fresh) this.aedes.mq.on(parts.filter, g.dispatch, () => done?.());
    else done?.();
  }

  private remove(topic: string, func: Deliver, done?: (err?: Error) => void): void {
    const parts = splitShared(topic)!;
    const key = `${parts.group}\0${parts.filter}`;
    const g = this.groups.get(key);
    if (g) {
      g.online = g.online.filter((m) => m !== func);
      const c = func.client;
      // closing with a session kept: still a member, offline [MQTT-4.8.2-4]
      if (c && c.closed && !c.clean) g.offline.set(c.id, func.qos ?? 0);
      this.dropIfEmpty(key, g);
    }
    done?.();
  }

  private dropIfEmpty(key: string, g: Group): void {
    if (g.online.length === 0 && g.offline.size === 0) {
      this.groups.delete(key);
      this.aedes.mq.removeListener(g.filter, g.dispatch);
    }
  }

  private dispatch(g: Group, packet: any, cb: () => void): void {
    // '$' topics never reach a filter that starts with a wildcard [MQTT-4.7.2-1]
    if (packet.topic.charCodeAt(0) === 36 && (g.filter[0] === '#' || g.filter[0] === '+')) return cb();
    const n = g.online.length;
    for (let i = 0; i < n; i++) {
      const member = g.online[(g.next + i) % n];
      const c = member.client;
      if (c && (c.closed || !c.connected)) continue;
      g.next = (g.next + i + 1) % n;
      // A copy with its own counter: it is one delivery of its own, and a stored copy is matched by it.
      const copy = new Packet({ ...packet, brokerCounter: 0 }, this.aedes as any);
      if (c && !c.clean && Math.min(packet.qos, member.qos ?? 0) > 0) {
        this.aedes.persistence.outgoingEnqueue({ clientId: c.id }, { ...copy, qos: Math.min(packet.qos, member.qos ?? 0) })
          .then(() => member(copy, cb), () => member(copy, cb));
      } else {
        member(copy, cb);
      }
      return;
    }
    // No member connected: a QoS 1/2 message waits in one offline member's session.
    if (packet.qos > 0 && g.offline.size > 0) {
      const ids = [...g.offline.keys()];
      const id = ids[g.nextOffline++ % ids.length];
      const qos = Math.min(packet.qos, g.offline.get(id)!);
      if (qos > 0) {
        const copy = new Packet({ ...packet, brokerCounter: 0, qos }, this.aedes as any);
        this.aedes.persistence.outgoingEnqueue({ clientId: id }, copy).then(() => cb(), () => cb());
        return;
      }
    }
    cb();
  }
}
