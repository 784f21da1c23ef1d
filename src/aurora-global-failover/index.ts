export * from './aurora-global-failover';
export { AuroraGlobalSupport } from './support';
