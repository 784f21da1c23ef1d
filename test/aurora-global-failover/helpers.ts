import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AuroraGlobalFailover, AuroraGlobalFailoverProps } from '../../src/aurora-global-failover';

export const ACCOUNT = '111111111111';
export const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-2', 'ap-northeast-1', 'sa-east-1'];
/** A primary-health alarm in us-west-2, the default auto-failover target of `build()`. */
export const HEALTH_ALARM = `arn:aws:cloudwatch:us-west-2:${ACCOUNT}:alarm:orders-primary-health`;

/** An `AuroraGlobalFailover` over the first `n` of REGIONS, global cluster `orders`. */
export function build(props: Partial<AuroraGlobalFailoverProps> = {}, n = 2) {
  const app = new App();
  const db = new AuroraGlobalFailover(app, 'Orders', { account: ACCOUNT, regions: REGIONS.slice(0, n), globalClusterIdentifier: 'orders', ...props });
  return { app, db };
}

export function template(db: AuroraGlobalFailover, region: string): Template {
  return Template.fromStack(db.regionalResources(region).stack);
}

/** The state machine definition of `region`, with tokens replaced by "<T>". */
export function definition(db: AuroraGlobalFailover, region: string): any {
  const t = template(db, region);
  const sm: any = Object.values(t.findResources('AWS::StepFunctions::StateMachine'))[0];
  const def = sm.Properties.DefinitionString;
  const parts: unknown[] = def['Fn::Join'] ? def['Fn::Join'][1] : [def];
  return JSON.parse(parts.map((x) => (typeof x === 'string' ? x : '"<T>"')).join('').replace(/""<T>""/g, '"<T>"'));
}

/** The validation errors `app.synth()` reports, one per line ("[path] message"), or [] when synthesis passes. */
export function synthErrors(app: App): string[] {
  try {
    app.synth();
    return [];
  } catch (e) {
    return (e as Error).message.split('\n').filter((l) => l.startsWith('  ['));
  }
}
