// Checks that nothing secret or server-only reaches the browser: scans every file the app serves as-is
// (.next/static/**, plus the prerendered HTML/RSC payloads under .next/server/{app,pages}) for
//   - the configured secret values (PROMETHEUS_BEARER_TOKEN, PROMETHEUS_BASIC_AUTH_PASSWORD, DASHBOARD_TOKEN,
//     the basic-auth header built from user:password) and the PROMETHEUS_URL value, raw, JSON-escaped,
//     URL-encoded or base64'd;
//   - markers of server-only code: @kubernetes/client-node and the Prometheus transport (lib/prometheus/transport.ts).
//
// Meant to run right after a `next build` made with distinctive canary values (see CANARY_ENV):
//   env $(npx tsx scripts/ci/check-client-bundle.ts --print-canary-env) npx next build
//   npx tsx scripts/ci/check-client-bundle.ts --canaries          # exit 1 and a list of findings on failure
// Options: --dir <.next dir> (default .next), --canaries (also look for CANARY_ENV values, whatever the
// current env says), --print-canary-env. Secret values are taken from the environment too (the same env
// the build had), values shorter than 6 characters are ignored (they would match by accident).
import fs from 'node:fs';
import path from 'node:path';

/** Distinctive values to build with; none is a real secret, all are unlikely to occur by accident. */
export const CANARY_ENV = {
  PROMETHEUS_URL: 'http://mg-canary-prometheus-url.invalid:9090/mg-canary-path',
  PROMETHEUS_BEARER_TOKEN: 'mg-canary-bearer-3f9c2e71d8a4',
  PROMETHEUS_BASIC_AUTH_USER: 'mg-canary-basic-user',
  PROMETHEUS_BASIC_AUTH_PASSWORD: 'mg-canary-basic-password-b51e07',
  DASHBOARD_TOKEN: 'mg-canary-dashboard-token-9d2a64',
} as const;

const SECRET_VARS = ['PROMETHEUS_BEARER_TOKEN', 'PROMETHEUS_BASIC_AUTH_PASSWORD', 'DASHBOARD_TOKEN', 'PROMETHEUS_URL'] as const;

/** Strings that only occur in server-side libraries; any of them in a client chunk means a leaked import. */
const FORBIDDEN_MARKERS: readonly { marker: string; why: string }[] = [
  { marker: '@kubernetes/client-node', why: 'Kubernetes client (server-only) in a client chunk' },
  { marker: '/var/run/secrets/kubernetes.io/serviceaccount', why: 'Kubernetes in-cluster config code in a client chunk' },
  { marker: 'KUBERNETES_SERVICE_HOST', why: 'Kubernetes in-cluster config code in a client chunk' },
  { marker: 'meshglass-prometheus-transport', why: 'Prometheus transport (lib/prometheus/transport.ts, server-only) in a client chunk' },
];

export interface Secret {
  name: string;
  value: string;
}

export interface Finding {
  file: string;
  /** Variable name or marker. */
  what: string;
  why: string;
}

const MIN_SECRET_LENGTH = 6;

/** The secrets to look for: env values, and the canaries when asked. Basic auth also as its header value. */
export function secretsFrom(env: Record<string, string | undefined>, opts: { canaries?: boolean } = {}): Secret[] {
  const out: Secret[] = [];
  const sources: Record<string, string | undefined>[] = [env, ...(opts.canaries ? [CANARY_ENV as Record<string, string>] : [])];
  for (const src of sources) {
    for (const name of SECRET_VARS) {
      const value = src[name];
      if (value && value.length >= MIN_SECRET_LENGTH) out.push({ name, value });
    }
    const user = src.PROMETHEUS_BASIC_AUTH_USER;
    const password = src.PROMETHEUS_BASIC_AUTH_PASSWORD;
    if (user !== undefined && password)
      out.push({ name: 'basic auth header (PROMETHEUS_BASIC_AUTH_USER:PASSWORD)', value: Buffer.from(`${user}:${password}`).toString('base64') });
  }
  const seen = new Set<string>();
  return out.filter((s) => !seen.has(s.value) && seen.add(s.value));
}

