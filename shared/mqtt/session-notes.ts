// Trace events a client session writes that views act on, with one spelling for writer and reader.
// A QoS 2 PUBLISH whose packet id the session already received (PUBREC sent, no PUBREL yet) is a resend and
// is not delivered again [MQTT-4.3.3-2, method B]; views that list messages from the trace drop that frame.

const DUPLICATE = /^duplicate QoS 2 PUBLISH id (\d+): not delivered again/;

export function duplicateNotDelivered(packetId: number): string {
  return `duplicate QoS 2 PUBLISH id ${packetId}: not delivered again (already received, waiting for PUBREL) [MQTT-4.3.3-2]`;
}

/** The packet id a duplicate-not-delivered event names, or null for any other text. */
export function parseDuplicateNotDelivered(note: string | undefined): number | null {
  const m = note ? DUPLICATE.exec(note) : null;
  return m ? Number(m[1]) : null;
}
