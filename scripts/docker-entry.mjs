// Container entry point (Dockerfile runtime stage, distroless: no shell). Creates the target of the
// .next/cache -> /tmp/next-cache symlink (the root filesystem is read-only; /tmp is an emptyDir), then
// runs Next's standalone server in this process, so node stays PID 1 and handles SIGTERM itself.
import { mkdirSync } from 'node:fs';

try {
  mkdirSync('/tmp/next-cache', { recursive: true });
} catch {
  // /tmp not writable: only Next's optional on-disk cache is unavailable.
}
await import('./server.js');
