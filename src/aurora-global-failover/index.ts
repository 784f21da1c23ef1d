export * from './aurora-global-failover';
export * from './props';
export { AuroraGlobalSupport } from './support';
export * from './region-stack';
export * from './primary-stack';
export * from './secondary-stack';
export * from './orchestrator';
export * from './writer-endpoint';
