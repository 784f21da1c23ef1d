import { StackInput } from './assembly';

/** A CloudFormation resource of the assembly. @internal */
export interface ResourceNode {
  readonly stack: StackInput;
  readonly logicalId: string;
  readonly type: string;
  readonly properties: any;
  /** `<stack name>/<logical id>`: how findings and blockers name it. */
  readonly key: string;
  /** Construct path from the `aws:cdk:path` metadata, when present. */
  readonly path?: string;
  /** The raw template entry (DependsOn, Condition, Metadata…). */
  readonly raw: any;
}

/**
 * A string value as far as the assembly can tell: literal parts inlined, every reference to a resource replaced by
 * a placeholder `${<stack>/<id>}` or `${<stack>/<id>.<Attr>}` (or, for the attributes whose shape AWS documents,
 * a synthetic host such as `<id>.execute-api.<region>.amazonaws.com`), and the resources it depends on.
 * @internal
 */
export interface ResolvedText {
  readonly text: string;
  readonly refs: ResourceNode[];
}

/** The resources whose attributes the simulator spells out as AWS host names (placement by host pattern). */
const HOST_ATTRIBUTES: { [type: string]: { [attr: string]: (id: string, region: string) => string } } = {
  'AWS::Lambda::Url': { FunctionUrl: (id, r) => `https://${id}.lambda-url.${r}.on.aws/` },
  'AWS::ApiGateway::DomainName': { RegionalDomainName: (id, r) => `${id}.execute-api.${r}.amazonaws.com`, DistributionDomainName: (id) => `${id}.cloudfront.net` },
  'AWS::ApiGatewayV2::DomainName': { RegionalDomainName: (id, r) => `${id}.execute-api.${r}.amazonaws.com` },
  'AWS::ApiGateway::RestApi': { RootResourceId: (id) => `${id}-root` },
  'AWS::ElasticLoadBalancingV2::LoadBalancer': { DNSName: (id, r) => `${id}.${r}.elb.amazonaws.com` },
  'AWS::CloudFront::Distribution': { DomainName: (id) => `${id}.cloudfront.net` },
  'AWS::S3::Bucket': {
    RegionalDomainName: (id, r) => `${id}.s3.${r}.amazonaws.com`,
    DomainName: (id) => `${id}.s3.amazonaws.com`,
    WebsiteURL: (id, r) => `http://${id}.s3-website.${r}.amazonaws.com`,
  },
  'AWS::RDS::DBCluster': {
    'Endpoint.Address': (id, r) => `${id}.cluster.${r}.rds.amazonaws.com`,
    'ReadEndpoint.Address': (id, r) => `${id}.cluster-ro.${r}.rds.amazonaws.com`,
  },
  'AWS::ElastiCache::ReplicationGroup': { 'PrimaryEndPoint.Address': (id, r) => `${id}.cache.${r}.amazonaws.com` },
};

const PSEUDO: { [name: string]: (s: StackInput) => string } = {
  'AWS::Region': (s) => s.region ?? '${AWS::Region}',
  'AWS::AccountId': (s) => s.account ?? '${AWS::AccountId}',
  'AWS::Partition': () => 'aws',
  'AWS::URLSuffix': () => 'amazonaws.com',
  'AWS::StackName': (s) => s.stackName,
  'AWS::StackId': (s) => `arn:aws:cloudformation:${s.region}:${s.account}:stack/${s.stackName}`,
  'AWS::NoValue': () => '',
  'AWS::NotificationARNs': () => '',
};

/**
 * The resources of a cloud assembly and a resolver for their property values. Follows `Ref`, `Fn::GetAtt`,
 * `Fn::Join`, `Fn::Sub`, `Fn::Select`, `Fn::Split`, `Fn::ImportValue`, `Fn::If`, `{{resolve:ssm:…}}` and the
 * weak cross-region references this library makes (an SSM parameter read by `AwsCustomResource` in another region).
 * @internal
 */
export class AssemblyGraph {
  public readonly resources: ResourceNode[] = [];
  private readonly byStack = new Map<StackInput, Map<string, ResourceNode>>();
  private readonly exportsByName = new Map<string, { stack: StackInput; value: any }>();

  constructor(public readonly stacks: StackInput[]) {
    for (const stack of stacks) {
      const map = new Map<string, ResourceNode>();
      for (const [logicalId, raw] of Object.entries<any>(stack.template.Resources ?? {})) {
        if (!raw || typeof raw !== 'object') continue;
        const node: ResourceNode = {
          stack,
          logicalId,
          type: String(raw.Type ?? ''),
          properties: raw.Properties ?? {},
          key: `${stack.stackName}/${logicalId}`,
          path: raw.Metadata?.['aws:cdk:path'],
          raw,
        };
        map.set(logicalId, node);
        this.resources.push(node);
      }
      this.byStack.set(stack, map);
      for (const output of Object.values<any>(stack.template.Outputs ?? {})) {
        const name = output?.Export?.Name;
        if (typeof name === 'string') this.exportsByName.set(name, { stack, value: output.Value });
      }
    }
  }

