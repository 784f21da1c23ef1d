export * from './props';
export { RegionSwitchPlan } from './region-switch-plan';
