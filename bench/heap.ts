// Heap of the running next-server after a full garbage collection, through Node's inspector: SIGUSR1 opens
// it (on 127.0.0.1:<port>, chosen with --inspect-port in NODE_OPTIONS), then Chrome DevTools Protocol
// HeapProfiler.collectGarbage and Runtime.getHeapUsage. RSS alone mixes live objects with what V8 and the
// allocator have not given back yet; this says what the server actually holds.
import WebSocket from 'ws';

async function debuggerUrl(port: number, timeoutMs: number): Promise<string> {
  const t0 = Date.now();
  for (;;) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/json/list`);
      const list = (await res.json()) as { webSocketDebuggerUrl?: string }[];
      const url = list[0]?.webSocketDebuggerUrl;
      if (url) return url;
    } catch {
      // not listening yet
    }
    if (Date.now() - t0 > timeoutMs) throw new Error(`no inspector on 127.0.0.1:${port}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * Used heap (bytes) after a full GC, read from the process `pid` whose inspector port is `port` (or Node's
 * default 9229, when a launcher dropped --inspect-port from the child's NODE_OPTIONS).
 */
export async function heapAfterGc(pid: number, port: number, timeoutMs = 30_000): Promise<{ usedBytes: number; totalBytes: number }> {
  process.kill(pid, 'SIGUSR1');
  const url = await debuggerUrl(port, timeoutMs / 2).catch(() => debuggerUrl(9229, timeoutMs / 2));
  const ws = new WebSocket(url);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  let id = 0;
  const send = (method: string) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const my = ++id;
      const timer = setTimeout(() => reject(new Error(`${method} timed out`)), timeoutMs);
      const onMessage = (data: WebSocket.RawData) => {
        const msg = JSON.parse(data.toString()) as { id?: number; result?: Record<string, unknown>; error?: { message: string } };
        if (msg.id !== my) return;
        clearTimeout(timer);
        ws.off('message', onMessage);
        if (msg.error) reject(new Error(`${method}: ${msg.error.message}`));
        else resolve(msg.result ?? {});
      };
      ws.on('message', onMessage);
      ws.send(JSON.stringify({ id: my, method }));
    });
  try {
    await send('HeapProfiler.enable');
    await send('HeapProfiler.collectGarbage');
    await send('HeapProfiler.collectGarbage');
    const usage = await send('Runtime.getHeapUsage');
    return { usedBytes: Number(usage.usedSize), totalBytes: Number(usage.totalSize) };
  } finally {
    ws.close();
  }
}
