// Kiali's per-namespace graph query pattern (docs/istio-telemetry.md §3.2; kiali graph/telemetry/istio/istio.go,
// buildNamespaceTrafficMap, ambient=total): per namespace 4 HTTP + 3 TCP instant queries, each a
// `sum(rate(...[W])) by (~17 labels) > 0`, run one after the other, namespace after namespace.
// The 4th HTTP query (ambient ingress, reporter=source into the namespace from a gateway) is our
// reading of the ambient addition; the other six follow the three-query shape of the source.

const HTTP_BY =
  'source_cluster,source_workload_namespace,source_workload,source_canonical_service,source_canonical_revision,destination_cluster,destination_service_namespace,destination_service,destination_service_name,destination_workload_namespace,destination_workload,destination_canonical_service,destination_canonical_revision,request_protocol,response_code,grpc_response_status,response_flags';
const TCP_BY =
  'app,source_cluster,source_workload_namespace,source_workload,source_canonical_service,source_canonical_revision,destination_cluster,destination_service_namespace,destination_service,destination_service_name,destination_workload_namespace,destination_workload,destination_canonical_service,destination_canonical_revision,response_flags';

const SRC = 'reporter=~"waypoint|source"';
const DST = 'reporter=~"waypoint|destination"';

export function kialiNamespaceQueries(ns: string, windowSeconds: number): string[] {
  const w = `[${windowSeconds}s]`;
  const http = 'istio_requests_total';
  const tcp = 'istio_tcp_sent_bytes_total';
  const q = (metric: string, sel: string, by: string) => `sum(rate(${metric}{${sel}} ${w})) by (${by}) > 0`;
  return [
    // 1) from "unknown" (no source proxy): destination-reported
    q(http, `${DST},source_workload="unknown",destination_workload_namespace="${ns}"`, HTTP_BY),
    // 2) from workloads outside the namespace
    q(http, `${SRC},source_workload_namespace!="${ns}",source_workload!="unknown",destination_service_namespace="${ns}"`, HTTP_BY),
    // 3) from workloads inside the namespace
    q(http, `${SRC},source_workload_namespace="${ns}"`, HTTP_BY),
    // 4) ambient: gateway traffic into the namespace, destination-side reporters only
    q(http, `${DST},source_workload_namespace!="${ns}",destination_workload_namespace="${ns}"`, HTTP_BY),
    // TCP 1-3
    q(tcp, `${DST},source_workload="unknown",destination_workload_namespace="${ns}"`, TCP_BY),
    q(tcp, `${SRC},source_workload_namespace!="${ns}",source_workload!="unknown",destination_service_namespace="${ns}"`, TCP_BY),
    q(tcp, `${SRC},source_workload_namespace="${ns}"`, TCP_BY),
  ];
}
