package io.github.cdkmultiregionfailover.consumer;

import io.github.cdkmultiregionfailover.FailoverDns;
import io.github.cdkmultiregionfailover.FailoverEndpoint;
import io.github.cdkmultiregionfailover.FailoverErrors;
import java.nio.file.Path;
import java.util.List;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.route53.HostedZone;
import software.amazon.awscdk.services.route53.HostedZoneAttributes;
import software.amazon.awscdk.services.route53.IHostedZone;

/** A tiny CDK app written the way a Java user would, against the built jar (see ../run.sh). */
public final class ConsumerApp {
  private ConsumerApp() {}

  public static void main(final String[] args) {
    String outdir = args.length > 0 ? args[0] : Path.of("cdk.out").toAbsolutePath().toString();
    App app = new App(AppProps.builder().outdir(outdir).build());
    Stack stack = new Stack(app, "ConsumerJava", StackProps.builder()
        .env(Environment.builder().account("111111111111").region("us-east-1").build())
        .build());

    IHostedZone zone = HostedZone.fromHostedZoneAttributes(stack, "Zone", HostedZoneAttributes.builder()
        .hostedZoneId("Z0123456789ABCDEFGHIJ")
        .zoneName("example.com")
        .build());

    FailoverDns dns = FailoverDns.Builder.create(stack, "Dns")
        .zone(zone)
        .recordName("api.example.com")
        .endpoints(List.of(
            FailoverEndpoint.builder().region("us-east-1").domainName("primary.example.net").build(),
            FailoverEndpoint.builder().region("us-west-2").domainName("dr.example.net").build()))
        .build();

    // Read back through the jsii runtime: a Duration object from the construct, not a number we typed.
    System.out.println("RTO_SECONDS=" + dns.getRecoveryEstimate().getRto().toSeconds());
    System.out.println("RTO_EXPLANATION=" + dns.getRecoveryEstimate().getExplanation());

    recogniseErrors(zone);

    app.synth();
  }

  /**
   * Issue 18 item 3: jsii hands Java a RuntimeException carrying the library's message, and
   * FailoverErrors.isFailoverMessage(e.getMessage()) recognises it (and not an error of aws-cdk-lib itself).
   * Both errors are raised in an App of their own, so the half-built constructs stay out of the synthesized one.
   */
  private static void recogniseErrors(final IHostedZone zone) {
    Stack scratch = new Stack(new App(), "Scratch", StackProps.builder()
        .env(Environment.builder().account("111111111111").region("us-east-1").build())
        .build());
    try {
      FailoverDns.Builder.create(scratch, "OneEndpoint")
          .zone(zone)
          .recordName("api.example.com")
          .endpoints(List.of(FailoverEndpoint.builder().region("us-east-1").domainName("primary.example.net").build()))
          .build();
      System.out.println("FAILOVER_MESSAGE=no error");
    } catch (RuntimeException e) {
      System.out.println("EXCEPTION_CLASS=" + e.getClass().getName());
      System.out.println("FAILOVER_MESSAGE=" + FailoverErrors.isFailoverMessage(e.getMessage()));
    }
    try {
      new Stack(new App(), "Not a valid stack name!");
      System.out.println("OTHER_MESSAGE=no error");
    } catch (RuntimeException e) {
      System.out.println("OTHER_MESSAGE=" + FailoverErrors.isFailoverMessage(e.getMessage()));
    }
  }
}
