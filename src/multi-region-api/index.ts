export * from './options';
export * from './multi-region-api';
