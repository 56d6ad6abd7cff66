import { describe, expect, it } from 'vitest';
import { bareEdge, edgeFacts } from '../testing/edge-facts';
import { principals } from './principals';
import { k, splitTelemetry, W } from './scenario.test-helpers';

describe('principals decorator', () => {
  const f = edgeFacts(k, splitTelemetry(), W('app', 'amb'), W('wp', 'srv'));
  it("principals: the server side's view first", () => {
    expect(principals(f, bareEdge(f))).toEqual({
      principals: { source: 'spiffe://cluster.local/ns/app/sa/amb', destination: 'spiffe://cluster.local/ns/wp/sa/srv' },
    });
  });
});
