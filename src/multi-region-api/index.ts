export * from './options';
export * from './props';
export * from './multi-region-api';
export * from './regional-api-stack';
export * from './api-health-alarms-stack';