/** The forms a value may take once embedded in JS/HTML/JSON. */
export function encodings(value: string): string[] {
  const forms = new Set([value, JSON.stringify(value).slice(1, -1), encodeURIComponent(value), Buffer.from(value).toString('base64').replace(/=+$/, '')]);
  // A URL is also matched without its scheme (e.g. split in code, or protocol-relative).
  const m = /^https?:\/\/(.+)$/.exec(value);
  if (m) forms.add(m[1]!.replace(/\/$/, ''));
  return [...forms].filter((f) => f.length >= MIN_SECRET_LENGTH);
}

function* walk(dir: string): Generator<string> {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* walk(p);
    else if (e.isFile()) yield p;
  }
}

/** Files the browser receives verbatim: static assets, and prerendered pages and RSC payloads. */
export function clientFiles(nextDir: string): string[] {
  const files = [...walk(path.join(nextDir, 'static'))];
  for (const sub of ['server/app', 'server/pages']) {
    for (const f of walk(path.join(nextDir, sub))) if (/\.(html|rsc|body|json|meta)$/.test(f) && !f.endsWith('.nft.json')) files.push(f);
  }
  return files.sort();
}

export function checkClientBundle(opts: { nextDir: string; secrets: readonly Secret[]; markers?: typeof FORBIDDEN_MARKERS }): {
  files: number;
  findings: Finding[];
} {
  const markers = opts.markers ?? FORBIDDEN_MARKERS;
  const files = clientFiles(opts.nextDir);
  const findings: Finding[] = [];
  const needles = opts.secrets.flatMap((s) => encodings(s.value).map((form) => ({ form, s })));
  for (const file of files) {
    const text = fs.readFileSync(file).toString('latin1');
    const rel = path.relative(opts.nextDir, file);
    for (const { form, s } of needles) {
      // latin1 keeps bytes 1:1, so compare against the UTF-8 bytes of the needle.
      if (text.includes(Buffer.from(form).toString('latin1'))) {
        findings.push({ file: rel, what: s.name, why: `value of ${s.name} is served to browsers` });
        break;
      }
    }
    const isStatic = rel.startsWith(`static${path.sep}`);
    if (isStatic) for (const m of markers) if (text.includes(m.marker)) findings.push({ file: rel, what: m.marker, why: m.why });
  }
  return { files: files.length, findings };
}

function main(argv: string[]): number {
  if (argv.includes('--print-canary-env')) {
    console.log(
      Object.entries(CANARY_ENV)
        .map(([k, v]) => `${k}=${v}`)
        .join('\n'),
    );
    return 0;
  }
  const dirArg = argv.indexOf('--dir');
  const nextDir = path.resolve(dirArg >= 0 ? (argv[dirArg + 1] ?? '.next') : '.next');
  if (!fs.existsSync(path.join(nextDir, 'BUILD_ID'))) {
    console.error(`check-client-bundle: no build in ${nextDir} (run next build first)`);
    return 2;
  }
  const secrets = secretsFrom(process.env, { canaries: argv.includes('--canaries') });
  if (secrets.length === 0) console.warn('check-client-bundle: no secret values configured (set them, or pass --canaries); checking markers only');
  const { files, findings } = checkClientBundle({ nextDir, secrets });
  if (files === 0) {
    console.error(`check-client-bundle: no client files under ${nextDir}/static`);
    return 2;
  }
  if (findings.length > 0) {
    console.error(`check-client-bundle: ${findings.length} finding(s) in ${files} client files:`);
    for (const f of findings)
      console.error(
        `  ${f.file}: ${f.why}${f.what.startsWith('PROMETHEUS') || f.what.startsWith('DASHBOARD') || f.what.startsWith('basic') ? '' : ` (${JSON.stringify(f.what)})`}`,
      );
    return 1;
  }
  console.log(`check-client-bundle: ${files} client files clean (${secrets.length} secret values, ${FORBIDDEN_MARKERS.length} server-only markers)`);
  return 0;
}

// Run as a script (tsx), not when imported by the tests.
const isMain = typeof require !== 'undefined' && typeof module !== 'undefined' && require.main === module;
if (isMain) process.exit(main(process.argv.slice(2)));
