export * from './global-ssr-site';
export * from './props';
