import { App, Stack, Stage, Token } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { MissingContext } from 'aws-cdk-lib/cloud-assembly-schema';
import { ApiAuthorization, AuroraGlobalFailover, FailoverDns, GlobalSsrSite, MultiRegionApi, WriterDnsRecordOptions } from '../../src';
import { isPendingZoneLookup } from '../../src/core/zones';

/*
 * Issue 18 item 2: `HostedZone.fromLookup` in a CDK app. The CDK CLI synthesizes the app once without the context:
 * `ContextProvider.getValue` hands out aws-cdk-lib's dummy zone `{ Id: 'DUMMY', Name: <domainName> }` and reports the
 * missing key in the cloud assembly's `missing`; the CLI then looks the zone up and synthesizes again with the key
 * in the context. The first pass must not fail, or the CLI never looks anything up.
 * https://docs.aws.amazon.com/cdk/v2/guide/context.html
 */

const ACCOUNT = '111111111111';
const ENV = { account: ACCOUNT, region: 'us-east-1' };
/** The context key the CLI fills for `fromLookup({ domainName: 'example.com' })` in ENV. */
const KEY = `hosted-zone:account=${ACCOUNT}:domainName=example.com:region=us-east-1`;
/** What the CLI's hosted-zone provider stores: Route 53's id (with its `/hostedzone/` prefix) and name (trailing dot). */
const LOOKED_UP = { Id: '/hostedzone/Z123', Name: 'example.com.' };

/** Builds one construct in `app` with a zone looked up in a stack with an explicit environment; `name` is its record name. */
type Build = (app: App, name: string) => void;

function lookup(stack: Stack, domainName = 'example.com', id = 'Zone'): route53.IHostedZone {
  return route53.HostedZone.fromLookup(stack, id, { domainName });
}

function lookupStack(app: App): Stack {
  return new Stack(app, 'Lookup', { env: ENV });
}

const failoverDns: Build = (app, name) => {
  const stack = lookupStack(app);
  new FailoverDns(stack, 'Dns', {
    zone: lookup(stack),
    recordName: name,
    endpoints: [
      { region: 'us-east-1', domainName: 'us-east-1.origin.example.net' },
      { region: 'us-west-2', domainName: 'us-west-2.origin.example.net' },
    ],
  });
};

const multiRegionApi: Build = (app, name) => {
  const zone = lookup(lookupStack(app));
  new MultiRegionApi(app, 'Api', {
    account: ACCOUNT,
    regions: ['us-east-1', 'us-west-2'],
    hostedZoneId: zone.hostedZoneId,
    zoneName: zone.zoneName,
    recordName: name,
    authorization: ApiAuthorization.none(),
  });
};

const globalSsrSite: Build = (app, name) => {
  const zone = lookup(lookupStack(app));
  new GlobalSsrSite(app, 'Site', {
    account: ACCOUNT,
    primaryRegion: 'eu-west-1',
    drRegion: 'eu-central-1',
    domainName: name,
    hostedZoneId: zone.hostedZoneId,
    zoneName: zone.zoneName,
    siteName: 'shop',
  });
};

const auroraWriterRecord: Build = (app, name) => {
  const zone = lookup(lookupStack(app));
  new AuroraGlobalFailover(app, 'Db', {
    account: ACCOUNT,
    regions: ['us-east-1', 'us-west-2'],
    globalClusterIdentifier: 'orders',
    writerDnsRecord: { hostedZoneId: zone.hostedZoneId, zoneName: zone.zoneName, recordName: name } as WriterDnsRecordOptions,
  });
};

/** The message `f` throws, or 'nothing was thrown'. */
function thrown(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  return 'nothing was thrown';
}

/** The CLI's first pass: no context. Returns the assembly's missing context, or the error the app threw. */
function firstPass(build: Build, name: string): MissingContext[] | string {
  const app = new App();
  try {
    build(app, name);
    return app.synth().manifest.missing ?? [];
  } catch (e) {
    return (e as Error).message;
  }
}

/** The CLI's second pass: the looked-up zone in the context. Returns every template of the assembly. */
function secondPass(build: Build, name: string, context: Record<string, unknown> = { [KEY]: LOOKED_UP }): string {
  const app = new App({ context });
  build(app, name);
  const assembly = app.synth();
  expect(assembly.manifest.missing).toBeUndefined();
  return JSON.stringify(assembly.stacks.map((s) => s.template));
}

