import { cloudFrontRule } from './cloudfront';
import { databaseFlows } from './databases';
import { route53Rule } from './route53';
import { FlowRule } from '../context';

/**
 * Every family of flows the simulator models, in report order. Each rule reads the assembly graph, applies AWS's
 * documented semantics and returns its flows (and appends findings to the context).
 * @internal
 */
export const RULES: FlowRule[] = [
  route53Rule,
  cloudFrontRule,
  databaseFlows,
];
