// A tiny CDK app written the way a Go user would, against the Go module that `npx projen package:go` builds in
// dist/go (see ../run.sh and go.mod's replace directive).
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsroute53"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	mrf "github.com/cdk-multi-region-failover/cdk-multi-region-failover-go/cdkmultiregionfailover"
)

func main() {
	defer jsii.Close()

	outdir := "cdk.out"
	if len(os.Args) > 1 {
		outdir = os.Args[1]
	}
	outdir, err := filepath.Abs(outdir)
	if err != nil {
		panic(err)
	}

	app := awscdk.NewApp(&awscdk.AppProps{Outdir: jsii.String(outdir)})
	stack := awscdk.NewStack(app, jsii.String("ConsumerGo"), &awscdk.StackProps{
		Env: &awscdk.Environment{Account: jsii.String("111111111111"), Region: jsii.String("us-east-1")},
	})

	zone := awsroute53.HostedZone_FromHostedZoneAttributes(stack, jsii.String("Zone"), &awsroute53.HostedZoneAttributes{
		HostedZoneId: jsii.String("Z0123456789ABCDEFGHIJ"),
		ZoneName:     jsii.String("example.com"),
	})

	dns := mrf.NewFailoverDns(stack, jsii.String("Dns"), &mrf.FailoverDnsProps{
		Zone:       zone,
		RecordName: jsii.String("api.example.com"),
		Endpoints: &[]*mrf.FailoverEndpoint{
			{Region: jsii.String("us-east-1"), DomainName: jsii.String("primary.example.net")},
			{Region: jsii.String("us-west-2"), DomainName: jsii.String("dr.example.net")},
		},
	})

	// Read back through the jsii runtime: a Duration object from the construct, not a number we typed.
	fmt.Printf("RTO_SECONDS=%v\n", *dns.RecoveryEstimate().Rto.ToSeconds(nil))
	fmt.Printf("RTO_EXPLANATION=%s\n", *dns.RecoveryEstimate().Explanation)

	// A multi-region construct with a bundled Lambda handler: its code must come out of the Go module's
	// embedded jsii tarball.
	api := mrf.NewMultiRegionApi(app, jsii.String("ConsumerApi"), &mrf.MultiRegionApiProps{
		Account:      jsii.String("111111111111"),
		Regions:      jsii.Strings("us-east-1", "us-west-2"),
		HostedZoneId: jsii.String("Z0123456789ABCDEFGHIJ"),
		ZoneName:     jsii.String("example.com"),
		RecordName:   jsii.String("orders"),
		// Routes need an explicit access choice: here a Cognito user pool (a static factory through jsii).
		Authorization: mrf.ApiAuthorization_Cognito(
			jsii.Strings("arn:aws:cognito-idp:us-east-1:111111111111:userpool/us-east-1_Example1"), nil),
	})
	ids := []string{}
	for _, s := range *api.Stacks() {
		ids = append(ids, *s.ArtifactId())
	}
	fmt.Printf("API_STACKS=%s\n", strings.Join(ids, ","))
	fmt.Printf("API_RTO_SECONDS=%v\n", *api.RecoveryEstimate().Rto.ToSeconds(nil))

	// Compile-time use of the constructs module (a direct requirement, like in a user's app).
	var _ constructs.IConstruct = stack

	app.Synth(nil)
}
