// Public surface of lib/mesh (pure classification and graph building).
export * from './types';
export * from './ids';
export { buildMeshGraph, buildMeshContext, buildMeshContexts, groupSeries, resolveEndpoint, serviceOf, modesInWindow } from './build';
export type { MeshContext, SeriesGroup, Endpoint } from './model';
export { inventoryOf, type ClusterInventory, type ControlPlaneFacts } from './inventory';
export { resolveClusterNames, telemetryClusters } from './cluster-name';
export { EDGE_DECORATORS, finishEdge } from './edge';
export {
  classifyPod,
  podIntent,
  podIssues,
  podMismatches,
  sidecarRequested,
  ambientRequested,
  imageTag,
  type PodClass,
  type PodClassification,
  type PodIssue,
  type PodIssueCode,
} from './pods';
export { kubectlTarget, restartCommand } from './kubectl';
export {
  buildWorkloadIndex,
  applicationWorkloads,
  combineModes,
  namespaceModeOf,
  type WorkloadIndex,
  type WorkloadInfo,
  type WorkloadRole,
  type ClassifiedPod,
} from './workloads';
export { buildWaypointIndex, type WaypointIndex, type WaypointInfo, type WaypointBinding, type WaypointFor } from './waypoints';
export { portProtocol, serviceProtocol, servicesProtocol, portsProtocol, type ProtocolDecision } from './protocol';
export { attributeTarget, attributeByMode, attributeKey, type Attribution } from './attribution';
export { decidePath, decideMtls, mtlsObservation, pickReporter } from './edges';
export { grpcCodeName, histogramQuantile, isErrorCode, isFailedRequest, l4Rates, l7Rates, l7Statuses, parseLe, windowSeconds } from './rates';
export { mergeSnapshots } from './merge';
