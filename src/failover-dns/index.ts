export * from './options';
export * from './failover-dns';
export * from './failover-endpoint-record';
