export * from './failover-dashboard';
