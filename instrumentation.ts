// Runs once when the Next.js server starts: validate the configuration so a bad value stops the app
// at start with a message naming the variable, instead of failing on the first request. The access
// setting is required (issue 14, docs/deploy.md "Access control"): without one the app exits non-zero.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { parseConfig } = await import('./lib/config/parse');
  const { parseAuth } = await import('./lib/security/auth-config');
  const { readFileSync } = await import('node:fs');
  const readFile = (p: string) => readFileSync(p, 'utf8');
  const r = parseConfig(process.env, { readFile });
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
  const auth = parseAuth(process.env, { readFile });
  if (!auth.ok) {
    console.error(`meshglass: invalid configuration: ${auth.error}`);
    process.exit(1);
  }
  if (auth.auth.mode === 'none') console.warn('meshglass: MESHGLASS_AUTH=none: every request is served without authentication');
}
