// Datadog's unsigned 64-bit decimal <-> hex, checked against BigInt (the test oracle only).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decimalToHex64, hex64ToDecimal } from '../../../engine/propagation/decimal64.js';
import { generateSpanId } from '../../../engine/ids/trace-ids.js';

describe('decimal64', () => {
  test('edges', () => {
    for (const [dec, hex] of [
      ['0', '0000000000000000'],
      ['1', '0000000000000001'],
      ['4294967295', '00000000ffffffff'],
      ['4294967296', '0000000100000000'],
      ['9007199254740993', '0020000000000001'],
      ['18446744073709551615', 'ffffffffffffffff'],
    ] as const) {
      assert.equal(decimalToHex64(dec, 0, dec.length), hex, dec);
      assert.equal(hex64ToDecimal(hex, 0), dec, hex);
    }
  });

  test('rejects overflow, non-digits, empty and over-long input', () => {
    for (const bad of ['18446744073709551616', '99999999999999999999', '', '-1', '+1', '1e3', '0x10', '123456789012345678901']) {
      assert.equal(decimalToHex64(bad, 0, bad.length), null, bad);
    }
    assert.equal(hex64ToDecimal('zzzzzzzzzzzzzzzz', 0), '');
  });

  test('10,000 random ids round-trip and agree with BigInt', () => {
    for (let i = 0; i < 10_000; i++) {
      const hex = generateSpanId();
      const dec = hex64ToDecimal(hex, 0);
      assert.equal(dec, BigInt('0x' + hex).toString(10));
      assert.equal(decimalToHex64(dec, 0, dec.length), hex);
    }
  });
});
