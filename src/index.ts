export * from './core';
export * from './failover-dns';
export * from './aurora-global-failover';
