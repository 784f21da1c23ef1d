export * from './props';
export * from './regional-service';
