// Real series quoted in docs/istio-telemetry.md §5 (h)–(l), as label objects (verbatim values).
import type { Labels } from '../types';

function parse(text: string): Labels {
  const out: Labels = {};
  const re = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;
  for (let m = re.exec(text); m; m = re.exec(text)) out[m[1]!] = m[2]!;
  return out;
}

/** (h) ztunnel raw exposition, reporter=source, istio/ztunnel#404 (value 225). */
export const H_ZTUNNEL_SOURCE_SENT = parse(
  `reporter="source",source_workload="sleep",source_canonical_service="sleep",source_canonical_revision="latest",source_workload_namespace="default",source_principal="spiffe://cluster.local/ns/default/sa/sleep",source_app="sleep",source_version="latest",source_cluster="Kubernetes",destination_service="unknown",destination_service_namespace="unknown",destination_service_name="unknown",destination_workload="helloworld-v2-same-node",destination_canonical_service="helloworld",destination_canonical_revision="v2",destination_workload_namespace="default",destination_principal="spiffe://cluster.local/ns/default/sa/helloworld",destination_app="helloworld",destination_version="v2",destination_cluster="Kubernetes",request_protocol="tcp",response_flags="-",connection_security_policy="mutual_tls"`,
);

/** (i) ztunnel series in Prometheus with target labels, reporter=destination, kiali/kiali#6511 (value 17738454). */
export const I_ZTUNNEL_DEST_RECEIVED = parse(
  `app="ztunnel", connection_security_policy="mutual_tls", controller_revision_hash="6b4c67b69d", destination_app="echo-versions", destination_canonical_revision="v2", destination_canonical_service="echo-versions", destination_cluster="Kubernetes", destination_principal="spiffe://cluster.local/ns/server/sa/default", destination_service="unknown", destination_service_name="unknown", destination_service_namespace="unknown", destination_version="v2", destination_workload="echo-v2", destination_workload_namespace="server", instance="10.68.2.42:15020", job="kubernetes-pods", namespace="istio-system", pod="ztunnel-6f5cp", pod_template_generation="1", reporter="destination", request_protocol="tcp", response_flags="-", sidecar_istio_io_inject="false", source_app="gateway-istio", source_canonical_revision="latest", source_canonical_service="gateway-istio", source_cluster="Kubernetes", source_principal="spiffe://cluster.local/ns/server/sa/gateway-istio", source_version="latest", source_workload="gateway-istio", source_workload_namespace="server"`,
);

/** (i) client ztunnel to an unknown destination, kiali/kiali#6415. */
export const I_ZTUNNEL_SOURCE_UNKNOWN_DEST = parse(
  `app="ztunnel", connection_security_policy="unknown", controller_revision_hash="7f94f58597", destination_app="unknown", destination_canonical_revision="unknown", destination_canonical_service="unknown", destination_cluster="unknown", destination_principal="unknown", destination_service="unknown", destination_service_name="unknown", destination_service_namespace="unknown", destination_version="unknown", destination_workload="unknown", destination_workload_namespace="unknown", instance="10.244.0.8:15020", job="kubernetes-pods", namespace="istio-system", pod="ztunnel-vbzsb", pod_template_generation="1", reporter="source", request_protocol="tcp", response_flags="-", sidecar_istio_io_inject="false", source_app="debugbox", source_canonical_revision="latest", source_canonical_service="debugbox", source_cluster="Kubernetes", source_principal="spiffe://cluster.local/ns/ambient/sa/default", source_version="latest", source_workload="debugbox", source_workload_namespace="ambient"`,
);

/** (j) waypoint-reported istio_requests_total, istio/istio#51313 (truncated there). */
export const J_WAYPOINT_REQUESTS = parse(
  `connection_security_policy="mutual_tls", destination_app="productpage", destination_canonical_revision="v1", destination_canonical_service="productpage", destination_cluster="Kubernetes", destination_principal="spiffe://cluster.local/ns/istio-workloads-lab/sa/bookinfo-productpage", destination_service="productpage.istio-workloads-lab.svc.cluster.local", destination_service_name="productpage", destination_service_namespace="istio-workloads-lab", destination_version="v1", destination_workload="productpage-v1", destination_workload_namespace="istio-workloads-lab", endpoint="metrics", instance="10.205.64.152:15020", job="istio-waypoint", namespace="istio-workloads-lab", pod="waypoint-565898c798-hjdcp", reporter="waypoint", request_protocol="http", response_code="200", response_flags="-"`,
);

/** (k) client sidecar TCP closed with UH, istio/istio#52221 (value 88). */
export const K_SIDECAR_CLIENT_CLOSED = parse(
  `reporter="source",source_workload="session-manager-test-dev",source_canonical_service="session-manager-test-dev",source_canonical_revision="v1",source_workload_namespace="example-test-dev",source_principal="unknown",source_app="session-manager-test-dev",source_version="v1",source_cluster="Kubernetes",destination_workload="unknown",destination_workload_namespace="unknown",destination_principal="unknown",destination_app="unknown",destination_version="unknown",destination_service="redis-sessman-master.example-test-dev.svc.cluster.local",destination_canonical_service="unknown",destination_canonical_revision="latest",destination_service_name="redis-sessman-master",destination_service_namespace="unknown",destination_cluster="unknown",request_protocol="tcp",response_flags="UH",connection_security_policy="unknown"`,
);

/** (l) server sidecar L7 without mTLS (istio/proxy server_request_total.yaml.tmpl): the labels that matter. */
export const L_SIDECAR_SERVER_REQUESTS: Labels = {
  reporter: 'destination',
  request_protocol: 'http',
  response_code: '200',
  grpc_response_status: '',
  response_flags: '-',
  connection_security_policy: 'none',
};

/** Restrict to a label list (what a grouped query returns). */
export function pick(labels: Labels, names: readonly string[]): Labels {
  return Object.fromEntries(names.flatMap((n) => (labels[n] !== undefined ? [[n, labels[n]!]] : [])));
}
