/**
 * Offline validation of everything under deploy/: YAML syntax, a hand-written schema per kind,
 * read-only RBAC, hardened pod security, kustomization references, `kubectl kustomize` rendering and
 * `promtool` checks of the recording rules (both binaries are required: a missing one fails the file).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { z } from 'zod';
import { INFORMER_VERBS, WATCHED_KINDS } from '@/lib/kube/status';
import { requireTool } from '@/scripts/require-tool';

const DEPLOY_DIR = path.resolve(__dirname);
const KUBECTL = requireTool('/usr/bin/kubectl', 'kubernetes-client');
const PROMTOOL = requireTool('/usr/bin/promtool', 'prometheus');
/** Public probes (lib/security/access.ts PUBLIC_PATHS); /api/healthz needs authentication. */
const READY_PATH = '/api/readyz';
const LIVE_PATH = '/api/livez';

// ---------- files ----------

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    return statSync(full).isDirectory() ? walk(full) : [full];
  });
}

const yamlFiles = walk(DEPLOY_DIR).filter((f) => /\.ya?ml$/.test(f));
const rel = (f: string) => path.relative(DEPLOY_DIR, f);

type Doc = Record<string, unknown>;

function parseYamlStream(text: string, where: string): Doc[] {
  return parseAllDocuments(text).flatMap((d) => {
    if (d.errors.length > 0) throw new Error(`${where}: ${d.errors.map((e) => e.message).join('; ')}`);
    const value: unknown = d.toJS();
    if (value === null || value === undefined) return [];
    if (typeof value !== 'object' || Array.isArray(value)) throw new Error(`${where}: document is not a mapping`);
    return [value as Doc];
  });
}

const parsed = new Map<string, Doc[]>(yamlFiles.map((f) => [f, parseYamlStream(readFileSync(f, 'utf8'), rel(f))]));

// ---------- schemas ----------

const dns1123 = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/)
  .max(253);
const metadata = z.object({
  name: dns1123,
  namespace: dns1123.optional(),
  labels: z.record(z.string(), z.string()).optional(),
});
const k8sBase = z.object({ apiVersion: z.string().min(1), kind: z.string().min(1), metadata });

