// Runs once when the Next.js server starts: validate the configuration so a bad value stops the app
// at start with a message naming the variable, instead of failing on the first request.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { parseConfig } = await import('./lib/config/parse');
  const { readFileSync } = await import('node:fs');
  const r = parseConfig(process.env, { readFile: (p) => readFileSync(p, 'utf8') });
  if (!r.ok) {
    console.error(`meshglass: invalid configuration: ${r.error}`);
    process.exit(1);
  }
  const { parseSnapshotConfig } = await import('./lib/snapshots/config');
  const s = parseSnapshotConfig(process.env);
  if (!s.ok) {
    console.error(`meshglass: invalid configuration: ${s.error}`);
    process.exit(1);
  }
}
