import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { GlobalCache, GlobalCacheProps } from '../../src/global-cache';

export const ACCOUNT = '111111111111';
export const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1'];

/** A `GlobalCache` over the first `n` of REGIONS, cache `sessions`. */
export function build(props: Partial<GlobalCacheProps> = {}, n = 2) {
  const app = new App();
  const cache = new GlobalCache(app, 'Sessions', { account: ACCOUNT, regions: REGIONS.slice(0, n), cacheName: 'sessions', ...props });
  return { app, cache };
}

export function template(cache: GlobalCache, region: string): Template {
  return Template.fromStack(cache.regionalResources(region).stack);
}

/** The state machine definition of `region`, with tokens replaced by "<T>". */
export function definition(cache: GlobalCache, region: string): any {
  const t = template(cache, region);
  const sm: any = Object.values(t.findResources('AWS::StepFunctions::StateMachine'))[0];
  const def = sm.Properties.DefinitionString;
  const parts: unknown[] = def['Fn::Join'] ? def['Fn::Join'][1] : [def];
  return JSON.parse(parts.map((x) => (typeof x === 'string' ? x : '"<T>"')).join('').replace(/""<T>""/g, '"<T>"'));
}