const httpProbe = z.object({
  httpGet: z.object({ path: z.string().startsWith('/'), port: z.union([z.string(), z.number().int()]) }),
});
const containerSecurityContext = z.object({
  runAsNonRoot: z.literal(true),
  readOnlyRootFilesystem: z.literal(true),
  allowPrivilegeEscalation: z.literal(false),
  capabilities: z.object({ drop: z.array(z.string()).refine((d) => d.includes('ALL'), 'must drop ALL') }),
  seccompProfile: z.object({ type: z.literal('RuntimeDefault') }),
  privileged: z.literal(false).optional(),
});
const container = z.object({
  name: dns1123,
  image: z.string().min(1),
  ports: z.array(z.object({ name: z.string().optional(), containerPort: z.number().int().min(1).max(65535) })).min(1),
  env: z
    .array(
      z.object({
        name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/),
        value: z.string().optional(),
        valueFrom: z.unknown().optional(),
      }),
    )
    .optional(),
  readinessProbe: httpProbe,
  livenessProbe: httpProbe,
  startupProbe: httpProbe.optional(),
  resources: z.object({
    requests: z.object({ cpu: z.string(), memory: z.string() }),
    limits: z.object({ memory: z.string() }).and(z.object({ cpu: z.string().optional() })),
  }),
  securityContext: containerSecurityContext,
  volumeMounts: z.array(z.object({ name: z.string(), mountPath: z.string() })).optional(),
});
const deployment = k8sBase.extend({
  apiVersion: z.literal('apps/v1'),
  kind: z.literal('Deployment'),
  spec: z.object({
    selector: z.object({ matchLabels: z.record(z.string(), z.string()) }),
    template: z.object({
      metadata: z.object({ labels: z.record(z.string(), z.string()) }),
      spec: z.object({
        securityContext: z.object({
          runAsNonRoot: z.literal(true),
          seccompProfile: z.object({ type: z.literal('RuntimeDefault') }),
        }),
        containers: z.array(container).min(1),
        volumes: z.array(z.object({ name: z.string() }).and(z.record(z.string(), z.unknown()))).optional(),
      }),
    }),
  }),
});
const service = k8sBase.extend({
  apiVersion: z.literal('v1'),
  kind: z.literal('Service'),
  spec: z.object({
    selector: z.record(z.string(), z.string()),
    ports: z.array(z.object({ name: z.string(), port: z.number().int(), targetPort: z.union([z.string(), z.number().int()]) })).min(1),
  }),
});
const policyRule = z.object({
  apiGroups: z.array(z.string()).min(1),
  resources: z.array(z.string()).min(1),
  verbs: z.array(z.string()).min(1),
  resourceNames: z.array(z.string()).optional(),
  nonResourceURLs: z.never().optional(),
});
const clusterRole = k8sBase.extend({
  apiVersion: z.literal('rbac.authorization.k8s.io/v1'),
  kind: z.literal('ClusterRole'),
  rules: z.array(policyRule).min(1),
  aggregationRule: z.never().optional(),
});
const clusterRoleBinding = k8sBase.extend({
  apiVersion: z.literal('rbac.authorization.k8s.io/v1'),
  kind: z.literal('ClusterRoleBinding'),
  roleRef: z.object({ apiGroup: z.literal('rbac.authorization.k8s.io'), kind: z.literal('ClusterRole'), name: z.string() }),
  // namespace is filled in by kustomize (see base/clusterrolebinding.yaml); checked on the rendered output.
  subjects: z.array(z.object({ kind: z.literal('ServiceAccount'), name: z.string(), namespace: z.string().optional() })).min(1),
});
const serviceAccount = k8sBase.extend({ apiVersion: z.literal('v1'), kind: z.literal('ServiceAccount') });
const namespace = k8sBase.extend({ apiVersion: z.literal('v1'), kind: z.literal('Namespace') });
const networkPolicy = k8sBase.extend({
  apiVersion: z.literal('networking.k8s.io/v1'),
  kind: z.literal('NetworkPolicy'),
  spec: z.object({
    podSelector: z.object({ matchLabels: z.record(z.string(), z.string()) }),
    policyTypes: z.array(z.enum(['Ingress', 'Egress'])),
    ingress: z.array(z.unknown()).optional(),
    egress: z.array(z.unknown()).optional(),
  }),
});
const configMap = k8sBase.extend({ apiVersion: z.literal('v1'), kind: z.literal('ConfigMap') });

const persistentVolumeClaim = k8sBase.extend({
  kind: z.literal('PersistentVolumeClaim'),
  spec: z.object({
    accessModes: z.array(z.enum(['ReadWriteOnce', 'ReadWriteMany', 'ReadWriteOncePod'])).min(1),
    resources: z.object({ requests: z.object({ storage: z.string().regex(/^\d+(Mi|Gi|Ti)$/) }) }),
    storageClassName: z.string().optional(),
  }),
});

const SCHEMAS: Record<string, z.ZodType> = {
  PersistentVolumeClaim: persistentVolumeClaim,
  Deployment: deployment,
  Service: service,
  ClusterRole: clusterRole,
  ClusterRoleBinding: clusterRoleBinding,
  ServiceAccount: serviceAccount,
  Namespace: namespace,
  NetworkPolicy: networkPolicy,
  ConfigMap: configMap,
};
const KUSTOMIZE_KINDS = new Set(['Kustomization', 'Component']);

/**
 * Exactly what Meshglass watches, derived from the code's own list (lib/kube/status.ts WATCHED_KINDS,
 * which lib/kube/cache.ts starts one informer per entry of): RBAC and code cannot drift apart.
 */
const EXPECTED_RBAC: Record<string, string[]> = {};
for (const { kind, group, alsoGroups, resource } of WATCHED_KINDS)
  for (const g of [group, ...(alsoGroups ?? [])]) (EXPECTED_RBAC[g] ??= []).push(resource ?? kind);
