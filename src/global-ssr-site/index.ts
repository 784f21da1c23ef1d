export * from './global-ssr-site';
