// Links the app may hand to the system browser. Anything else is dropped: shell.openExternal with an
// attacker's URL can start other programs (custom schemes, file://, smb://).
export const EXTERNAL_HOSTS = new Set([
  'docs.oasis-open.org', 'mqtt.org', 'github.com', 'mosquitto.org', 'www.wireshark.org', 'www.rfc-editor.org',
]);

export function isAllowedExternal(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' && !u.username && !u.password && u.port === '' && EXTERNAL_HOSTS.has(u.hostname);
  } catch {
    return false;
  }
}
