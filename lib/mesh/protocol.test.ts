import { describe, expect, it } from 'vitest';
import { portProtocol, serviceProtocol, servicesProtocol } from './protocol';
import { service } from './testing/fixtures';

describe('portProtocol', () => {
  it.each([
    [{ port: 80, appProtocol: 'http' }, 'http'],
    [{ port: 80, appProtocol: 'http2' }, 'http'],
    [{ port: 80, appProtocol: 'kubernetes.io/h2c' }, 'http'],
    [{ port: 80, appProtocol: 'grpc' }, 'grpc'],
    [{ port: 80, appProtocol: 'tcp', name: 'http' }, 'tcp'], // appProtocol first
    [{ port: 80, appProtocol: 'https' }, 'tcp'],
    [{ port: 80, appProtocol: 'mysql' }, 'tcp'],
    [{ port: 80, appProtocol: 'redis' }, 'tcp'],
    [{ port: 80, name: 'http' }, 'http'],
    [{ port: 80, name: 'http-web' }, 'http'],
    [{ port: 80, name: 'http2-api' }, 'http'],
    [{ port: 80, name: 'grpc-api' }, 'grpc'],
    [{ port: 80, name: 'grpc-web' }, 'http'],
    [{ port: 80, name: 'tcp-postgres' }, 'tcp'],
    [{ port: 80, name: 'tls-x' }, 'tcp'],
    [{ port: 80, name: 'https' }, 'tcp'],
    [{ port: 80, name: 'httpx' }, 'unknown'], // prefix must be followed by "-" or end
    [{ port: 80, name: 'web' }, 'unknown'],
    [{ port: 80 }, 'unknown'],
    [{ port: 53, name: 'dns', protocol: 'UDP' }, 'unknown'],
    [{ port: 80, appProtocol: 'weird', name: 'grpc' }, 'grpc'], // unknown appProtocol falls back to name
  ] as const)('%j → %s', (port, expected) => {
    expect(portProtocol(port)).toBe(expected);
  });
});

describe('serviceProtocol', () => {
  it('single protocol', () => {
    expect(serviceProtocol(service('a', 's', {}, [{ name: 'http', port: 80 }]))).toEqual({ protocol: 'http' });
  });
  it('L7 + tcp ports → the L7 one, with a note', () => {
    const d = serviceProtocol(
      service('a', 's', {}, [
        { name: 'http2', port: 80 },
        { name: 'https', port: 443 },
      ]),
    );
    expect(d.protocol).toBe('http');
    expect(d.note).toMatch(/tcp ports https\/443 ignored/);
  });
  it('disagreeing non-tcp ports → unknown', () => {
    expect(
      serviceProtocol(
        service('a', 's', {}, [
          { name: 'http', port: 80 },
          { name: 'grpc', port: 9090 },
        ]),
      ).protocol,
    ).toBe('unknown');
    expect(
      serviceProtocol(
        service('a', 's', {}, [
          { name: 'http', port: 80 },
          { name: 'metrics', port: 9090 },
        ]),
      ).protocol,
    ).toBe('unknown');
  });
  it('no ports / no service → unknown', () => {
    expect(serviceProtocol(service('a', 's', {}, [])).protocol).toBe('unknown');
    expect(servicesProtocol([]).protocol).toBe('unknown');
  });
  it('several services are combined', () => {
    const a = service('a', 's1', {}, [{ name: 'grpc', port: 80 }]);
    const b = service('a', 's2', {}, [{ name: 'tcp', port: 81 }]);
    expect(servicesProtocol([a, b]).protocol).toBe('grpc');
  });
});
