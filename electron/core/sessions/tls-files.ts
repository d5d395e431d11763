// Read and check the TLS files a session names. Node silently skips CA entries it cannot parse (and then
// fails the handshake with a misleading "untrusted certificate"), so each file is parsed here first and
// a broken one is reported as what it is.
import { createPrivateKey, X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import { explainFileError, SessionError } from './errors';

type Kind = 'CA' | 'certificate' | 'key';

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

export function readTlsFile(filePath: string | undefined, kind: Kind): Buffer | undefined {
  if (!filePath) return undefined;
  let data: Buffer;
  try {
    data = fs.readFileSync(filePath);
  } catch (err) {
    throw new SessionError(explainFileError(err, kind, filePath), true);
  }
  try {
    if (kind === 'key') createPrivateKey(data);
    else checkCertificates(data);
  } catch (err) {
    const what = kind === 'key' ? 'a private key' : 'a certificate';
    throw new SessionError(`${kind} file ${filePath} is not valid PEM (expected ${what}): ${(err as Error).message}`, true);
  }
  return data;
}

function checkCertificates(data: Buffer): void {
  const blocks = data.toString('latin1').match(PEM_CERT);
  if (!blocks) {
    // Not PEM: accept a single DER certificate, which Node also takes.
    new X509Certificate(data);
    return;
  }
  for (const block of blocks) new X509Certificate(block);
}
