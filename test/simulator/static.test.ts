import { distribution, flowOf, originGroup, s3Origin, simulate } from './cloudfront-fixtures';
import { FixtureStack } from './fixtures';

const EAST_BUCKET = 'assets-use1';
const WEST_BUCKET = 'assets-usw2';

const bucket = (name: string, replication?: { to: string; rtc?: boolean; enabled?: boolean }) => ({
  Type: 'AWS::S3::Bucket',
  Properties: {
    BucketName: name,
    VersioningConfiguration: { Status: 'Enabled' },
    ...(replication ? {
      ReplicationConfiguration: {
        Role: 'arn:aws:iam::111111111111:role/replication',
        Rules: [{
          Id: 'to-dr',
          Status: replication.enabled === false ? 'Disabled' : 'Enabled',
          Priority: 1,
          Filter: { Prefix: '' },
          DeleteMarkerReplication: { Status: 'Disabled' },
          Destination: {
            Bucket: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:s3:::${replication.to}`]] },
            ...(replication.rtc ? { ReplicationTime: { Status: 'Enabled', Time: { Minutes: 15 } }, Metrics: { Status: 'Enabled', EventThreshold: { Minutes: 15 } } } : {}),
          },
        }],
      },
    } : {}),
  },
});

/** Assets in a us-east-1 bucket, failing over to a us-west-2 bucket (1 attempt × 2 s; S3 read timeout given or 30 s). */
function assets(o: { replication?: { rtc?: boolean; enabled?: boolean }; read?: number; group?: boolean } = {}): FixtureStack[] {
  const origins = [s3Origin('static-primary', EAST_BUCKET, 'us-east-1', { attempts: 1, connect: 2, read: o.read })];
  if (o.group !== false) origins.push(s3Origin('static-dr', WEST_BUCKET, 'us-west-2', { attempts: 1, connect: 2, read: o.read }));
  return [
    {
      name: 'Edge',
      region: 'us-east-1',
      resources: {
        Distribution: distribution({
          origins,
          groups: o.group === false ? undefined : [originGroup('assets', ['static-primary', 'static-dr'], [403, 404, 500, 502, 503, 504])],
          defaultBehavior: { TargetOriginId: o.group === false ? 'static-primary' : 'assets', AllowedMethods: ['GET', 'HEAD', 'OPTIONS'] },
        }),
      },
    },
    { name: 'East', region: 'us-east-1', resources: { Assets: bucket(EAST_BUCKET, o.replication ? { to: WEST_BUCKET, ...o.replication } : undefined) } },
    { name: 'West', region: 'us-west-2', resources: { Assets: bucket(WEST_BUCKET) } },
  ];
}

const STATIC_ID = 'static:Edge/Distribution';

describe('static: S3 origins behind CloudFront', () => {
  test('an S3 origin group fails over per request: 1 × 2 s + 1 × 30 s default S3 response timeout = 32 s', () => {
    const result = simulate(assets({ replication: {} }), 'us-east-1');
    const flow = flowOf(result, STATIC_ID);
    expect(flow).toMatchObject({ kind: 'static', impacted: true, fromRegion: 'us-east-1', toRegion: 'us-west-2', recoveredAtSeconds: 0, perRequestPenaltySeconds: 32 });
    expect(result.flows.filter((f) => f.kind === 'cdn-read')).toEqual([]);
    // Without RTC, replication has no time bound.
    expect(flow.timeline).toContainEqual({
      t: 0,
      event: 'objects written to assets-use1 shortly before the outage may be missing from assets-usw2: replication without RTC is asynchronous with no time bound (https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication.html)',
    });
  });

  test('an S3 response timeout of 4 s bounds the penalty: 1 × 2 s + 1 × 4 s = 6 s', () => {
    expect(flowOf(simulate(assets({ read: 4 }), 'us-east-1'), STATIC_ID).perRequestPenaltySeconds).toBe(6);
  });

  test('with S3 RTC the DR copy may miss the last 15 minutes of writes', () => {
    const flow = flowOf(simulate(assets({ replication: { rtc: true } }), 'us-east-1'), STATIC_ID);
    expect(flow.timeline).toContainEqual({
      t: 0,
      event: 'objects written to assets-use1 in the last 15 minutes before the outage may be missing from assets-usw2 (S3 RTC replicates 99.99 % of objects within 15 minutes: https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-time-control.html)',
    });
  });

  test('no (enabled) replication between the two buckets is said', () => {
    const flow = flowOf(simulate(assets({ replication: { enabled: false } }), 'us-east-1'), STATIC_ID);
    expect(flow.timeline).toContainEqual({ t: 0, event: 'no replication from assets-use1 to assets-usw2 in this assembly: assets-usw2 serves only the objects written to it directly' });
  });

  test('a single bucket origin in the failed region: never, blocked by the bucket', () => {
    const flow = flowOf(simulate(assets({ group: false }), 'us-east-1'), STATIC_ID);
    expect(flow.recoveredAtSeconds).toBeUndefined();
    expect(flow.blockedBy[0]).toEqual({ resource: 'East/Assets', reason: 'the only origin static-primary is in us-east-1 (no origin group)' });
  });

  test('a single bucket origin whose replica is elsewhere: never, and the replica is named', () => {
    const flow = flowOf(simulate(assets({ group: false, replication: {} }), 'us-east-1'), STATIC_ID);
    expect(flow.recoveredAtSeconds).toBeUndefined();
    expect(flow.blockedBy[0].reason).toBe('the only origin static-primary is in us-east-1 (no origin group); its replica assets-usw2 in us-west-2 is no origin of this distribution');
  });

  test('buckets outside the failed region are not impacted', () => {
    const result = simulate(assets({ replication: {} }), 'us-west-2');
    expect(flowOf(result, STATIC_ID).impacted).toBe(false);
    // Served buckets get no flow of their own.
    expect(result.flows.map((f) => f.id)).toEqual([STATIC_ID]);
  });
});

describe('static: replicated buckets no distribution serves', () => {
  const data = (to: { name: string; stack: string; region: string }, rtc = true): FixtureStack[] => [
    { name: 'East', region: 'us-east-1', resources: { Data: bucket('data-use1', { to: to.name, rtc }) } },
    { name: to.stack, region: to.region, resources: { Replica: bucket(to.name) } },
  ];

  test('a bucket in the failed region is readable from its replica at once, with the RTC recovery point', () => {
    const flow = flowOf(simulate(data({ name: 'data-usw2', stack: 'West', region: 'us-west-2' }), 'us-east-1'), 'static:East/Data');
    expect(flow).toMatchObject({ kind: 'static', name: 'S3 bucket data-use1', impacted: true, fromRegion: 'us-east-1', toRegion: 'us-west-2', recoveredAtSeconds: 0 });
    expect(flow.timeline[2].event).toContain('in the last 15 minutes before the outage may be missing from data-usw2');
  });

  test('a bucket whose only replica is in the failed region too: never', () => {
    const flow = flowOf(simulate(data({ name: 'data-use1-copy', stack: 'East2', region: 'us-east-1' }), 'us-east-1'), 'static:East/Data');
    expect(flow.recoveredAtSeconds).toBeUndefined();
    expect(flow.blockedBy).toEqual([{ resource: 'East/Data', reason: 'no replica of data-use1 outside us-east-1 (replicas: data-use1-copy in us-east-1)' }]);
  });

  test('a bucket outside the failed region is not impacted', () => {
    const flow = flowOf(simulate(data({ name: 'data-usw2', stack: 'West', region: 'us-west-2' }), 'us-west-2'), 'static:East/Data');
    expect(flow).toMatchObject({ impacted: false, timeline: [], blockedBy: [] });
  });
});
