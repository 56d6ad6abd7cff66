import { describe, expect, it } from 'vitest';
import { bareEdge, edgeFacts } from '../testing/edge-facts';
import { shape } from './shape';
import { k, splitTelemetry, W } from './scenario.test-helpers';

describe('shape decorator', () => {
  const f = edgeFacts(k, splitTelemetry(), W('app', 'amb'), W('wp', 'srv'));
  it('shape: the waypoint, and partial L7 when one slice has requests and the other only L4', () => {
    expect(shape(f, bareEdge(f))).toEqual({ waypoint: 'wp/wp', partialL7: true });
  });
});
