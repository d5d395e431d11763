// CRC-32 (IEEE 802.3, the zip/PNG one). Node 20 has no zlib.crc32; a table is 1 KiB and fast enough for
// trace files (hundreds of MB/s).
const TABLE = (() => {
  const t = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  return t;
})();

export function crc32(b: Uint8Array, from = 0, to = b.length, seed = 0): number {
  let c = ~seed;
  for (let i = from; i < to; i++) c = TABLE[(c ^ b[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}