  /** Every resource of `type`. */
  public ofType(type: string): ResourceNode[] {
    return this.resources.filter((r) => r.type === type);
  }

  /** The resource `logicalId` of `stack`. */
  public find(stack: StackInput, logicalId: string): ResourceNode | undefined {
    return this.byStack.get(stack)?.get(logicalId);
  }

  /** The resource named by a `{ Ref }` or `{ Fn::GetAtt }` value (also through a placeholder), if any. */
  public target(value: any, stack: StackInput): ResourceNode | undefined {
    if (value && typeof value === 'object') {
      if (typeof value.Ref === 'string') return this.find(stack, value.Ref);
      const att = value['Fn::GetAtt'];
      if (att) return this.find(stack, Array.isArray(att) ? att[0] : String(att).split('.')[0]);
    }
    const refs = this.text(value, stack).refs;
    return refs.length === 1 ? refs[0] : undefined;
  }

  /** The SSM String parameter named `name` in `region`. */
  public ssmParameter(name: string, region: string | undefined): ResourceNode | undefined {
    return this.ofType('AWS::SSM::Parameter').find((p) => p.stack.region === region && this.text(p.properties.Name, p.stack).text === name);
  }

  /** `value` resolved to text in `stack`; see `ResolvedText`. */
  public text(value: any, stack: StackInput, depth: number = 0): ResolvedText {
    if (depth > 30) return { text: '${…}', refs: [] };
    if (value === undefined || value === null) return { text: '', refs: [] };
    if (typeof value === 'string') return this.literal(value, stack, depth);
    if (typeof value === 'number' || typeof value === 'boolean') return { text: String(value), refs: [] };
    if (Array.isArray(value)) return concat(value.map((v) => this.text(v, stack, depth + 1)), ',');
    if (typeof value.Ref === 'string') return this.ref(value.Ref, stack, depth);
    if (value['Fn::GetAtt']) {
      const att = value['Fn::GetAtt'];
      const [id, ...rest] = Array.isArray(att) ? att : String(att).split('.');
      return this.getAtt(String(id), rest.join('.'), stack, depth);
    }
    if (value['Fn::Join']) {
      const [sep, parts] = value['Fn::Join'];
      const list = this.list(parts, stack, depth);
      return concat(list, String(sep));
    }
    if (value['Fn::Sub'] !== undefined) return this.sub(value['Fn::Sub'], stack, depth);
    if (value['Fn::Select']) {
      const [index, list] = value['Fn::Select'];
      const items = this.list(list, stack, depth);
      const i = Number(this.text(index, stack, depth + 1).text);
      return items[i] ?? { text: '${Fn::Select}', refs: items.flatMap((x) => x.refs) };
    }
    if (value['Fn::ImportValue'] !== undefined) {
      const name = this.text(value['Fn::ImportValue'], stack, depth + 1).text;
      const exp = this.exportsByName.get(name);
      return exp ? this.text(exp.value, exp.stack, depth + 1) : { text: `\${Import:${name}}`, refs: [] };
    }
    if (value['Fn::If']) {
      const [, whenTrue] = value['Fn::If'];
      return this.text(whenTrue, stack, depth + 1);
    }
    if (value['Fn::Base64'] !== undefined) return this.text(value['Fn::Base64'], stack, depth + 1);
    return { text: JSON.stringify(value), refs: [] };
  }

  /** `value` resolved as a list (`Fn::Split`, `Fn::GetAZs`, a literal array, or a comma-delimited text). */
  public list(value: any, stack: StackInput, depth: number = 0): ResolvedText[] {
    if (Array.isArray(value)) return value.map((v) => this.text(v, stack, depth + 1));
    if (value && typeof value === 'object' && value['Fn::Split']) {
      const [sep, source] = value['Fn::Split'];
      const whole = this.text(source, stack, depth + 1);
      return whole.text.split(String(sep)).map((text) => ({ text, refs: whole.refs }));
    }
    return [this.text(value, stack, depth + 1)];
  }

