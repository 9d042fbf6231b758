package cli

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	awscreds "github.com/aws/aws-sdk-go-v2/credentials"
	logssdk "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	cdsdk "github.com/aws/aws-sdk-go-v2/service/codedeploy"
	ecssdk "github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/spf13/cobra"

	"github.com/fargohq/fargo/internal/credentials"
	"github.com/fargohq/fargo/internal/daemon"
)

// clientOptions say which server the commands that read it (logs, ps) talk to.
type clientOptions struct {
	// endpointURL overrides the endpoint of the standard AWS configuration.
	endpointURL string
	// dataDir is the local server's data directory, used when no endpoint is configured.
	dataDir string
}

func addClientFlags(cmd *cobra.Command, o *clientOptions) {
	cmd.Flags().StringVar(&o.endpointURL, "endpoint-url", "",
		"URL of the fargo server; credentials and region come from the standard AWS environment (default $AWS_ENDPOINT_URL, else the server of --data-dir)")
	addDataDirFlag(cmd, &o.dataDir)
}

// clients are the SDK clients the commands use; they talk to fargo as to AWS.
type clients struct {
	ecs        *ecssdk.Client
	logs       *logssdk.Client
	codedeploy *cdsdk.Client
}

// newClients configures the SDK clients. With --endpoint-url or AWS_ENDPOINT_URL set, the
// standard AWS configuration (environment, shared files) applies, as for the aws CLI;
// otherwise the endpoint, region and access key are those of the local server of the data
// directory, exactly as `fargo env` prints them, so the commands work with no setup on the
// server's machine. getenv is os.Getenv.
func newClients(ctx context.Context, o clientOptions, getenv func(string) string) (clients, error) {
	cfg, err := awsConfig(ctx, o, getenv)
	if err != nil {
		return clients{}, err
	}
	return clients{ecs: ecssdk.NewFromConfig(cfg), logs: logssdk.NewFromConfig(cfg), codedeploy: cdsdk.NewFromConfig(cfg)}, nil
}

func awsConfig(ctx context.Context, o clientOptions, getenv func(string) string) (aws.Config, error) {
	if o.endpointURL == "" && getenv("AWS_ENDPOINT_URL") == "" {
		return localConfig(o.dataDir)
	}
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return aws.Config{}, fmt.Errorf("load the AWS configuration: %w", err)
	}
	if o.endpointURL != "" {
		cfg.BaseEndpoint = aws.String(o.endpointURL)
	}
	if cfg.Region == "" {
		cfg.Region = daemon.DefaultRegion
	}
	return cfg, nil
}

// localConfig reads the endpoint and key of the server of dataDir, as `fargo env` does.
func localConfig(dataDir string) (aws.Config, error) {
	state, err := daemon.ReadState(dataDir)
	if err != nil {
		return aws.Config{}, fmt.Errorf("%w (set AWS_ENDPOINT_URL or --endpoint-url to reach a server elsewhere)", err)
	}
	creds, err := credentials.Load(dataDir)
	if err != nil {
		return aws.Config{}, err
	}
	return aws.Config{
		Region:       state.Region,
		Credentials:  awscreds.NewStaticCredentialsProvider(creds.AccessKeyID, creds.SecretAccessKey, ""),
		BaseEndpoint: aws.String(state.Endpoint),
	}, nil
}
