import { describe, expect, it } from 'vitest';
import { bareEdge, edgeFacts } from '../testing/edge-facts';
import { combineSliceMtls, mtls } from './mtls';
import { edgeLabels, k, peers, pods, svc, tb, W, zB } from './scenario.test-helpers';

describe('mtls decorator', () => {
  it('slices combine: any plaintext → plaintext, any unknown → unknown, else mutual', () => {
    expect(combineSliceMtls(['mutual', 'plaintext'])).toBe('plaintext');
    expect(combineSliceMtls(['mutual', 'unknown'])).toBe('unknown');
    expect(combineSliceMtls(['mutual', 'mutual'])).toBe('mutual');
    expect(combineSliceMtls([])).toBe('unknown');
  });
  it('out-of-mesh client into ztunnel (`unknown` on the server ztunnel) is plaintext', () => {
    const t = tb()
      .tcp(edgeLabels({ reporter: 'destination', src: peers.legacy, dst: peers.api, service: svc.api, csp: 'unknown' }), zB, {
        opened: 6,
        sent: 1,
        received: 1,
      })
      .build();
    const f = edgeFacts(k, t, W('legacy', 'legacy'), W('app', 'api'));
    expect(mtls(f, bareEdge(f))).toEqual({ mtls: 'plaintext' });
  });
  it('an Envoy client alone says nothing: unknown', () => {
    const t = tb()
      .requests(edgeLabels({ reporter: 'source', src: peers.sc, dst: peers.api, service: svc.api, csp: 'unknown' }), pods.sc, { '200': 6 })
      .build();
    const f = edgeFacts(k, t, W('app', 'sc'), W('app', 'api'));
    expect(mtls(f, bareEdge(f))).toEqual({ mtls: 'unknown' });
  });
});
