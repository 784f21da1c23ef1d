export * from './types';
export * from './outage-simulator';