describe.each<[string, Build, string, string, string]>([
  ['FailoverDns', failoverDns, 'api.example.com', 'api.example.org',
    '`recordName` must be inside the hosted zone example.com, got: api.example.org'],
  ['MultiRegionApi', multiRegionApi, 'api.example.com', 'api.example.org',
    '`recordName` must be inside the hosted zone example.com, got: api.example.org'],
  ['GlobalSsrSite', globalSsrSite, 'www.example.com', 'www.example.org',
    '`domainName` must be the zone name or a name inside the hosted zone example.com, got: www.example.org'],
  ['AuroraGlobalFailover.writerDnsRecord', auroraWriterRecord, 'writer.db.example.com', 'writer.db.example.org',
    '`writerDnsRecord.recordName` must be inside the hosted zone example.com, got: writer.db.example.org'],
])('%s with HostedZone.fromLookup', (_name, build, good, bad, badError) => {
  test('first pass (no context): synthesizes and reports the hosted zone as missing context', () => {
    expect(firstPass(build, good)).toEqual([expect.objectContaining({
      key: KEY,
      provider: 'hosted-zone',
      props: expect.objectContaining({ domainName: 'example.com', account: ACCOUNT, region: 'us-east-1' }),
    })]);
  });

  test('second pass (the zone in the context): synthesizes with the looked-up zone id', () => {
    const templates = secondPass(build, good);
    expect(templates).toContain('"HostedZoneId":"Z123"');
    expect(templates).not.toContain('DUMMY');
  });

  test('second pass: a record name outside the looked-up zone fails with the usual error', () => {
    expect(thrown(() => secondPass(build, bad))).toBe(badError);
  });

  test('first pass: a record name outside the queried zone already fails (the placeholder keeps the queried name)', () => {
    expect(firstPass(build, bad)).toBe(badError);
  });
});

describe('the lookup placeholder is accepted only while the lookup is pending', () => {
  test.each<[string, () => unknown, string]>([
    ['MultiRegionApi', () => new MultiRegionApi(new App(), 'Api', {
      account: ACCOUNT, regions: ['us-east-1', 'us-west-2'], hostedZoneId: 'DUMMY', zoneName: 'example.com', recordName: 'api', authorization: ApiAuthorization.none(),
    }), '`hostedZoneId` must be a concrete Route 53 hosted zone id (e.g. Z0123456789ABCDEFGHIJ), got: DUMMY'],
    ['AuroraGlobalFailover', () => new AuroraGlobalFailover(new App(), 'Db', {
      account: ACCOUNT, regions: ['us-east-1', 'us-west-2'], globalClusterIdentifier: 'orders', writerDnsRecord: { hostedZoneId: 'DUMMY', recordName: 'writer.example.com' },
    }), '`writerDnsRecord.hostedZoneId` must be a concrete Route 53 hosted zone id (Z...), got: DUMMY'],
    ['GlobalSsrSite', () => new GlobalSsrSite(new App(), 'Site', {
      account: ACCOUNT, primaryRegion: 'eu-west-1', drRegion: 'eu-central-1', domainName: 'www.example.com', hostedZoneId: 'DUMMY', zoneName: 'example.com', siteName: 'shop',
    }), '`hostedZoneId` must be a concrete Route 53 hosted zone id (e.g. Z0123456789ABCDEFGHIJ), got: DUMMY'],
  ])('%s: "DUMMY" without a pending lookup is refused', (_name, build, message) => {
    expect(thrown(build)).toBe(message);
  });

  test('MultiRegionApi: "DUMMY" while a lookup of another zone is pending is refused', () => {
    const app = new App();
    const other = lookup(lookupStack(app), 'example.net');
    expect(other.hostedZoneId).toBe('DUMMY');
    expect(thrown(() => new MultiRegionApi(app, 'Api', {
      account: ACCOUNT, regions: ['us-east-1', 'us-west-2'], hostedZoneId: other.hostedZoneId, zoneName: 'example.com', recordName: 'api', authorization: ApiAuthorization.none(),
    }))).toBe('`hostedZoneId` must be a concrete Route 53 hosted zone id (e.g. Z0123456789ABCDEFGHIJ), got: DUMMY');
  });
});

