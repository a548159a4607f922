/**
 * The test servers' self-signed certificates: DER as OpenSSL reads it, whatever random
 * serial number a certificate gets.
 */
import * as tls from 'node:tls';
import { createCertificate, derInteger } from './tls';

describe('derInteger', () => {
  test('drops leading zero bytes, and prepends one only when the high bit is set', () => {
    expect(derInteger(Buffer.from([0x00, 0x00, 0x12, 0x34]))).toEqual(Buffer.from([0x02, 0x02, 0x12, 0x34]));
    expect(derInteger(Buffer.from([0x00, 0x92, 0x34]))).toEqual(Buffer.from([0x02, 0x03, 0x00, 0x92, 0x34]));
    expect(derInteger(Buffer.from([0x92]))).toEqual(Buffer.from([0x02, 0x02, 0x00, 0x92]));
    expect(derInteger(Buffer.from([0x00, 0x00]))).toEqual(Buffer.from([0x02, 0x01, 0x00]));
  });
});

describe('createCertificate', () => {
  test('every certificate loads into a TLS context (200 random serial numbers)', () => {
    for (let i = 0; i < 200; i++) {
      const { cert, key } = createCertificate('127.0.0.1');
      expect(() => tls.createSecureContext({ cert, key })).not.toThrow();
    }
  });
});
