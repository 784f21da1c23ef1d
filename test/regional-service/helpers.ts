import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { RegionalService, RegionalServiceProps } from '../../src/regional-service';

export const ACCOUNT = '111111111111';
export const ZONE_ID = 'Z0123456789ABCDEFGHIJ';

/** A `RegionalService` for app.example.com in us-east-1 and us-west-2 (nginx from ECR Public). */
export function build(props: Partial<RegionalServiceProps> = {}) {
  const app = new App();
  const service = new RegionalService(app, 'Web', {
    account: ACCOUNT,
    regions: ['us-east-1', 'us-west-2'],
    hostedZoneId: ZONE_ID,
    zoneName: 'example.com',
    domainName: 'app.example.com',
    image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:stable'),
    ...props,
  });
  return { app, service };
}

export function template(service: RegionalService, region: string): Template {
  return Template.fromStack(service.regionalResources(region).stack);
}
