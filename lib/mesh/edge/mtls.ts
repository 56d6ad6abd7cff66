// Edge mTLS (docs/classification.md §3.4) from its slices: a waypoint slice is mutual; a direct slice is what
// its server side says. Any plaintext slice makes the edge plaintext (part of the traffic is not mTLS); a
// slice nobody can judge makes it unknown; else mutual.
import type { Mtls } from '../types';
import type { EdgeDecorator } from './facts';

export function combineSliceMtls(values: readonly Mtls[]): Mtls {
  if (values.includes('plaintext')) return 'plaintext';
  if (values.length === 0 || values.includes('unknown')) return 'unknown';
  return 'mutual';
}

export const mtls: EdgeDecorator = (f) => ({ mtls: combineSliceMtls(f.slices.map((s) => s.mtls)) });
