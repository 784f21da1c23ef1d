import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { GlobalSsrSite, GlobalSsrSiteProps } from '../../src/global-ssr-site';

export const BASE: GlobalSsrSiteProps = {
  account: '123456789012',
  primaryRegion: 'eu-west-1',
  drRegion: 'eu-central-1',
  domainName: 'www.example.com',
  hostedZoneId: 'Z0123456789ABC',
  zoneName: 'example.com',
  siteName: 'shop',
};

export function build(overrides: Partial<GlobalSsrSiteProps> = {}, app = new App()): GlobalSsrSite {
  return new GlobalSsrSite(app, 'Site', { ...BASE, ...overrides });
}

/** Every stack of the site that exists (regional, global, origin stacks). */
export function stacksOf(site: GlobalSsrSite): Stack[] {
  return [site.node.tryFindChild('Dr'), site.node.tryFindChild('Primary'), site.node.tryFindChild('Global'), site.node.tryFindChild('DrOrigin'), site.node.tryFindChild('PrimaryOrigin')]
    .filter((s): s is Stack => s instanceof Stack);
}

export function distributionConfig(site: GlobalSsrSite): any {
  const resources = Template.fromStack(site.globalStack).findResources('AWS::CloudFront::Distribution');
  return (Object.values(resources)[0] as any).Properties.DistributionConfig;
}

/** The template of the stack with this construct id under the site (`PrimaryOrigin`, `DrOrigin`...). */
export function templateOf(site: GlobalSsrSite, id: string): Template {
  return Template.fromStack(site.node.findChild(id) as Stack);
}

/** `Fn::GetAtt` of the custom resource that reads an SSM parameter, for `Template` matchers. */
export function readerOf(logicalIdPrefix: string) {
  return { 'Fn::GetAtt': [Match.stringLikeRegexp(`^${logicalIdPrefix}`), 'Parameter.Value'] };
}

/** The same for Jest's `toEqual`. */
export function readerValue(logicalIdPrefix: string) {
  return { 'Fn::GetAtt': [expect.stringMatching(new RegExp(`^${logicalIdPrefix}`)), 'Parameter.Value'] };
}

/** The warnings of this library in the cloud assembly (what `cdk synth` prints), as "<stack id>: <message>". */
export function siteWarnings(site: GlobalSsrSite): string[] {
  return stacksOf(site).flatMap((stack) => Annotations.fromStack(stack)
    .findWarning('*', Match.stringLikeRegexp('cdk-multi-region-failover:'))
    .map((w) => `${stack.node.id}: ${String(w.entry.data)}`));
}

export { synthErrors } from '../util/synth';