describe('two lookups pending at once', () => {
  // Two zones of one app, both still `DUMMY`: the same name in each is not a clash (the ids differ once looked up).
  const build: Build = (app) => {
    const stack = lookupStack(app);
    const endpoints = [
      { region: 'us-east-1', domainName: 'us-east-1.origin.example.net' },
      { region: 'us-west-2', domainName: 'us-west-2.origin.example.net' },
    ];
    new FailoverDns(stack, 'Parent', { zone: lookup(stack, 'example.com', 'ParentZone'), recordName: 'api.sub.example.com', endpoints });
    new FailoverDns(stack, 'Child', { zone: lookup(stack, 'sub.example.com', 'ChildZone'), recordName: 'api.sub.example.com', endpoints });
  };

  test('first pass: no claim clash between the placeholders, both lookups reported', () => {
    const missing = firstPass(build, '');
    expect(Array.isArray(missing) ? missing.map((m) => (m.props as { domainName?: string }).domainName).sort() : missing).toEqual(['example.com', 'sub.example.com']);
  });

  test('second pass: synthesizes with both zones', () => {
    const templates = secondPass(build, '', {
      [KEY]: LOOKED_UP,
      [KEY.replace('domainName=example.com', 'domainName=sub.example.com')]: { Id: '/hostedzone/Z456', Name: 'sub.example.com.' },
    });
    expect(templates).toContain('"HostedZoneId":"Z123"');
    expect(templates).toContain('"HostedZoneId":"Z456"');
  });
});

describe('all four take the zone the same way', () => {
  // GlobalSsrSite imported any string as the zone id; it is now checked like MultiRegionApi's and Aurora's.
  test.each<[string, string]>([
    ['example', '`hostedZoneId` must be a concrete Route 53 hosted zone id (e.g. Z0123456789ABCDEFGHIJ), got: example'],
    ['/hostedzone/Z123', '`hostedZoneId` must be a concrete Route 53 hosted zone id (e.g. Z0123456789ABCDEFGHIJ), got: /hostedzone/Z123'],
  ])('GlobalSsrSite refuses the hosted zone id %s', (hostedZoneId, message) => {
    expect(thrown(() => new GlobalSsrSite(new App(), 'Site', {
      account: ACCOUNT, primaryRegion: 'eu-west-1', drRegion: 'eu-central-1', domainName: 'www.example.com', hostedZoneId, zoneName: 'example.com', siteName: 'shop',
    }))).toBe(message);
  });

  // Route 53 writes zone names with the trailing dot and DNS names are case-insensitive: `Example.com.` is the zone
  // example.com, and `api.example.com` is inside it (not `api.example.com.Example.com.`).
  // https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/DomainNameFormat.html
  test('a zone named with a trailing dot and capitals (HostedZone.fromHostedZoneAttributes): every record is named inside it', () => {
    const app = new App();
    const stack = lookupStack(app);
    const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z123', zoneName: 'Example.com.' });
    new FailoverDns(stack, 'Dns', {
      zone,
      recordName: 'dns',
      endpoints: [{ region: 'us-east-1', domainName: 'a.example.net' }, { region: 'us-west-2', domainName: 'b.example.net' }, { region: 'eu-west-1', domainName: 'c.example.net' }],
    });
    new MultiRegionApi(app, 'Api', {
      account: ACCOUNT, regions: ['us-east-1', 'us-west-2'], hostedZoneId: zone.hostedZoneId, zoneName: zone.zoneName, recordName: 'api', authorization: ApiAuthorization.none(),
    });
    new GlobalSsrSite(app, 'Site', {
      account: ACCOUNT, primaryRegion: 'eu-west-1', drRegion: 'eu-central-1', domainName: 'www.example.com', hostedZoneId: zone.hostedZoneId, zoneName: zone.zoneName, siteName: 'shop',
    });
    new AuroraGlobalFailover(app, 'Db', {
      account: ACCOUNT,
      regions: ['us-east-1', 'us-west-2'],
      globalClusterIdentifier: 'orders',
      writerDnsRecord: { hostedZoneId: zone.hostedZoneId, zoneName: zone.zoneName, recordName: 'writer.db.example.com' },
    });
    const records = app.synth().stacks.flatMap((st) => Object.values(st.template.Resources ?? {}) as any[])
      .filter((r) => r.Type === 'AWS::Route53::RecordSet').map((r) => `${r.Properties.Name} in ${r.Properties.HostedZoneId}`);
    expect([...new Set(records)].sort()).toEqual([
      'api.example.com. in Z123', 'dns.example.com. in Z123', 'failover-1.dns.example.com. in Z123', 'writer.db.example.com. in Z123', 'www.example.com. in Z123',
    ]);
  });

  test.each<[string, Partial<WriterDnsRecordOptions>, string]>([
    ['the zone apex (a CNAME cannot be there)', { recordName: 'example.com' },
      '`writerDnsRecord.recordName` must be a name inside the hosted zone example.com, not the zone name itself (the writer record is a CNAME, and a CNAME cannot be at the zone apex), got: example.com'],
    ['a token zone name', { zoneName: Token.asString({ Ref: 'ZoneName' }) },
      '`writerDnsRecord.zoneName` must be a concrete domain name such as example.com, got: ${Token['],
  ])('AuroraGlobalFailover.writerDnsRecord refuses %s', (_name, dns, message) => {
    expect(thrown(() => new AuroraGlobalFailover(new App(), 'Db', {
      account: ACCOUNT,
      regions: ['us-east-1', 'us-west-2'],
      globalClusterIdentifier: 'orders',
      writerDnsRecord: { hostedZoneId: 'Z123', zoneName: 'example.com', recordName: 'writer.example.com', ...dns },
    }))).toContain(message);
  });

  test('AuroraGlobalFailover.writerDnsRecord without zoneName: the first pass accepts the placeholder of any pending zone lookup', () => {
    const build: Build = (app, name) => {
      const zone = lookup(lookupStack(app));
      new AuroraGlobalFailover(app, 'Db', {
        account: ACCOUNT, regions: ['us-east-1', 'us-west-2'], globalClusterIdentifier: 'orders', writerDnsRecord: { hostedZoneId: zone.hostedZoneId, recordName: name },
      });
    };
    expect(firstPass(build, 'writer.db.example.com')).toEqual([expect.objectContaining({ key: KEY })]);
    expect(secondPass(build, 'writer.db.example.com')).toContain('"HostedZoneId":"Z123"');
  });
});

