// The versioned view on the canvas (docs/api.md §5, group=version): each app with more than one version
// becomes a box inside its namespace box, holding the workloads of its versions, each labelled with its
// version. Pure post-processing of the element list (toScaledElements), so collapsing, filters and the
// per-cluster namespace boxes keep working unchanged.
import type { MeshGraph, VersionedApp } from '@/lib/mesh/types';
import type { GraphElement } from './to-elements';

export const APP_BOX_CLASS = 'app-box';

/** Label of an app box: the app and how many versions it runs. */
export function appBoxLabel(app: VersionedApp): string {
  return `${app.app} · ${app.versions.length} versions`;
}

/**
 * Adds one compound node per multi-version app (id = VersionedApp.id) and moves its workload nodes into it,
 * with their version(s) as an extra label line. Workloads not drawn (filtered, collapsed into a namespace)
 * are skipped; an app none of whose workloads is drawn gets no box.
 */
export function withAppBoxes(elements: readonly GraphElement[], apps: readonly VersionedApp[] | undefined): GraphElement[] {
  if (!apps || apps.length === 0) return [...elements];
  const versionsOf = new Map<string, { app: VersionedApp; versions: string[] }>();
  for (const app of apps) {
    if (app.versions.length < 2) continue;
    for (const v of app.versions) {
      for (const w of v.workloads) {
        const e = versionsOf.get(w) ?? { app, versions: [] };
        e.versions.push(v.version);
        versionsOf.set(w, e);
      }
    }
  }
  const boxes = new Map<string, GraphElement>();
  const rest: GraphElement[] = [];
  for (const el of elements) {
    const hit = el.group === 'nodes' && el.data.aggregate !== true ? versionsOf.get(el.data.id) : undefined;
    if (!hit) {
      rest.push(el);
      continue;
    }
    const { app, versions } = hit;
    if (!boxes.has(app.id)) {
      boxes.set(app.id, {
        group: 'nodes',
        data: {
          id: app.id,
          ...(typeof el.data.parent === 'string' ? { parent: el.data.parent } : {}),
          label: appBoxLabel(app),
          kind: 'app',
          namespace: app.namespace,
          cluster: app.cluster,
        },
        classes: APP_BOX_CLASS,
      });
    }
    rest.push({ ...el, data: { ...el.data, parent: app.id, label: `${String(el.data.label)}\nversion ${versions.join(', ')}` } });
  }
  // Boxes before their members (cytoscape needs the parent first), after the namespace boxes.
  const firstMember = rest.findIndex((e) => e.group === 'nodes' && e.data.kind !== 'namespace');
  const at = firstMember < 0 ? rest.length : firstMember;
  return [...rest.slice(0, at), ...boxes.values(), ...rest.slice(at)];
}

/**
 * The graph page reads traffic first (`omit=latency`) and latency second (lib/graph/latency.ts): the versions'
 * p95 arrives with the second answer. Takes each version's p95 from it where it has the same app; the rest
 * of the apps (traffic, shares, splits) stay those of the drawn graph.
 */
export function withVersionLatency<G extends Pick<MeshGraph, 'apps'>>(graph: G, latency: Pick<MeshGraph, 'apps'> | undefined): G {
  if (!graph.apps || !latency?.apps) return graph;
  const p95 = new Map<string, number>();
  for (const a of latency.apps) for (const v of a.versions) if (v.p95Ms !== undefined) p95.set(`${a.id}\u0000${v.version}`, v.p95Ms);
  if (p95.size === 0) return graph;
  return {
    ...graph,
    apps: graph.apps.map((a) => ({
      ...a,
      versions: a.versions.map((v) => {
        const ms = p95.get(`${a.id}\u0000${v.version}`);
        return ms === undefined ? v : { ...v, p95Ms: ms };
      }),
    })),
  };
}