  private literal(value: string, stack: StackInput, depth: number): ResolvedText {
    const m = /\{\{resolve:ssm:([^}:]+)(?::\d+)?\}\}/.exec(value);
    if (!m) return { text: value, refs: [] };
    const param = this.ssmParameter(m[1], stack.region);
    const inner = param
      ? this.text(param.properties.Value, param.stack, depth + 1)
      : this.ssmWrittenBySdkCall(m[1], stack.region, depth) ?? { text: `\${ssm:${m[1]}}`, refs: [] };
    const before = value.slice(0, m.index);
    const after = this.literal(value.slice(m.index + m[0].length), stack, depth);
    return { text: before + inner.text + after.text, refs: [...(param ? [param] : []), ...inner.refs, ...after.refs] };
  }

  private ref(name: string, stack: StackInput, depth: number): ResolvedText {
    if (PSEUDO[name]) return { text: PSEUDO[name](stack), refs: [] };
    const param = stack.template.Parameters?.[name];
    if (param) {
      const d = param.Default;
      return typeof d === 'string' && d.startsWith('/') && String(param.Type).startsWith('AWS::SSM::Parameter::Value')
        ? this.literal(`{{resolve:ssm:${d}}}`, stack, depth)
        : { text: d !== undefined ? String(d) : `\${${name}}`, refs: [] };
    }
    const node = this.find(stack, name);
    return node ? { text: `\${${node.key}}`, refs: [node] } : { text: `\${${name}}`, refs: [] };
  }

  private getAtt(id: string, attr: string, stack: StackInput, depth: number): ResolvedText {
    const node = this.find(stack, id);
    if (!node) return { text: `\${${id}.${attr}}`, refs: [] };
    const host = HOST_ATTRIBUTES[node.type]?.[attr];
    if (host && stack.region) return { text: host(id.toLowerCase(), stack.region), refs: [node] };
    if (node.type === 'AWS::SSM::Parameter' && attr === 'Value') {
      const inner = this.text(node.properties.Value, node.stack, depth + 1);
      return { text: inner.text, refs: [node, ...inner.refs] };
    }
    const read = this.customResourceSsmRead(node, depth);
    if (read) return read;
    return { text: `\${${node.key}.${attr}}`, refs: [node] };
  }

  /** An `AwsCustomResource` that calls SSM GetParameter (in any region): the parameter's value, resolved. */
  private customResourceSsmRead(node: ResourceNode, depth: number): ResolvedText | undefined {
    if (node.type !== 'Custom::AWS' && node.type !== 'AWS::CloudFormation::CustomResource') return undefined;
    const call = this.parseCall(node.properties.Create ?? node.properties.Update, node.stack, depth);
    if (!call || String(call.service).toLowerCase() !== 'ssm' || !/^getparameter$/i.test(String(call.action))) return undefined;
    const name = call.parameters?.Name;
    const param = typeof name === 'string' ? this.ssmParameter(name, call.region ?? node.stack.region) : undefined;
    if (!param) return undefined;
    const inner = this.text(param.properties.Value, param.stack, depth + 1);
    return { text: inner.text, refs: [node, param, ...inner.refs] };
  }

  /**
   * The value an `AwsCustomResource` (SSM PutParameter, in any stack) writes to parameter `name` in `region`: how this
   * library hands a value that only exists after deployment (e.g. an ElastiCache global datastore id) to another region.
   */
  private ssmWrittenBySdkCall(name: string, region: string | undefined, depth: number): ResolvedText | undefined {
    for (const writer of this.resources) {
      if (writer.type !== 'Custom::AWS' && writer.type !== 'AWS::CloudFormation::CustomResource') continue;
      const create = this.text(writer.properties.Create, writer.stack, depth + 1);
      let call: any;
      try {
        call = JSON.parse(create.text);
      } catch {
        continue;
      }
      if (String(call?.service).toLowerCase() !== 'ssm' || !/^putparameter$/i.test(String(call?.action))) continue;
      if (call.parameters?.Name !== name || (call.region ?? writer.stack.region) !== region) continue;
      return { text: String(call.parameters?.Value ?? ''), refs: [writer, ...create.refs] };
    }
    return undefined;
  }

  /** The SDK call of an `AwsCustomResource` property (`Create`/`Update`/`Delete`): a JSON string, maybe joined. */
  public parseCall(value: any, stack: StackInput, depth: number = 0): any {
    if (value === undefined) return undefined;
    try {
      return JSON.parse(this.text(value, stack, depth + 1).text);
    } catch {
      return undefined;
    }
  }

  private sub(value: any, stack: StackInput, depth: number): ResolvedText {
    const [template, vars] = Array.isArray(value) ? value : [value, {}];
    const refs: ResourceNode[] = [];
    const text = String(template).replace(/\$\{([^}!][^}]*)\}/g, (_m, name: string) => {
      let r: ResolvedText;
      if (vars && vars[name] !== undefined) {r = this.text(vars[name], stack, depth + 1);} else if (name.includes('.') && !PSEUDO[name]) {
        const [id, ...attr] = name.split('.');
        r = this.getAtt(id, attr.join('.'), stack, depth + 1);
      } else {r = this.ref(name, stack, depth + 1);}
      refs.push(...r.refs);
      return r.text;
    });
    return { text, refs };
  }
}

function concat(parts: ResolvedText[], sep: string): ResolvedText {
  return { text: parts.map((p) => p.text).join(sep), refs: parts.flatMap((p) => p.refs) };
}
