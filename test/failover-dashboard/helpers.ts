import { Template } from 'aws-cdk-lib/assertions';
import { FailoverDashboard } from '../../src/failover-dashboard';

/** One widget of a dashboard body: type, title, region, markdown, and each metric as "namespace metric dim=value …" or "expr: …". */
export interface BodyWidget {
  readonly type: string;
  readonly title?: string;
  readonly region?: string;
  readonly markdown?: string;
  readonly metrics: string[];
  readonly alarms: string[];
}

/** The dashboard body of `dashboard`'s stack, parsed: tokens (Ref, GetAtt, ImportValue…) become "<T>". */
export function dashboardBody(dashboard: FailoverDashboard): BodyWidget[] {
  const resources = Template.fromStack(dashboard.stack).findResources('AWS::CloudWatch::Dashboard');
  const body = (Object.values(resources)[0] as any).Properties.DashboardBody;
  const parts: unknown[] = typeof body === 'string' ? [body] : body['Fn::Join'][1];
  const json = parts.map((p) => (typeof p === 'string' ? p : '<T>')).join('');
  return JSON.parse(json).widgets.map((w: any) => ({
    type: w.type,
    title: w.properties.title,
    region: w.properties.region,
    markdown: w.properties.markdown,
    metrics: (w.properties.metrics ?? []).map(renderMetric),
    alarms: w.properties.alarms ?? w.properties.annotations?.alarms ?? [],
  }));
}

function renderMetric(m: any[]): string {
  const last = m[m.length - 1];
  const options = typeof last === 'object' && !Array.isArray(last) ? last : {};
  if (options.expression) {
    return `expr: ${options.expression}`;
  }
  const names = m.filter((x) => typeof x === 'string');
  const [namespace, metricName, ...dims] = names;
  const pairs: string[] = [];
  for (let i = 0; i + 1 < dims.length; i += 2) pairs.push(`${dims[i]}=${dims[i + 1]}`);
  const region = options.region ? ` @${options.region}` : '';
  return [namespace, metricName, ...pairs].join(' ') + region;
}