for (const g of Object.keys(EXPECTED_RBAC)) EXPECTED_RBAC[g]!.sort();
/** The verbs an informer uses: a paginated list, then a watch. */
const EXPECTED_VERBS = [...INFORMER_VERBS].sort();

function validateObject(doc: Doc, where: string): void {
  const kind = String(doc.kind);
  const schema = SCHEMAS[kind];
  if (!schema) throw new Error(`${where}: no schema for kind ${kind} — add one to deploy/manifests.test.ts`);
  const result = schema.safeParse(doc);
  if (!result.success) {
    throw new Error(`${where} (${kind} ${String((doc.metadata as Doc | undefined)?.name)}): ${z.prettifyError(result.error)}`);
  }
}

function checkClusterRole(doc: Doc): void {
  const role = clusterRole.parse(doc);
  const granted = new Map<string, Set<string>>();
  for (const rule of role.rules) {
    expect([...rule.verbs].sort(), `verbs of ${rule.resources.join(',')}`).toEqual(EXPECTED_VERBS);
    for (const group of rule.apiGroups) {
      expect(group, 'wildcard apiGroup').not.toBe('*');
      for (const resource of rule.resources) {
        expect(resource, 'wildcard resource').not.toContain('*');
        expect(resource, 'secrets must never be readable').not.toMatch(/^secrets(\/|$)/);
        expect(resource, 'no subresources (pods/log, pods/exec, …)').not.toContain('/');
        const set = granted.get(group) ?? new Set<string>();
        set.add(resource);
        granted.set(group, set);
      }
    }
  }
  const actual = Object.fromEntries([...granted].map(([g, s]) => [g, [...s].sort()]));
  expect(actual).toEqual(EXPECTED_RBAC);
}

function checkMeshglassDeployment(doc: Doc): void {
  const d = deployment.parse(doc);
  const pod = d.spec.template.spec;
  const selector = d.spec.selector.matchLabels;
  for (const [k, v] of Object.entries(selector)) expect(d.spec.template.metadata.labels[k]).toBe(v);
  const c = pod.containers.find((x) => x.name === 'meshglass');
  expect(c, 'container "meshglass"').toBeDefined();
  if (!c) return;
  expect(c.readinessProbe.httpGet.path).toBe(READY_PATH);
  expect(c.livenessProbe.httpGet.path).toBe(LIVE_PATH);
  if (c.startupProbe) expect(c.startupProbe.httpGet.path).toBe(READY_PATH);
  const env = new Map((c.env ?? []).map((e) => [e.name, e]));
  expect(env.get('PROMETHEUS_URL')?.value).toBe('http://prometheus.istio-system:9090');
  expect(env.get('HOSTNAME')?.value, 'standalone server must bind all interfaces').toBe('0.0.0.0');
  // An access setting, never the open mode (issue 14): a token file from a mounted Secret, or trusted-proxy.
  expect(env.get('MESHGLASS_AUTH')?.value, 'MESHGLASS_AUTH=none in a deployment').not.toBe('none');
  expect(env.has('DASHBOARD_TOKEN'), 'a token in an env var (use DASHBOARD_TOKEN_FILE)').toBe(false);
  const tokenFile = env.get('DASHBOARD_TOKEN_FILE')?.value;
  if (env.get('MESHGLASS_AUTH')?.value === 'trusted-proxy') {
    expect(tokenFile).toBeUndefined();
  } else {
    expect(tokenFile, 'DASHBOARD_TOKEN_FILE').toBeDefined();
    const mount = (c.volumeMounts ?? []).find((m) => tokenFile!.startsWith(`${m.mountPath}/`));
    expect(mount, 'DASHBOARD_TOKEN_FILE lies in a mounted volume').toBeDefined();
    const vol = (pod.volumes ?? []).find((v) => v.name === mount?.name) as { secret?: { secretName?: string; optional?: boolean } } | undefined;
    expect(vol?.secret?.secretName).toBe('meshglass-dashboard');
    expect(vol?.secret?.optional, 'the token Secret is required: no Secret, no start').not.toBe(true);
  }
  // Other secret-backed variables must be optional so an install needs no Secret but the token.
  for (const e of c.env ?? []) {
    const ref = (e.valueFrom as { secretKeyRef?: { optional?: boolean } } | undefined)?.secretKeyRef;
    if (ref) expect(ref.optional, `${e.name} secretKeyRef.optional`).toBe(true);
  }
  for (const v of pod.volumes ?? []) {
    const secret = (v as { secret?: { optional?: boolean } }).secret;
    if (secret && !v.name.startsWith('prometheus-auth') && v.name !== 'dashboard-token') expect(secret.optional, `volume ${v.name}`).toBe(true);
  }
  // The only writable path of the read-only root filesystem is an emptyDir on /tmp.
  const tmpMount = (c.volumeMounts ?? []).find((m) => m.mountPath === '/tmp');
  expect(tmpMount).toBeDefined();
  const tmpVolume = (pod.volumes ?? []).find((v) => v.name === tmpMount?.name) as Doc | undefined;
  expect(tmpVolume?.emptyDir).toBeDefined();
  // Numeric non-root user matching the image (Dockerfile USER 65532).
  expect((doc as { spec: { template: { spec: { securityContext: { runAsUser?: number } } } } }).spec.template.spec.securityContext.runAsUser).toBe(65532);
  const port = c.ports.find((p) => p.name === 'http');
  expect(port?.containerPort).toBe(3000);
  // lib/config rejects X together with X_FILE: no manifest may set both.
  for (const name of env.keys()) {
    if (name.endsWith('_FILE')) expect(env.has(name.slice(0, -'_FILE'.length)), `${name} and its inline twin`).toBe(false);
  }
}

