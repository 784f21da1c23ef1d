import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { RdsCrossRegionReplica, RdsCrossRegionReplicaProps } from '../../src/rds-cross-region-replica';

export const ACCOUNT = '111111111111';
export const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-2', 'ap-northeast-1', 'sa-east-1'];
export const DNS = { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com', recordName: 'writer.db.example.com' };

/** An `RdsCrossRegionReplica` over the first `n` of REGIONS, identifier `orders`. */
export function build(props: Partial<RdsCrossRegionReplicaProps> = {}, n = 2) {
  const app = new App();
  const db = new RdsCrossRegionReplica(app, 'Orders', { account: ACCOUNT, regions: REGIONS.slice(0, n), instanceIdentifier: 'orders', ...props });
  return { app, db };
}

export function template(db: RdsCrossRegionReplica, region: string): Template {
  return Template.fromStack(db.regionalResources(region).stack);
}

/** The state machine definition of `region`, with tokens replaced by "<T>". */
export function definition(db: RdsCrossRegionReplica, region: string): any {
  const t = template(db, region);
  const sm: any = Object.values(t.findResources('AWS::StepFunctions::StateMachine'))[0];
  const def = sm.Properties.DefinitionString;
  const parts: unknown[] = def['Fn::Join'] ? def['Fn::Join'][1] : [def];
  return JSON.parse(parts.map((x) => (typeof x === 'string' ? x : '"<T>"')).join('').replace(/""<T>""/g, '"<T>"'));
}
