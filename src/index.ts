export * from './core';
export * from './failover-dns';
export * from './aurora-global-failover';
export * from './global-cache';
export * from './global-ssr-site';
export * from './multi-region-api';
export * from './rds-cross-region-replica';
export * from './simulator';
