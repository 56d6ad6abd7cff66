import net from 'node:net';

/**
 * A TCP port on 127.0.0.1 that was free a moment ago (bound to port 0, then released), skipping `avoid`
 * (e.g. the demo's reserved ports). Shared by the integration setup, security tests, e2e specs and the bench.
 */
export async function freePort(avoid: ReadonlySet<number> = new Set()): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const srv = net.createServer();
      srv.unref();
      srv.once('error', reject);
      srv.listen(0, '127.0.0.1', () => {
        const a = srv.address();
        srv.close(() => (typeof a === 'object' && a ? resolve(a.port) : reject(new Error('no port assigned'))));
      });
    });
    if (!avoid.has(port)) return port;
  }
}
