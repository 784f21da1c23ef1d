import * as lambda from 'aws-cdk-lib/aws-lambda';

/**
 * A copy of a user's Lambda `Code` that can be bound in the stack being built: call it once per regional stack.
 *
 * An asset belongs to the first stack it is bound to (aws-cdk-lib's `AssetCode.bind` throws
 * `AssetAlreadyAssociatedWithStack` for any other stack), and Lambda reads a deployment package only from a bucket
 * "in the same AWS Region as your function"
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-lambda-function-code.html). So an
 * `AssetCode` (`Code.fromAsset`, directory or .zip, with or without bundling; `Code.fromCustomCommand`) is
 * re-created with the same path and asset options for every stack: each stack stages and publishes its own copy to
 * its own region's bootstrap bucket. Bundling runs once per app (aws-cdk-lib caches the staging of one source with
 * the same options). The instance the user passed is never bound, so it stays usable elsewhere. Other `Code`
 * (inline, S3, CloudFormation parameters) is returned as given.
 * @internal
 */
export function codeForStack(code: lambda.Code): lambda.Code {
  if (code instanceof lambda.AssetCode) {
    // `options` is private in aws-cdk-lib's typings; it holds the AssetOptions given to `Code.fromAsset`.
    const options = (code as unknown as { options?: object }).options;
    return new lambda.AssetCode(code.path, options);
  }
  return code;
}
