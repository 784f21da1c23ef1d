import { metricAlarm } from './databases-fixtures';
import { alarmFireTime } from '../../src/simulator/db-triggers';
import { AssemblyGraph } from '../../src/simulator/graph';

/**
 * A composite alarm over two alarms (2 and 4 one-minute periods, missing data breaching) on the lag of a secondary cut
 * off from its writer (`c1`): in both cases of its metric (grows, stops) they fire after their periods.
 */
function context(rule: (a: any, b: any) => any[], outage: string) {
  const a = { 'Fn::GetAtt': ['Fast', 'Arn'] };
  const b = { 'Fn::GetAtt': ['Slow', 'Arn'] };
  const resources = {
    Fast: metricAlarm(2, 'breaching', 'c1'),
    Slow: metricAlarm(4, 'breaching', 'c1'),
    Composite: { Type: 'AWS::CloudWatch::CompositeAlarm', Properties: { AlarmRule: { 'Fn::Join': ['', rule(a, b)] } } },
  };
  const graph = new AssemblyGraph([{ artifactId: 's', stackName: 's', displayName: 's', region: 'eu-west-1', template: { Resources: resources } }]);
  const ctx = { graph, outage, horizon: 3600, propagation: 10, endpointRegions: {}, findings: [] };
  return { ctx, composite: graph.find(graph.stacks[0], 'Composite')!, cutOff: (id: string) => id === 'c1' };
}

describe('composite alarm timing', () => {
  test('AND waits for the slower child: max(2 × 60 s, 4 × 60 s) = 240 s', () => {
    const { ctx, composite, cutOff } = context((a, b) => ['ALARM("', a, '") AND ALARM("', b, '")'], 'us-east-1');
    expect(alarmFireTime(ctx, composite, cutOff)).toMatchObject({ worst: 240, typical: 240, blockedBy: [] });
  });

  test('OR fires with the faster child: min(120 s, 240 s) = 120 s', () => {
    const { ctx, composite, cutOff } = context((a, b) => ['(ALARM("', a, '") OR ALARM("', b, '"))'], 'us-east-1');
    expect(alarmFireTime(ctx, composite, cutOff)).toMatchObject({ worst: 120, typical: 120 });
  });

  test('an alarm dies with its region', () => {
    const { ctx, composite, cutOff } = context((a, b) => ['ALARM("', a, '") OR ALARM("', b, '")'], 'eu-west-1');
    const fire = alarmFireTime(ctx, composite, cutOff);
    expect(fire.worst).toBeUndefined();
    expect(fire.blockedBy).toEqual([{ resource: 's/Composite', reason: 'the alarm is in eu-west-1, which is down: it never changes state' }]);
  });

  test('an alarm outside the assembly in a failed region blocks an AND', () => {
    const { ctx, composite, cutOff } = context((a) => ['ALARM("arn:aws:cloudwatch:us-east-1:111111111111:alarm:x") AND ALARM("', a, '")'], 'us-east-1');
    const fire = alarmFireTime(ctx, composite, cutOff);
    expect(fire.worst).toBeUndefined();
    expect(fire.blockedBy).toEqual([{ resource: 's/Composite', reason: 'its rule needs arn:aws:cloudwatch:us-east-1:111111111111:alarm:x, an alarm in us-east-1, which is down' }]);
  });
});

describe('replication-lag alarms of a secondary cut off from its writer', () => {
  function lagAlarm(props: any) {
    const graph = new AssemblyGraph([{
      artifactId: 's',
      stackName: 's',
      displayName: 's',
      region: 'us-west-2',
      template: { Resources: { Lag: { Type: 'AWS::CloudWatch::Alarm', Properties: { ...metricAlarm(3).Properties, ...props } } } },
    }]);
    const ctx = { graph, outage: 'us-east-1', horizon: 3600, propagation: 10, endpointRegions: {}, findings: [] };
    return alarmFireTime(ctx, graph.find(graph.stacks[0], 'Lag')!, (id) => id === 'orders-us-west-2');
  }

  test('a "stalled" alarm alone (GreaterThan, missing data not breaching) may never fire: the metric may stop', () => {
    const fire = lagAlarm({});
    expect(fire.worst).toBeUndefined();
    expect(fire.blockedBy).toEqual([{ resource: 's/Lag', reason: 'if AuroraGlobalDBReplicationLag of orders-us-west-2 stops, this alarm (TreatMissingData notBreaching) does not fire' }]);
  });

  test('GreaterThan with missing data breaching fires in both cases: 3 × 60 s = 180 s', () => {
    expect(lagAlarm({ TreatMissingData: 'breaching' })).toMatchObject({ worst: 180, typical: 180 });
  });
});