// ---------- tests on the source files ----------

describe('deploy/ YAML files', () => {
  it('finds the expected files', () => {
    const names = yamlFiles.map(rel);
    expect(names).toContain(path.join('base', 'kustomization.yaml'));
    expect(names).toContain(path.join('overlays', 'oauth2-proxy', 'kustomization.yaml'));
    expect(names).toContain('prometheus-recording-rules.yaml');
  });

  it.each(yamlFiles.map((f) => [rel(f), f]))('%s parses and every object matches its schema', (_name, file) => {
    const docs = parsed.get(file) ?? [];
    expect(docs.length).toBeGreaterThan(0);
    for (const doc of docs) {
      if ('groups' in doc || 'rule_files' in doc) continue; // Prometheus rule / promtool test files
      expect(typeof doc.apiVersion).toBe('string');
      if (KUSTOMIZE_KINDS.has(String(doc.kind))) continue;
      validateObject(doc, rel(file));
    }
  });

  it('the ClusterRole grants only get/list/watch on exactly the kinds Meshglass reads', () => {
    const roles = [...parsed.values()].flat().filter((d) => d.kind === 'ClusterRole');
    expect(roles).toHaveLength(1);
    for (const r of roles) checkClusterRole(r);
  });

  it('no Role/ClusterRole anywhere touches secrets or uses wildcards', () => {
    const text = yamlFiles.map((f) => readFileSync(f, 'utf8')).join('\n');
    for (const doc of [...parsed.values()].flat()) {
      if (doc.kind !== 'Role' && doc.kind !== 'ClusterRole') continue;
      expect(JSON.stringify(doc.rules)).not.toMatch(/"\*"|secrets/);
    }
    expect(text).not.toMatch(/kind:\s*(Role|ClusterRole)Binding[\s\S]*?name:\s*cluster-admin/);
  });

  it('the Meshglass Deployment is hardened, has an access setting and probes /api/readyz + /api/livez', () => {
    const deployments = [...parsed.values()].flat().filter((d) => d.kind === 'Deployment' && (d.metadata as Doc).name === 'meshglass');
    expect(deployments).toHaveLength(1);
    for (const d of deployments) checkMeshglassDeployment(d);
  });

  it('every kustomization only references files that exist', () => {
    const kustomizations = yamlFiles.filter((f) => /kustomization\.ya?ml$/.test(f));
    expect(kustomizations.length).toBeGreaterThanOrEqual(3);
    for (const file of kustomizations) {
      const dir = path.dirname(file);
      const [doc] = parsed.get(file) ?? [];
      expect(doc, rel(file)).toBeDefined();
      if (!doc) continue;
      expect(KUSTOMIZE_KINDS.has(String(doc.kind)), `${rel(file)} kind`).toBe(true);
      const refs: string[] = [
        ...((doc.resources as string[] | undefined) ?? []),
        ...((doc.components as string[] | undefined) ?? []),
        ...((doc.configMapGenerator as Array<{ envs?: string[]; files?: string[] }> | undefined) ?? []).flatMap((g) => [...(g.envs ?? []), ...(g.files ?? [])]),
      ];
      for (const ref of refs) {
        const target = path.resolve(dir, ref);
        expect(existsSync(target), `${rel(file)} -> ${ref}`).toBe(true);
        if (statSync(target).isDirectory()) {
          expect(existsSync(path.join(target, 'kustomization.yaml')), `${ref} has a kustomization.yaml`).toBe(true);
        }
      }
    }
  });
});