describe('inside a Stage (a CDK Pipeline stage)', () => {
  const build: Build = (app, name) => {
    const stage = new Stage(app, 'Prod', { env: { account: ACCOUNT } });
    const zone = lookup(new Stack(stage, 'Lookup', { env: ENV }));
    new MultiRegionApi(stage, 'Api', {
      regions: ['us-east-1', 'us-west-2'], hostedZoneId: zone.hostedZoneId, zoneName: zone.zoneName, recordName: name, authorization: ApiAuthorization.none(),
    });
  };

  test('first pass: the app assembly reports the missing zone of the Stage; second pass synthesizes with it', () => {
    expect(firstPass(build, 'api')).toEqual([expect.objectContaining({ key: KEY, provider: 'hosted-zone' })]);
    const app = new App({ context: { [KEY]: LOOKED_UP } });
    build(app, 'api');
    const assembly = (app.node.findChild('Prod') as Stage).synth();
    expect(assembly.manifest.missing).toBeUndefined();
    expect(JSON.stringify(assembly.stacks.map((st) => st.template))).toContain('"HostedZoneId":"Z123"');
  });
});

describe('isPendingZoneLookup', () => {
  test('is true for the placeholder of a pending lookup of the zone, false for another zone or a concrete id', () => {
    const app = new App();
    const stack = lookupStack(app);
    const zone = lookup(stack);
    expect(isPendingZoneLookup(stack, zone.hostedZoneId, 'example.com.')).toBe(true);
    expect(isPendingZoneLookup(stack, zone.hostedZoneId, 'EXAMPLE.com')).toBe(true);
    expect(isPendingZoneLookup(stack, zone.hostedZoneId)).toBe(true);
    expect(isPendingZoneLookup(stack, zone.hostedZoneId, 'example.net')).toBe(false);
    expect(isPendingZoneLookup(stack, 'Z123', 'example.com')).toBe(false);
  });

  test('an aws-cdk-lib that keeps missing context elsewhere: the placeholder shape alone counts', () => {
    const app = new App();
    const stack = lookupStack(app);
    expect(isPendingZoneLookup(stack, 'DUMMY', 'example.com')).toBe(false);
    delete (stack as unknown as { _missingContext?: unknown })._missingContext;
    expect(isPendingZoneLookup(stack, 'DUMMY', 'example.com')).toBe(true);
  });
});
