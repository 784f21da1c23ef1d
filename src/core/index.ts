export { FailoverErrors } from './errors';
export * from './recovery';
export { isValidRegionName } from './regions';