// ---------- recording rules ----------

describe('prometheus-recording-rules.yaml', () => {
  const file = path.join(DEPLOY_DIR, 'prometheus-recording-rules.yaml');
  const [doc] = parsed.get(file) ?? [];
  const rules = z
    .object({
      groups: z.array(
        z.object({
          name: z.string(),
          interval: z.string().optional(),
          rules: z.array(z.object({ record: z.string(), expr: z.string() })),
        }),
      ),
    })
    .parse(doc);
  const all = rules.groups.flatMap((g) => g.rules);

  it('records workload:<metric> for every standard Istio metric', () => {
    const expected = [
      'istio_requests_total',
      'istio_request_duration_milliseconds_bucket',
      'istio_request_duration_milliseconds_count',
      'istio_request_duration_milliseconds_sum',
      'istio_request_bytes_bucket',
      'istio_request_bytes_count',
      'istio_request_bytes_sum',
      'istio_response_bytes_bucket',
      'istio_response_bytes_count',
      'istio_response_bytes_sum',
      'istio_tcp_sent_bytes_total',
      'istio_tcp_received_bytes_total',
      'istio_tcp_connections_opened_total',
      'istio_tcp_connections_closed_total',
    ];
    expect(all.map((r) => r.record).sort()).toEqual(expected.map((m) => `workload:${m}`).sort());
  });

  it('each rule aggregates the metric it is named after (catches the upstream closed/opened typo)', () => {
    for (const r of all) {
      const source = r.record.replace(/^workload:/, '');
      const referenced = [...r.expr.matchAll(/\b(istio_[a-z_]+)\b/g)].map((m) => m[1]);
      expect(referenced, r.record).toEqual([source]);
    }
  });

  it('drops per-pod labels but keeps `app` (ztunnel detection)', () => {
    for (const r of all) {
      const without =
        /without\s*\(([^)]*)\)/
          .exec(r.expr)?.[1]
          ?.split(',')
          .map((s) => s.trim()) ?? [];
      expect(without).toEqual(expect.arrayContaining(['instance', 'pod']));
      expect(without).not.toContain('app');
    }
  });

  it('passes promtool check rules and its promtool unit test', () => {
    execFileSync(PROMTOOL, ['check', 'rules', file], { stdio: 'pipe', timeout: 30_000 });
    execFileSync(PROMTOOL, ['test', 'rules', path.join(DEPLOY_DIR, 'prometheus-recording-rules.test.yaml')], {
      stdio: 'pipe',
      timeout: 30_000,
    });
  });
});

// ---------- kustomize rendering ----------

function kustomize(dir: string): Doc[] {
  const out = execFileSync(KUBECTL, ['kustomize', dir], { encoding: 'utf8', stdio: 'pipe', timeout: 60_000 });
  return parseYamlStream(out, `kubectl kustomize ${dir}`);
}

const scratchDirs: string[] = [];
afterAll(() => {
  for (const d of scratchDirs) rmSync(d, { recursive: true, force: true });
});

