export * from './options';
export * from './props';
export * from './multi-region-api';
