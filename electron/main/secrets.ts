// Passwords in saved profiles go through the OS keychain (safeStorage) when it is available.
import { safeStorage } from 'electron';
import type { SecretBox } from '../core/docs/doc-store';
import { plainSecrets } from '../core/docs/doc-store';

export function safeStorageBox(): SecretBox {
  if (!safeStorage.isEncryptionAvailable()) return plainSecrets;
  return {
    kind: 'safeStorage',
    encrypt: (s) => safeStorage.encryptString(s).toString('base64'),
    decrypt: (s) => safeStorage.decryptString(Buffer.from(s, 'base64')),
  };
}
