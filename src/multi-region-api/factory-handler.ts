import { Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { grantReplica, HANDLER_ACTIONS, ReplicaRef } from './grants';
import type { RegionalFunction } from './handlers';
import type { IRegionalHandlerFactory, RegionalHandlerContext } from './options';
import type { RegionInput } from './regional-api';
import { MultiRegionFailoverError } from '../core/errors';

/**
 * The routes' function of one region from your `handler.factory`, created under a construct of the region's stack
 * (so no stack references another), given `GetItem` and `PutItem` on the region's replica like your `code` would be.
 * The construct sets nothing else on it; `regional-api.ts` integrates it with the routes (`LambdaIntegration` adds
 * API Gateway's `lambda:InvokeFunction` permission to it) and checks its timeout.
 */
export function buildFactoryHandler(o: RegionInput, factory: IRegionalHandlerFactory, replica: ReplicaRef): RegionalFunction {
  const scope = new Construct(o.stack, 'Handler');
  const context: RegionalHandlerContext = {
    region: o.region,
    primary: o.primary,
    tableName: o.tableName,
    partitionKeyName: o.key,
    environment: { TABLE_NAME: o.tableName, TABLE_KEY: o.key },
  };
  const invoked = factory.createHandler(scope, context);
  if (Stack.of(invoked) !== o.stack) {
    throw new MultiRegionFailoverError(`\`handler.factory\` must create the function in the scope it is given (stack ${o.stack.stackName}, `
      + `region ${o.region}), got: ${invoked.node.path} in stack ${Stack.of(invoked).stackName}`);
  }
  const fn = functionOf(invoked);
  if (!fn || Stack.of(fn) !== o.stack) {
    throw new MultiRegionFailoverError('`handler.factory` must return a lambda.Function, or an alias or version of one (RegionalApi.handler is '
      + `that lambda.Function: connectFunction and addEnvironment change it), got for ${o.region}: ${invoked.node.path}`);
  }
  grantReplica(invoked, replica, HANDLER_ACTIONS);
  return { fn, invoked, builtIn: false, environment: {} };
}

/** The `lambda.Function` behind `f`: itself, or the function of an alias or version. */
function functionOf(f: lambda.IFunction): lambda.Function | undefined {
  if (f instanceof lambda.Function) {
    return f;
  }
  if (f instanceof lambda.Alias) {
    return functionOf(f.version);
  }
  if (f instanceof lambda.Version) {
    return functionOf(f.lambda);
  }
  return undefined;
}
