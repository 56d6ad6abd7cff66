// Web Worker entry (started by components/graph/cytoscape-canvas.tsx with
// `new Worker(new URL(…, import.meta.url))`, which Next/turbopack bundles as its own chunk):
// runs one layout job per message and posts the positions back.
import { runLayoutJob, type LayoutJob } from './layout-job';

const scope = self as unknown as { onmessage: ((ev: MessageEvent<LayoutJob>) => void) | null; postMessage(msg: unknown): void };

scope.onmessage = (ev) => {
  scope.postMessage(runLayoutJob(ev.data));
};
