import { describe, expect, it } from 'vitest';
import { decideMtls, decidePath, mtlsObservation, pickReporter } from './edges';

describe('path table (docs/classification.md §1)', () => {
  it('waypoint: a waypoint carried it', () => {
    expect(decidePath(true, ['ztunnel'])).toBe('waypoint');
    expect(decidePath(false, ['waypoint', 'ztunnel'])).toBe('waypoint');
    expect(decidePath(false, ['envoy', 'ztunnel'])).not.toBe('waypoint');
  });
  it('mixed: Envoy on one end, ztunnel on the other', () => {
    expect(decidePath(false, ['envoy', 'ztunnel'])).toBe('mixed');
    expect(decidePath(false, ['envoy'])).not.toBe('mixed');
    expect(decidePath(true, ['envoy', 'ztunnel'])).not.toBe('mixed');
  });
  it('sidecar: only Envoy proxies', () => {
    expect(decidePath(false, ['envoy'])).toBe('sidecar');
    expect(decidePath(false, ['envoy', 'unknown'])).toBe('sidecar');
    expect(decidePath(false, ['ztunnel'])).not.toBe('sidecar');
  });
  it('ambient: only ztunnel', () => {
    expect(decidePath(false, ['ztunnel'])).toBe('ambient');
    expect(decidePath(false, ['ztunnel', 'envoy'])).not.toBe('ambient');
  });
  it('nothing known → undecided', () => {
    expect(decidePath(false, ['unknown'])).toBeUndefined();
  });
});

describe('mTLS (docs/classification.md §3.4)', () => {
  it('observations', () => {
    expect(mtlsObservation('destination', 'envoy', 'mutual_tls')).toBe('mutual');
    expect(mtlsObservation('destination', 'envoy', 'none')).toBe('plaintext');
    expect(mtlsObservation('destination', 'ztunnel', 'unknown')).toBe('plaintext');
    expect(mtlsObservation('source', 'ztunnel', 'unknown')).toBe('plaintext');
    expect(mtlsObservation('source', 'ztunnel', 'mutual_tls')).toBe('mutual');
    expect(mtlsObservation('source', 'envoy', 'unknown')).toBeUndefined();
    expect(mtlsObservation('waypoint', 'waypoint', 'none')).toBe('mutual');
  });
  it('Envoy server side mutual_tls → mutual; none → plaintext', () => {
    expect(decideMtls(false, [{ reporter: 'destination', proxy: 'envoy', csp: 'mutual_tls' }])).toBe('mutual');
    expect(decideMtls(false, [{ reporter: 'destination', proxy: 'envoy', csp: 'none' }])).toBe('plaintext');
  });
  it('ztunnel unknown (either side) → plaintext; mutual_tls → mutual', () => {
    expect(decideMtls(false, [{ reporter: 'destination', proxy: 'ztunnel', csp: 'unknown' }])).toBe('plaintext');
    expect(decideMtls(false, [{ reporter: 'source', proxy: 'ztunnel', csp: 'unknown' }])).toBe('plaintext');
    expect(decideMtls(false, [{ reporter: 'source', proxy: 'ztunnel', csp: 'mutual_tls' }])).toBe('mutual');
  });
  it('waypoint edges → mutual', () => {
    expect(decideMtls(true, [{ reporter: 'source', proxy: 'ztunnel', csp: 'unknown' }])).toBe('mutual');
    expect(decideMtls(false, [{ reporter: 'source', proxy: 'ztunnel', csp: 'unknown' }])).not.toBe('mutual');
  });
  it('Envoy client-side unknown alone → unknown', () => {
    expect(decideMtls(false, [{ reporter: 'source', proxy: 'envoy', csp: 'unknown' }])).toBe('unknown');
    expect(decideMtls(false, [])).toBe('unknown');
  });
  it('server side wins when sides disagree', () => {
    expect(
      decideMtls(false, [
        { reporter: 'source', proxy: 'ztunnel', csp: 'unknown' },
        { reporter: 'destination', proxy: 'envoy', csp: 'mutual_tls' },
      ]),
    ).toBe('mutual');
    expect(
      decideMtls(false, [
        { reporter: 'source', proxy: 'ztunnel', csp: 'mutual_tls' },
        { reporter: 'destination', proxy: 'envoy', csp: 'none' },
      ]),
    ).toBe('plaintext');
    expect(
      decideMtls(false, [
        { reporter: 'source', proxy: 'envoy', csp: 'unknown' },
        { reporter: 'destination', proxy: 'ztunnel', csp: 'mutual_tls' },
      ]),
    ).toBe('mutual');
  });
  it('a partly plaintext server side is plaintext', () => {
    expect(
      decideMtls(false, [
        { reporter: 'destination', proxy: 'envoy', csp: 'mutual_tls' },
        { reporter: 'destination', proxy: 'ztunnel', csp: 'unknown' },
      ]),
    ).toBe('plaintext');
  });
});

describe('reporter preference (docs/classification.md §3.2)', () => {
  it('waypoint > destination > source', () => {
    expect(pickReporter(['source', 'destination', 'waypoint'])).toBe('waypoint');
    expect(pickReporter(['source', 'destination'])).toBe('destination');
    expect(pickReporter(['source'])).toBe('source');
    expect(pickReporter([])).toBeUndefined();
  });
  it('a skipped reporter is used only when nothing else exists', () => {
    expect(pickReporter(['source', 'destination'], new Set(['destination']))).toBe('source');
    expect(pickReporter(['destination'], new Set(['destination']))).toBe('destination');
  });
});
