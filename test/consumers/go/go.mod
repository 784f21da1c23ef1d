module example.com/cdk-multi-region-failover-consumer

go 1.25.0

// aws-cdk-go: our module requires v2.245.0 (the aws-cdk-lib it is built with), which this machine's Go module
// proxy (a partial mirror of proxy.golang.org) does not serve ("403 ... This module version is not available";
// v2.246.0, v2.247.0 and v2.249.0 neither). v2.250.0, the nearest version it serves, is what Go selects here:
// a newer aws-cdk-go, as a user's app may have. The library's minimum stays v2.245.0 (dist/go/.../go.mod).
require (
	github.com/aws/aws-cdk-go/awscdk/v2 v2.250.0
	github.com/aws/constructs-go/constructs/v10 v10.5.1
	github.com/aws/jsii-runtime-go v1.140.0
	github.com/cdk-multi-region-failover/cdk-multi-region-failover-go/cdkmultiregionfailover v0.0.0
)

require (
	github.com/Masterminds/semver/v3 v3.5.0 // indirect
	github.com/cdklabs/awscdk-asset-awscli-go/awscliv1/v2 v2.2.273 // indirect
	github.com/cdklabs/awscdk-asset-node-proxy-agent-go/nodeproxyagentv6/v2 v2.1.3 // indirect
	github.com/cdklabs/cloud-assembly-schema-go/awscdkcloudassemblyschema/v53 v53.28.0 // indirect
	github.com/fatih/color v1.19.0 // indirect
	github.com/mattn/go-colorable v0.1.14 // indirect
	github.com/mattn/go-isatty v0.0.24 // indirect
	github.com/yuin/goldmark v1.7.16 // indirect
	golang.org/x/lint v0.0.0-20241112194109-818c5a804067 // indirect
	golang.org/x/mod v0.39.0 // indirect
	golang.org/x/sync v0.22.0 // indirect
	golang.org/x/sys v0.47.0 // indirect
	golang.org/x/telemetry v0.0.0-20260811182544-a038080d80e5 // indirect
	golang.org/x/tools v0.49.0 // indirect
	golang.org/x/tools/cmd/godoc v0.1.0-deprecated // indirect
	golang.org/x/tools/godoc v0.1.0-deprecated // indirect
)

// The module that `npx projen package:go` writes (publib-golang publishes the same directory).
replace github.com/cdk-multi-region-failover/cdk-multi-region-failover-go/cdkmultiregionfailover => ../../../dist/go/cdkmultiregionfailover

// This machine's Go module proxy (a partial mirror of proxy.golang.org) does not serve these versions, which
// dist/go's go.mod asks for (v53.28.0, v2.1.3: the npm versions in node_modules): use the ones aws-cdk-go v2.250.0 itself requires.
replace github.com/cdklabs/cloud-assembly-schema-go/awscdkcloudassemblyschema/v53 => github.com/cdklabs/cloud-assembly-schema-go/awscdkcloudassemblyschema/v53 v53.0.0

replace github.com/cdklabs/awscdk-asset-node-proxy-agent-go/nodeproxyagentv6/v2 => github.com/cdklabs/awscdk-asset-node-proxy-agent-go/nodeproxyagentv6/v2 v2.1.1
