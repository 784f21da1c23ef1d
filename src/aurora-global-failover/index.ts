export * from './aurora-global-failover';
export * from './props';
export { AuroraGlobalSupport } from './support';
