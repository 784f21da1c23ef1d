import { cloudWatchAlarm } from './fixtures';
import { StackInput } from '../../src/simulator/assembly';
import { SimulationContext } from '../../src/simulator/context';
import { AssemblyGraph } from '../../src/simulator/graph';

/** One hand-written stack: name, region and template `Resources` (and `Parameters`/`Outputs`). */
export interface TestStack {
  readonly name: string;
  readonly region?: string;
  readonly resources: { [id: string]: any };
  readonly parameters?: any;
  readonly outputs?: any;
}

/** The stacks as `readAssembly` returns them (account 111111111111). */
export function stackInputs(stacks: TestStack[]): StackInput[] {
  return stacks.map((s) => ({
    artifactId: s.name,
    stackName: s.name,
    displayName: s.name,
    region: s.region,
    account: '111111111111',
    template: { Resources: s.resources, ...(s.parameters ? { Parameters: s.parameters } : {}), ...(s.outputs ? { Outputs: s.outputs } : {}) },
  }));
}

/** A simulation context over `stacks` with `outage` down (propagation 10 s, horizon 3600 s). */
export function contextOf(stacks: TestStack[], outage: string, propagation: number = 10): SimulationContext {
  return { graph: new AssemblyGraph(stackInputs(stacks)), outage, horizon: 3600, propagation, endpointRegions: {}, findings: [] };
}

/** A Route 53 endpoint health check. */
export function healthCheck(config: any): any {
  return { Type: 'AWS::Route53::HealthCheck', Properties: { HealthCheckConfig: config } };
}

/** An HTTPS check of `fqdn` every `interval` s, unhealthy after `threshold` failures. */
export function httpsCheck(fqdn: any, interval: number = 10, threshold: number = 2, extra: any = {}): any {
  return healthCheck({ Type: 'HTTPS', FullyQualifiedDomainName: fqdn, Port: 443, ResourcePath: '/health', RequestInterval: interval, FailureThreshold: threshold, ...extra });
}

/** A `HealthCheckStatus` < 1 alarm (Minimum, 60 s, 1 of 1) on the health check `dimensionValue`. */
export function healthCheckStatusAlarm(dimensionValue: any, extra: any = {}): any {
  return cloudWatchAlarm('AWS/Route53', 'HealthCheckStatus', { Name: 'HealthCheckId', Value: dimensionValue }, {
    Statistic: 'Minimum',
    EvaluationPeriods: 1,
    Threshold: 1,
    ComparisonOperator: 'LessThanThreshold',
    TreatMissingData: 'missing',
    ...extra,
  });
}
