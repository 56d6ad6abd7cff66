/** Self-signed CA + server certificate for the simulator, cached under stateDir so kubeconfigs stay valid. */
import { X509Certificate, createPublicKey, createPrivateKey } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import { generate } from 'selfsigned';

type TlsMaterial = { caCert: string; caPath: string; cert: string; key: string };

const DAY = 24 * 60 * 60 * 1000;

function writeAtomic(file: string, data: string, mode = 0o600): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, data, { mode });
  renameSync(tmp, file);
}

function readIf(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function stillValid(pem: string | undefined, minRemainingMs: number): X509Certificate | undefined {
  if (!pem) return undefined;
  try {
    const c = new X509Certificate(pem);
    const now = Date.now();
    if (Date.parse(c.validFrom) > now || Date.parse(c.validTo) - now < minRemainingMs) return undefined;
    return c;
  } catch {
    return undefined;
  }
}

function keyMatches(cert: X509Certificate, keyPem: string | undefined): boolean {
  if (!keyPem) return false;
  try {
    const pub = createPublicKey(createPrivateKey(keyPem)).export({ type: 'spki', format: 'der' });
    return pub.equals(cert.publicKey.export({ type: 'spki', format: 'der' }));
  } catch {
    return false;
  }
}

function coversHosts(cert: X509Certificate, hosts: string[]): boolean {
  return hosts.every((h) => (isIP(h) ? cert.checkIP(h) !== undefined : cert.checkHost(h) !== undefined));
}

export async function ensureTls(stateDir: string, extraHosts: string[] = []): Promise<TlsMaterial> {
  mkdirSync(stateDir, { recursive: true });
  const caPath = path.join(stateDir, 'ca.crt');
  const caKeyPath = path.join(stateDir, 'ca.key');
  const certPath = path.join(stateDir, 'server.crt');
  const keyPath = path.join(stateDir, 'server.key');
  const hosts = [...new Set(['127.0.0.1', 'localhost', '::1', ...extraHosts.filter((h) => h !== '' && h !== '0.0.0.0' && h !== '::')])];

  let caCertPem = readIf(caPath);
  let caKeyPem = readIf(caKeyPath);
  let ca = stillValid(caCertPem, 30 * DAY);
  if (!ca || !keyMatches(ca, caKeyPem)) {
    const notBeforeDate = new Date(Date.now() - DAY);
    const gen = await generate(
      [
        { name: 'commonName', value: 'meshglass-demo-ca' },
        { name: 'organizationName', value: 'Meshglass demo' },
      ],
      {
        keyType: 'ec',
        curve: 'P-256',
        algorithm: 'sha256',
        notBeforeDate,
        notAfterDate: new Date(notBeforeDate.getTime() + 3650 * DAY),
        extensions: [
          { name: 'basicConstraints', cA: true, critical: true },
          { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
        ],
      },
    );
    caCertPem = gen.cert;
    caKeyPem = gen.private;
    writeAtomic(caKeyPath, caKeyPem);
    writeAtomic(caPath, caCertPem, 0o644);
    ca = new X509Certificate(caCertPem);
  }

  let certPem = readIf(certPath);
  let keyPem = readIf(keyPath);
  const cert = stillValid(certPem, 7 * DAY);
  const ok = cert && keyMatches(cert, keyPem) && cert.verify(ca.publicKey) && coversHosts(cert, hosts);
  if (!ok) {
    const notBeforeDate = new Date(Date.now() - DAY);
    const gen = await generate([{ name: 'commonName', value: 'meshglass-kube-sim' }], {
      keyType: 'ec',
      curve: 'P-256',
      algorithm: 'sha256',
      notBeforeDate,
      notAfterDate: new Date(notBeforeDate.getTime() + 825 * DAY),
      ca: { key: caKeyPem!, cert: caCertPem! },
      extensions: [
        { name: 'basicConstraints', cA: false },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
        { name: 'extKeyUsage', serverAuth: true },
        {
          name: 'subjectAltName',
          altNames: [
            ...hosts.filter((h) => !isIP(h)).map((value) => ({ type: 2 as const, value })),
            ...hosts.filter((h) => isIP(h)).map((ip) => ({ type: 7 as const, ip })),
            { type: 2 as const, value: 'kubernetes.default.svc' },
          ],
        },
      ],
    });
    certPem = gen.cert;
    keyPem = gen.private;
    writeAtomic(keyPath, keyPem);
    writeAtomic(certPath, certPem, 0o644);
  }
  if (!existsSync(caPath)) throw new Error(`CA certificate missing at ${caPath}`);
  return { caCert: caCertPem!, caPath, cert: certPem!, key: keyPem! };
}
