// What a client asked for in its CONNECT, kept for the Broker view (aedes does not keep all of it).
export interface ConnectFacts {
  keepalive: number;
  clean: boolean;
  sessionExpiry?: number;
  username?: string;
  will?: { topic: string; qos: number; retain: boolean; size: number };
}

export function connectFacts(packet: any): ConnectFacts {
  if (!packet) return { keepalive: 0, clean: true };
  const will = packet.will;
  return {
    keepalive: packet.keepalive ?? 0,
    clean: packet.clean !== false,
    sessionExpiry: packet.properties?.sessionExpiryInterval,
    username: packet.username,
    will: will ? { topic: will.topic, qos: will.qos ?? 0, retain: !!will.retain, size: will.payload?.length ?? 0 } : undefined,
  };
}
