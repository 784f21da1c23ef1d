export * from './core';
export * from './failover-dns';