function checkRendered(objects: Doc[], ns: string): void {
  for (const o of objects) validateObject(o, 'rendered');
  const clusterScoped = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding']);
  for (const o of objects) {
    const meta = o.metadata as { namespace?: string; name: string };
    if (clusterScoped.has(String(o.kind))) expect(meta.namespace, `${String(o.kind)} ${meta.name}`).toBeUndefined();
    else expect(meta.namespace, `${String(o.kind)} ${meta.name}`).toBe(ns);
  }
  const binding = clusterRoleBinding.parse(objects.find((o) => o.kind === 'ClusterRoleBinding'));
  const sa = objects.find((o) => o.kind === 'ServiceAccount');
  expect(binding.subjects[0]).toMatchObject({ name: (sa?.metadata as Doc).name, namespace: ns });
  expect(objects.some((o) => o.kind === 'ClusterRole' && (o.metadata as Doc).name === binding.roleRef.name)).toBe(true);

  const dep = objects.find((o) => o.kind === 'Deployment' && (o.metadata as Doc).name === 'meshglass');
  expect(dep).toBeDefined();
  if (!dep) return;
  checkMeshglassDeployment(dep);
  const d = deployment.parse(dep);
  expect((dep as { spec: { template: { spec: { serviceAccountName?: string } } } }).spec.template.spec.serviceAccountName).toBe((sa?.metadata as Doc).name);
  const svc = service.parse(objects.find((o) => o.kind === 'Service' && (o.metadata as Doc).name === 'meshglass'));
  for (const [k, v] of Object.entries(svc.spec.selector)) expect(d.spec.template.metadata.labels[k], k).toBe(v);
  const portNames = d.spec.template.spec.containers.flatMap((c) => c.ports.map((p) => p.name));
  for (const p of svc.spec.ports) if (typeof p.targetPort === 'string') expect(portNames).toContain(p.targetPort);
}

