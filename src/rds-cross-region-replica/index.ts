export * from './rds-cross-region-replica';
export * from './props';
export { RdsCrossRegionReplicaSupport } from './support';
