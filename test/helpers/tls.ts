/**
 * A self-signed certificate for `127.0.0.1`, made with Node's crypto alone (no `openssl`
 * binary needed), so the test git servers can speak HTTPS: the mirror script refuses any
 * other transport. Tests hand the certificate to git through `GIT_SSL_CAINFO`.
 */
import * as crypto from 'node:crypto';

/** A PEM certificate and its PEM private key. */
export interface SelfSignedCertificate {
  readonly cert: string;
  readonly key: string;
}

let cached: SelfSignedCertificate | undefined;

/** A certificate for `127.0.0.1` and `localhost`, valid from yesterday for 30 days; one per process. */
export function selfSignedCertificate(): SelfSignedCertificate {
  if (!cached) {
    cached = createCertificate('127.0.0.1');
  }
  return cached;
}

/** A new self-signed certificate for `commonName` (127.0.0.1 and localhost as alternative names). */
export function createCertificate(commonName: string): SelfSignedCertificate {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const ecdsaWithSha256 = seq(oid('1.2.840.10045.4.3.2'));
  const name = seq(set(seq(oid('2.5.4.3'), tlv(0x0c, Buffer.from(commonName, 'utf8')))));
  const now = Date.now();
  const validity = seq(utcTime(new Date(now - 86_400_000)), utcTime(new Date(now + 30 * 86_400_000)));
  const subjectAltName = seq(
    tlv(0x87, Buffer.from([127, 0, 0, 1])), // iPAddress
    tlv(0x82, Buffer.from('localhost', 'ascii')), // dNSName
  );
  const extensions = seq(
    seq(oid('2.5.29.19'), tlv(0x01, Buffer.from([0xff])), octets(seq(tlv(0x01, Buffer.from([0xff]))))), // basicConstraints CA:TRUE, critical
    seq(oid('2.5.29.15'), tlv(0x01, Buffer.from([0xff])), octets(tlv(0x03, Buffer.from([0x05, 0xa0])))), // keyUsage digitalSignature, keyCertSign
    seq(oid('2.5.29.17'), octets(subjectAltName)),
  );
  const tbs = seq(
    tlv(0xa0, derInteger(Buffer.from([2]))), // version v3
    derInteger(crypto.randomBytes(8)),
    ecdsaWithSha256,
    name,
    validity,
    name,
    spki,
    tlv(0xa3, extensions),
  );
  const signature = crypto.sign('sha256', tbs, { key: privateKey, dsaEncoding: 'der' });
  const der = seq(tbs, ecdsaWithSha256, tlv(0x03, Buffer.concat([Buffer.from([0]), signature])));
  const cert = `-----BEGIN CERTIFICATE-----\n${der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n?$/, '\n')}-----END CERTIFICATE-----\n`;
  const key = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  return { cert, key };
}

function tlv(tag: number, value: Buffer): Buffer {
  const len = value.length;
  let header: Buffer;
  if (len < 0x80) {
    header = Buffer.from([tag, len]);
  } else if (len < 0x100) {
    header = Buffer.from([tag, 0x81, len]);
  } else {
    header = Buffer.from([tag, 0x82, len >> 8, len & 0xff]);
  }
  return Buffer.concat([header, value]);
}

function seq(...items: Buffer[]): Buffer {
  return tlv(0x30, Buffer.concat(items));
}

function set(...items: Buffer[]): Buffer {
  return tlv(0x31, Buffer.concat(items));
}

function octets(value: Buffer): Buffer {
  return tlv(0x04, value);
}

/** A DER INTEGER of the unsigned big-endian number `bytes`. */
export function derInteger(bytes: Buffer): Buffer {
  // DER: the fewest bytes, so no leading zero byte (a random serial number may start with
  // one, and OpenSSL then refuses the certificate); positive, so a zero byte is prepended
  // when the high bit is set.
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  const minimal = bytes.subarray(start);
  return tlv(0x02, minimal[0] & 0x80 ? Buffer.concat([Buffer.from([0]), minimal]) : minimal);
}

function oid(dotted: string): Buffer {
  const parts = dotted.split('.').map(Number);
  const out = [40 * parts[0] + parts[1]];
  for (const part of parts.slice(2)) {
    const chunk = [part & 0x7f];
    let rest = part >> 7;
    while (rest > 0) {
      chunk.unshift((rest & 0x7f) | 0x80);
      rest >>= 7;
    }
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

function utcTime(date: Date): Buffer {
  const iso = date.toISOString(); // 2024-01-02T03:04:05.678Z
  const text = `${iso.slice(2, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
  return tlv(0x17, Buffer.from(text, 'ascii'));
}
