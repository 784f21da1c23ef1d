import { RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { SsrFunctionOptions } from './props';
import { DEFAULT_HEALTH_PATH, siteTableName, SSR_DEFAULT_MEMORY, SSR_DEFAULT_TIMEOUT, ssrFunctionName, validateHealthPath, validateSsr } from './settings';
import { buildGlobalTable, buildSsrRegion, siteSsrEnvironment } from './ssr-region';
import { siteBlockEnv } from './stack-env';

/** Properties of an `SsrRegionStack`. */
export interface SsrRegionStackProps extends StackProps {
  /**
   * Prefix of the deterministic names: the function `<siteName>-ssr`, the table `<siteName>-state` and the SSM
   * parameter `/<siteName>/ssr-origin-host` (the function URL host, read by the edge stack). 3 to 20 lowercase letters,
   * digits or hyphens, starting with a letter.
   */
  readonly siteName: string;
  /**
   * The site's primary region. The stack whose region (`env.region`) is this one is the primary: its function gets
   * `GLOBAL_SSR_REGION_ROLE=primary` and it holds the DynamoDB global table; any other region is `dr`.
   */
  readonly primaryRegion: string;
  /**
   * The DR region: where the global table (created in the primary) has its replica.
   * @default - no replica
   * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/V2globaltables_HowItWorks.html
   */
  readonly drRegion?: string;
  /**
   * The SSR function.
   * @default - the built-in bootstrap page, 512 MB, 10 s
   */
  readonly ssr?: SsrFunctionOptions;
  /**
   * The SSR app's health path, given to the function as `GLOBAL_SSR_HEALTH_PATH`.
   * @default '/_health'
   */
  readonly healthCheckPath?: string;
  /**
   * What happens to the global table when the stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * One region of a `GlobalSsrSite`: the SSR Lambda function, its function URL with `AWS_IAM` auth, an SSM parameter
 * with the URL host, and in the primary region the DynamoDB global table (replica in `drRegion`). The function may use
 * the table replica of its own region only. Nobody may invoke the URL until an `SsrOriginStack` of the region grants it
 * to a distribution (CloudFront origin access control signs each request).
 *
 * Needs a concrete `env` (account and region): the names and ARNs it creates include both.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html
 * @see https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-lambda.html
 */
export class SsrRegionStack extends Stack {
  /** `primary` (the stack's region is `primaryRegion`) or `dr`. */
  public readonly role: string;
  /** The SSR function. */
  public readonly ssrFunction: lambda.Function;
  /** Its function URL (`AWS_IAM` auth). */
  public readonly functionUrl: lambda.FunctionUrl;
  /** The SSR function's name (`<siteName>-ssr`, the same in every region). */
  public readonly functionName: string;
  /** The global table (primary region only). */
  public readonly table?: dynamodb.TableV2;
  /** The global table's name (`<siteName>-state`, the same in every region). */
  public readonly tableName: string;
  /** The environment variables of the SSR function (yours, then `GLOBAL_SSR_*`). */
  public readonly ssrEnvironment: { [key: string]: string };

  constructor(scope: Construct, id: string, props: SsrRegionStackProps) {
    super(scope, id, props);
    const { account, primaryRegion, drRegion, role } = siteBlockEnv(this, 'SsrRegionStack', props);
    const memorySize = props.ssr?.memorySize ?? SSR_DEFAULT_MEMORY;
    const timeout = props.ssr?.timeout ?? SSR_DEFAULT_TIMEOUT;
    validateSsr(memorySize, timeout);
    const healthCheckPath = props.healthCheckPath ?? DEFAULT_HEALTH_PATH;
    validateHealthPath(healthCheckPath);

    this.role = role;
    this.functionName = ssrFunctionName(props.siteName);
    this.tableName = siteTableName(props.siteName);
    const s = {
      siteName: props.siteName,
      account,
      functionName: this.functionName,
      tableName: this.tableName,
      memorySize,
      timeout,
      drRegion,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    };
    this.ssrEnvironment = siteSsrEnvironment(props.ssr?.environment, this.tableName, primaryRegion, healthCheckPath, this.role);
    const ssr = buildSsrRegion(this, s, props.ssr ?? {}, this.ssrEnvironment, this.role);
    this.ssrFunction = ssr.fn;
    this.functionUrl = ssr.url;
    this.table = this.role === 'primary' ? buildGlobalTable(this, s) : undefined;
  }
}
