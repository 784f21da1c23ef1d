import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { build, readerOf, stacksOf, templateOf } from './site-util';

/** Resource types whose physical name is unique per account and region, and the property that holds it. */
const REGIONAL_NAMES: { [type: string]: string } = {
  'AWS::SSM::Parameter': 'Name',
  'AWS::Lambda::Function': 'FunctionName',
  'AWS::SQS::Queue': 'QueueName',
  'AWS::CloudWatch::Alarm': 'AlarmName',
  'AWS::Logs::LogGroup': 'LogGroupName',
  'AWS::Scheduler::Schedule': 'Name',
  'AWS::DynamoDB::GlobalTable': 'TableName',
};
/** Types whose physical name is unique per account (or globally). */
const GLOBAL_NAMES: { [type: string]: string } = {
  'AWS::S3::Bucket': 'BucketName',
  'AWS::IAM::Role': 'RoleName',
  'AWS::CloudFront::Function': 'Name',
  'AWS::CloudFront::KeyValueStore': 'Name',
};

/** Every concrete physical name of the site's stacks, as "<type> <region or global> <name>" (duplicates kept). */
function physicalNames(primaryRegion: string, drRegion: string): string[] {
  const app = new App();
  const site = build({ primaryRegion, drRegion }, app);
  const names: string[] = [];
  for (const stack of stacksOf(site)) {
    const resources = Template.fromStack(stack).toJSON().Resources as { [id: string]: { Type: string; Properties?: any } };
    for (const r of Object.values(resources)) {
      const regional = REGIONAL_NAMES[r.Type];
      const global = GLOBAL_NAMES[r.Type];
      const name = r.Properties?.[regional ?? global];
      if (name !== undefined) {
        names.push(`${r.Type} ${regional ? stack.region : 'global'} ${JSON.stringify(name)}`);
      }
    }
  }
  return names;
}

describe('no two stacks of a site create the same physical name in one region', () => {
  test.each([
    ['primary eu-west-1, DR us-east-1 (DR, DrOrigin and Global share us-east-1)', 'eu-west-1', 'us-east-1'],
    ['primary us-east-1, DR us-west-2 (Primary, PrimaryOrigin and Global share us-east-1)', 'us-east-1', 'us-west-2'],
    ['primary eu-west-1, DR eu-central-1', 'eu-west-1', 'eu-central-1'],
  ])('%s', (_label, primaryRegion, drRegion) => {
    const names = physicalNames(primaryRegion, drRegion);
    expect(names.length).toBeGreaterThan(5);
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
  });

  test('DR in us-east-1: one /shop/active-origin-kvs-arn parameter (the global stack\'s original), and the reconciler still reads it', () => {
    const site = build({ primaryRegion: 'eu-west-1', drRegion: 'us-east-1' });
    const parameters = [site.globalStack, site.drStack!, site.drOriginStack!]
      .flatMap((stack) => Object.values(Template.fromStack(stack).findResources('AWS::SSM::Parameter', { Properties: { Name: '/shop/active-origin-kvs-arn' } })));
    expect(parameters).toHaveLength(1);
    Template.fromStack(site.globalStack).resourcePropertiesCountIs('AWS::SSM::Parameter', { Name: '/shop/active-origin-kvs-arn' }, 1);
    const dr = templateOf(site, 'DrOrigin');
    dr.hasResourceProperties('Custom::AWS', {
      Create: Match.serializedJson(Match.objectLike({ service: 'SSM', action: 'GetParameter', region: 'us-east-1', parameters: { Name: '/shop/active-origin-kvs-arn' } })),
    });
    dr.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ KVS_ARN: readerOf('WriteFailoverReconcilerReadKeyValueStoreArn') }) },
    });
  });

  test('DR elsewhere: the DR origin stack keeps its copy for the runbook', () => {
    templateOf(build(), 'DrOrigin').resourcePropertiesCountIs('AWS::SSM::Parameter', { Name: '/shop/active-origin-kvs-arn' }, 1);
  });
});
