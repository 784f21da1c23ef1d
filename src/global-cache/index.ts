export * from './global-cache';
export * from './props';
export { GlobalCacheEngine, GlobalCacheSupport } from './support';