describe('kubectl kustomize (offline render)', () => {
  it('deploy/base renders a complete, namespaced, consistent install with default-deny ingress', () => {
    const objects = kustomize(path.join(DEPLOY_DIR, 'base'));
    expect(objects.map((o) => o.kind).sort()).toEqual(
      ['ClusterRole', 'ClusterRoleBinding', 'Deployment', 'Namespace', 'NetworkPolicy', 'Service', 'ServiceAccount'].sort(),
    );
    checkRendered(objects, 'meshglass');
    const np = networkPolicy.parse(objects.find((o) => o.kind === 'NetworkPolicy'));
    const labels = deployment.parse(objects.find((o) => o.kind === 'Deployment')).spec.template.metadata.labels;
    for (const [k, v] of Object.entries(np.spec.podSelector.matchLabels)) expect(labels[k]).toBe(v);
    expect(np.spec.policyTypes).toContain('Ingress');
    // One rule: from namespaces that opted in, to the http port only. Nothing else is admitted.
    expect(np.spec.ingress).toEqual([
      { from: [{ namespaceSelector: { matchLabels: { 'meshglass.io/ingress': 'allowed' } } }], ports: [{ port: 'http', protocol: 'TCP' }] },
    ]);
  });

  it('deploy/overlays/oauth2-proxy renders oauth2-proxy in front without the skip-auth hole, and a NetworkPolicy that only admits it', () => {
    const objects = kustomize(path.join(DEPLOY_DIR, 'overlays', 'oauth2-proxy'));
    checkRendered(objects, 'meshglass');
    const proxyDep = deployment.parse(objects.find((o) => o.kind === 'Deployment' && (o.metadata as Doc).name === 'oauth2-proxy'));
    const nps = objects.filter((o) => o.kind === 'NetworkPolicy').map((o) => networkPolicy.parse(o));
    expect(nps).toHaveLength(1);
    const np = nps[0]!;
    const meshglass = deployment.parse(objects.find((o) => o.kind === 'Deployment' && (o.metadata as Doc).name === 'meshglass'));
    for (const [k, v] of Object.entries(np.spec.podSelector.matchLabels)) expect(meshglass.spec.template.metadata.labels[k]).toBe(v);
    // Only the oauth2-proxy pods (NetworkPolicies add up: no other rule may admit anyone else).
    expect(np.spec.ingress).toEqual([
      { from: [{ podSelector: { matchLabels: proxyDep.spec.template.metadata.labels } }], ports: [{ port: 'http', protocol: 'TCP' }] },
    ]);
    // Meshglass requires the identity header oauth2-proxy sets.
    const env = new Map((meshglass.spec.template.spec.containers[0]!.env ?? []).map((e) => [e.name, e.value]));
    expect(env.get('MESHGLASS_AUTH')).toBe('trusted-proxy');
    expect(env.get('MESHGLASS_TRUSTED_PROXY_HEADER')).toBe('X-Forwarded-Email');
    const cm = objects.find((o) => o.kind === 'ConfigMap') as { data?: Record<string, string> } | undefined;
    const data = cm?.data ?? {};
    expect(data.OAUTH2_PROXY_UPSTREAMS).toMatch(/^http:\/\/meshglass[.:]/);
    expect(data.OAUTH2_PROXY_PASS_USER_HEADERS).toBe('true');
    // GHSA-7x63-xv5r-3p2x / oauth2-proxy#3506: no skip-auth route or regex anywhere (config, env, args) …
    const rendered = JSON.stringify(objects);
    expect(rendered).not.toMatch(/SKIP_AUTH_ROUTES|SKIP_AUTH_REGEX|skip-auth-route|skip-auth-regex|skip_auth/i);
    // … forwarded headers trusted only from named proxies, never everyone …
    const trusted = data.OAUTH2_PROXY_TRUSTED_PROXY_IPS ?? '';
    expect(trusted).not.toBe('');
    for (const cidr of trusted.split(',')) expect(cidr.trim()).not.toMatch(/^(0\.0\.0\.0\/0|::\/0)$/);
    // … and a release with the fix (>= 7.15.2), pinned.
    const image = proxyDep.spec.template.spec.containers[0]!.image;
    const m = /:v(\d+)\.(\d+)\.(\d+)(@sha256:[0-9a-f]{64})?$/.exec(image);
    expect(m, `pinned oauth2-proxy version in ${image}`).not.toBeNull();
    const [maj, min, pat] = [Number(m![1]), Number(m![2]), Number(m![3])];
    expect(maj * 1e6 + min * 1e3 + pat, `${image} >= v7.15.2`).toBeGreaterThanOrEqual(7 * 1e6 + 15 * 1e3 + 2);
  });

  it('the egress component renders a policy limited to DNS, the API server and Prometheus', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'meshglass-kustomize-'));
    scratchDirs.push(dir);
    const rel = path.relative(dir, DEPLOY_DIR);
    writeFileSync(
      path.join(dir, 'kustomization.yaml'),
      [
        'apiVersion: kustomize.config.k8s.io/v1beta1',
        'kind: Kustomization',
        'resources:',
        `  - ${rel}/base`,
        'components:',
        `  - ${rel}/components/egress-policy`,
        '',
      ].join('\n'),
    );
    const objects = kustomize(dir);
    checkRendered(objects, 'meshglass');
    const egress = objects
      .filter((o) => o.kind === 'NetworkPolicy')
      .map((o) => networkPolicy.parse(o))
      .find((p) => p.spec.policyTypes.includes('Egress'));
    expect(egress?.spec.egress).toHaveLength(3);
  });

  it('documented variants render: own namespace without the Namespace object, token file component', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'meshglass-kustomize-'));
    scratchDirs.push(dir);
    const rel = path.relative(dir, DEPLOY_DIR);
    writeFileSync(
      path.join(dir, 'kustomization.yaml'),
      [
        'apiVersion: kustomize.config.k8s.io/v1beta1',
        'kind: Kustomization',
        'namespace: observability',
        'resources:',
        `  - ${rel}/base`,
        'components:',
        `  - ${rel}/components/prometheus-token-file`,
        'patches:',
        '  - patch: |-',
        '      apiVersion: v1',
        '      kind: Namespace',
        '      metadata:',
        '        name: meshglass',
        '      $patch: delete',
        '',
      ].join('\n'),
    );
    const objects = kustomize(dir);
    expect(objects.some((o) => o.kind === 'Namespace')).toBe(false);
    checkRendered(objects, 'observability');
    const dep = deployment.parse(objects.find((o) => o.kind === 'Deployment'));
    const c = dep.spec.template.spec.containers[0];
    const fileVar = c?.env?.find((e) => e.name === 'PROMETHEUS_BEARER_TOKEN_FILE')?.value;
    expect(fileVar).toBeDefined();
    expect(c?.env?.some((e) => e.name === 'PROMETHEUS_BEARER_TOKEN')).toBe(false);
    const mount = c?.volumeMounts?.find((m) => fileVar?.startsWith(`${m.mountPath}/`));
    expect(mount, 'PROMETHEUS_BEARER_TOKEN_FILE lies in a mounted volume').toBeDefined();
    expect(dep.spec.template.spec.volumes?.some((v) => v.name === mount?.name)).toBe(true);
  });

  it('snapshot-pvc component: SNAPSHOT_STORE lies on the PersistentVolumeClaim it adds', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'meshglass-kustomize-'));
    scratchDirs.push(dir);
    const rel = path.relative(dir, DEPLOY_DIR);
    writeFileSync(
      path.join(dir, 'kustomization.yaml'),
      [
        'apiVersion: kustomize.config.k8s.io/v1beta1',
        'kind: Kustomization',
        'resources:',
        `  - ${rel}/base`,
        'components:',
        `  - ${rel}/components/snapshot-pvc`,
        '',
      ].join('\n'),
    );
    const objects = kustomize(dir);
    const pvc = objects.find((o) => o.kind === 'PersistentVolumeClaim') as { metadata: { name: string; namespace?: string } } | undefined;
    expect(pvc?.metadata.namespace).toBe('meshglass');
    const dep = deployment.parse(objects.find((o) => o.kind === 'Deployment'));
    const c = dep.spec.template.spec.containers[0];
    const store = c?.env?.find((e) => e.name === 'SNAPSHOT_STORE')?.value;
    const mount = c?.volumeMounts?.find((m) => m.mountPath === store);
    expect(mount, 'SNAPSHOT_STORE is a mounted volume').toBeDefined();
    const volume = dep.spec.template.spec.volumes?.find((v) => v.name === mount?.name) as Record<string, unknown> | undefined;
    expect(volume?.persistentVolumeClaim).toEqual({ claimName: pvc?.metadata.name });
    expect(volume?.emptyDir).toBeUndefined();
  });
});

