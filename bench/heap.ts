// Memory of the running next-server, through Node's inspector: SIGUSR1 opens it (on 127.0.0.1:<port>,
// chosen with --inspect-port in NODE_OPTIONS), then the Chrome DevTools Protocol: HeapProfiler.collectGarbage
// and Runtime.getHeapUsage for the heap after a full GC, Runtime.evaluate of process.memoryUsage() for the
// V8 heap committed, external and ArrayBuffer memory. RSS alone mixes live objects with what V8 and the
// allocator have not given back yet; these say what the server actually holds, and where.
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

/** process.memoryUsage() of the server, bytes. */
export interface MemoryUsage {
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

export interface InspectorSession {
  send(method: string, params?: Record<string, unknown>): Promise<Record<string, unknown>>;
  /** process.memoryUsage() evaluated in the server (no GC). */
  memoryUsage(): Promise<MemoryUsage>;
  close(): void;
}

/**
 * A DevTools-protocol session with the process `pid` whose inspector port is `port` (or Node's default
 * 9229, when a launcher dropped --inspect-port from the child's NODE_OPTIONS).
 */
export async function openInspector(pid: number, port: number, timeoutMs = 30_000): Promise<InspectorSession> {
  process.kill(pid, 'SIGUSR1');
  const url = await debuggerUrl(port, timeoutMs / 2).catch(() => debuggerUrl(9229, timeoutMs / 2));
  const ws = new WebSocket(url);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  let id = 0;
  const send = (method: string, params?: Record<string, unknown>) =>
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
      ws.send(JSON.stringify(params ? { id: my, method, params } : { id: my, method }));
    });
  const memoryUsage = async (): Promise<MemoryUsage> => {
    const r = await send('Runtime.evaluate', { expression: 'JSON.stringify(process.memoryUsage())', returnByValue: true });
    const value = (r.result as { value?: unknown } | undefined)?.value;
    if (typeof value !== 'string') throw new Error(`process.memoryUsage() not readable: ${JSON.stringify(r).slice(0, 200)}`);
    return JSON.parse(value) as MemoryUsage;
  };
  return { send, memoryUsage, close: () => ws.close() };
}

/** Used heap (bytes) after a full GC, and process.memoryUsage() right after that GC. */
export async function heapAfterGc(pid: number, port: number, timeoutMs = 30_000): Promise<{ usedBytes: number; totalBytes: number; usage?: MemoryUsage }> {
  const s = await openInspector(pid, port, timeoutMs);
  try {
    await s.send('HeapProfiler.enable');
    await s.send('HeapProfiler.collectGarbage');
    await s.send('HeapProfiler.collectGarbage');
    const usage = await s.send('Runtime.getHeapUsage');
    const mem = await s.memoryUsage().catch(() => undefined);
    return { usedBytes: Number(usage.usedSize), totalBytes: Number(usage.totalSize), ...(mem ? { usage: mem } : {}) };
  } finally {
    s.close();
  }
}

/**
 * Samples process.memoryUsage() every `everyMs` until stopped (no GC forced): the peaks of the V8 heap in
 * use, the heap committed, external memory and RSS while requests run.
 */
export async function sampleMemory(pid: number, port: number, everyMs = 200): Promise<{ stop(): Promise<{ peak: MemoryUsage; samples: number }> }> {
  const s = await openInspector(pid, port);
  const peak: MemoryUsage = { rss: 0, heapTotal: 0, heapUsed: 0, external: 0, arrayBuffers: 0 };
  let samples = 0;
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      try {
        const m = await s.memoryUsage();
        samples++;
        for (const k of Object.keys(peak) as (keyof MemoryUsage)[]) peak[k] = Math.max(peak[k], m[k]);
      } catch {
        // a sample lost while the server is busy is not an error
      }
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      s.close();
      return { peak, samples };
    },
  };
}
