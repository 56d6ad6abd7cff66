// plaintext: edges whose server side saw no mTLS (mtls=plaintext) into meshed workloads. One finding
// per destination; critical when a STRICT PeerAuthentication applies to the destination (on the
// Service's target ports), else warning. Out-of-mesh clients are named.
import type { Finding, GraphEdge, GraphNode, KubeSnapshot, MeshGraph } from '../types';
import { destinationServices, indexGraph, listText, nodeRef, plural, workloadPods } from './common';
import { inventoryOf } from '../inventory';
import { restartCommand } from '../kubectl';
import { podIntent, sidecarRequested } from '../pods';
import { ref, uniqSorted } from '../util';

function meshed(n: GraphNode | undefined): boolean {
  if (!n) return false;
  if (n.kind === 'waypoint') return true;
  if (n.kind !== 'workload' && n.kind !== 'gateway') return false;
  return n.mode === 'sidecar' || n.mode === 'ambient' || n.mode === 'mixed';
}

/** STRICT applies when the deciding PeerAuthentication is STRICT and no used port is relaxed. */
function strictFor(kube: KubeSnapshot, e: GraphEdge, target: GraphNode): { strict: boolean; evidence?: string; note?: string } {
  const pods = workloadPods(kube, target.namespace, target.name);
  const inv = inventoryOf(kube);
  const pa = pods.map((p) => inv.peerAuthFor(p.pod)).find((x) => x !== undefined);
  if (!pa || pa.mode !== 'STRICT') return { strict: false, ...(pa ? { evidence: `PeerAuthentication ${ref(pa.policy.namespace, pa.policy.name)}` } : {}) };
  const evidence = `PeerAuthentication ${ref(pa.policy.namespace, pa.policy.name)}`;
  const ports = destinationServices(kube, e, target).flatMap((s) => s.ports.map((p) => String(typeof p.targetPort === 'number' ? p.targetPort : p.port)));
  const relaxed = ports.filter((p) => {
    const m = pa.policy.portLevelMtls[p];
    return m === 'PERMISSIVE' || m === 'DISABLE';
  });
  if (ports.length > 0 && relaxed.length === ports.length) {
    return {
      strict: false,
      evidence,
      note: `${evidence} is STRICT but port ${relaxed.join(', ')} is ${relaxed.map((p) => pa.policy.portLevelMtls[p]).join('/')}, which is why plaintext is accepted.`,
    };
  }
  return { strict: true, evidence };
}

export function plaintextFindings(kube: KubeSnapshot, graph: MeshGraph): Finding[] {
  const { nodes, edges } = indexGraph(graph);
  const byTarget = new Map<string, GraphEdge[]>();
  for (const e of edges) {
    if (e.mtls !== 'plaintext') continue;
    if (!meshed(nodes.get(e.target))) continue;
    const list = byTarget.get(e.target) ?? [];
    list.push(e);
    byTarget.set(e.target, list);
  }
  const findings: Finding[] = [];
  for (const [targetId, pe] of [...byTarget.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const target = nodes.get(targetId)!;
    const dst = nodeRef(target, targetId);
    const clients = pe.map((e) => ({ e, n: nodes.get(e.source) }));
    const outOfMesh = clients.filter(({ n }) => !n || n.kind === 'unknown' || (n.kind === 'workload' && n.mode === 'none'));
    const strict = pe.map((e) => strictFor(kube, e, target));
    const isStrict = strict.some((s) => s.strict);
    const clientRefs = uniqSorted(clients.map(({ e, n }) => nodeRef(n, e.source)));
    const outRefs = uniqSorted(outOfMesh.map(({ e, n }) => nodeRef(n, e.source)));

    let message =
      `${plural(pe.length, 'edge')} into ${dst} (${target.mode ?? target.kind}) carried plaintext traffic, without mTLS, ` + `from ${listText(clientRefs)}.`;
    if (outRefs.length > 0) message += ` Out-of-mesh client${outRefs.length > 1 ? 's' : ''}: ${listText(outRefs)}.`;
    if (isStrict) message += ' A STRICT PeerAuthentication applies to the destination, yet plaintext was observed.';
    const note = strict.find((s) => s.note)?.note;
    if (note && !isStrict) message += ` ${note}`;

    const fixes: string[] = [];
    for (const { e, n } of outOfMesh) {
      if (n?.kind === 'workload') {
        const inv = inventoryOf(kube);
        const pods = workloadPods(kube, n.namespace, n.name).map((p) => p.pod);
        const optedOut = pods.some((p) => podIntent(p, inv.namespace(p.namespace)).sidecarInject === 'false');
        const nsMode = pods.find((p) => sidecarRequested(podIntent(p, inv.namespace(p.namespace))));
        if (optedOut) {
          fixes.push(
            `# ${nodeRef(n, e.source)} opted out of injection (sidecar.istio.io/inject: "false"): remove that label from its pod template, then\n` +
              restartCommand(pods[0]?.workload.kind ?? 'Deployment', n.name, n.namespace),
          );
        } else if (nsMode) {
          fixes.push(restartCommand(pods[0]?.workload.kind ?? 'Deployment', n.name, n.namespace));
        } else {
          fixes.push(`kubectl label namespace ${n.namespace} istio.io/dataplane-mode=ambient   # enrol ${nodeRef(n, e.source)}`);
        }
      } else {
        fixes.push(`# identify ${nodeRef(n, e.source)} (not a known workload) and bring it into the mesh`);
      }
    }
    if (!isStrict) {
      fixes.push(
        `# then refuse plaintext for ${dst}:\nkubectl apply -n ${target.namespace} -f - <<EOF\n` +
          `apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata:\n  name: default\nspec:\n  mtls:\n    mode: STRICT\nEOF`,
      );
    } else if (outOfMesh.length < clients.length) {
      fixes.push(`# meshed clients sending plaintext: check for a DestinationRule with tls.mode: DISABLE towards ${dst}`);
    }
    findings.push({
      id: `plaintext:${dst}`,
      kind: 'plaintext',
      severity: isStrict ? 'critical' : 'warning',
      namespace: target.namespace,
      objects: uniqSorted([dst, ...clientRefs]),
      evidence: uniqSorted([...pe.map((e) => e.id), ...strict.map((s) => s.evidence).filter((x): x is string => !!x)]),
      message,
      fix: [...new Set(fixes)].join('\n'),
    });
  }
  return findings;
}