// ---------- container image (static checks: docker cannot run where these tests run) ----------

describe('Dockerfile', () => {
  const text = readFileSync(path.join(DEPLOY_DIR, '..', 'Dockerfile'), 'utf8');
  const args = new Map([...text.matchAll(/^ARG (\w+)=(\S+)$/gm)].map((m) => [m[1]!, m[2]!]));
  const stages = [...text.matchAll(/^FROM (\S+)(?: AS (\w+))?$/gm)].map((m) => ({
    image: m[1]!.replace(/^\$\{(\w+)\}$/, (_, a: string) => args.get(a) ?? a),
    name: m[2],
  }));
  const runtimeStart = text.lastIndexOf('\nFROM ');
  const runtime = text.slice(runtimeStart);

  it('the runtime stage is distroless Node pinned by digest', () => {
    const last = stages.at(-1)!;
    expect(last.name).toBe('runtime');
    expect(last.image).toMatch(/^gcr\.io\/distroless\/nodejs\d+-debian\d+(:[\w.-]+)?@sha256:[0-9a-f]{64}$/);
  });

  it('runs as a numeric non-root user without a shell', () => {
    expect(runtime).toMatch(/^USER 65532:65532$/m);
    expect(runtime).not.toMatch(/\/bin\/sh|\bRUN\b/);
    const cmd = /^CMD (\[.*\])$/m.exec(runtime)?.[1];
    expect(cmd && JSON.parse(cmd)).toEqual(['docker-entry.mjs']);
    expect(existsSync(path.join(DEPLOY_DIR, '..', 'scripts', 'docker-entry.mjs'))).toBe(true);
    expect(runtime).toMatch(/HEALTHCHECK[\s\S]*\/api\/livez/);
  });
});
