export * from './global-ssr-site';
export * from './props';
export * from './ssr-edge-stack';
export * from './ssr-origin-stack';
export * from './ssr-region-stack';
