// Payload decoders, one file each; import from here.
export * from './text';
export * from './json';
export * from './hex';
export * from './base64';
export * from './detect';
