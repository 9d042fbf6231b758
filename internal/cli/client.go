package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	awscreds "github.com/aws/aws-sdk-go-v2/credentials"
	logssdk "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	cdsdk "github.com/aws/aws-sdk-go-v2/service/codedeploy"
	ecrsdk "github.com/aws/aws-sdk-go-v2/service/ecr"
	ecssdk "github.com/aws/aws-sdk-go-v2/service/ecs"
	elbsdk "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	iamsdk "github.com/aws/aws-sdk-go-v2/service/iam"
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
	ecr        *ecrsdk.Client
	elb        *elbsdk.Client
	iam        *iamsdk.Client
	// endpoint is the server's URL, for what it serves besides the AWS APIs (GET
	// /fargo/cluster); empty when the SDK's own endpoint resolution applies.
	endpoint string
	// sign signs such a request with the configured key: a server answers it unsigned only
	// to clients on its own machine.
	sign func(context.Context, *http.Request) error
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
	cfg.HTTPClient = ownBodies(cfg.HTTPClient)
	return clients{ecs: ecssdk.NewFromConfig(cfg), logs: logssdk.NewFromConfig(cfg), codedeploy: cdsdk.NewFromConfig(cfg),
		ecr: ecrsdk.NewFromConfig(cfg), elb: elbsdk.NewFromConfig(cfg), iam: iamsdk.NewFromConfig(cfg),
		endpoint: aws.ToString(cfg.BaseEndpoint), sign: signer(cfg)}, nil
}

// emptyPayloadHash is the SHA-256 of an empty body, which a GET signs.
const emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

// signer signs requests with SigV4 and the key of cfg, as the SDK signs API calls.
func signer(cfg aws.Config) func(context.Context, *http.Request) error {
	return func(ctx context.Context, req *http.Request) error {
		if cfg.Credentials == nil {
			return nil
		}
		creds, err := cfg.Credentials.Retrieve(ctx)
		if err != nil {
			return err
		}
		return v4.NewSigner().SignHTTP(ctx, creds, req, emptyPayloadHash, "fargo", cfg.Region, time.Now())
	}
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

// bodyOwningClient sends each request with a copy of its body that only the transport reads.
//
// The SDK closes a request's body as soon as the response headers arrived, but net/http may not
// be done with it then: after writing Content-Length bytes it reads the body once more to check
// that nothing is left. A request body larger than the transport's write buffer is on the wire
// before that check, so a quick server can answer first; the SDK's closed body then answers the
// check with io.EOF from WriteTo, which net/http takes for a failed write: it closes the
// connection under the response the SDK is still reading. The SDK logs "failed to discard
// remaining HTTP response body ... use of closed network connection" and retries the call
// (DescribeTasks of a page of 100 tasks in fargo deploy hit it). The server is right to answer
// once it has read the whole request, so the fix is here. The SDK clients of the commands send
// small JSON documents, which are cheap to copy.
type bodyOwningClient struct{ next aws.HTTPClient }

// ownBodies wraps next (the SDK's default client when nil) in a bodyOwningClient.
func ownBodies(next aws.HTTPClient) aws.HTTPClient {
	if next == nil {
		next = awshttp.NewBuildableClient()
	}
	return bodyOwningClient{next: next}
}

// Do sends r with a body of its own; a request without a body, or of unknown length (a
// stream), goes as it is.
func (c bodyOwningClient) Do(r *http.Request) (*http.Response, error) {
	if r.Body == nil || r.Body == http.NoBody || r.ContentLength <= 0 {
		return c.next.Do(r)
	}
	body, err := io.ReadAll(r.Body)
	if closeErr := r.Body.Close(); err == nil {
		err = closeErr
	}
	if err != nil {
		return nil, fmt.Errorf("read the request body: %w", err)
	}
	own := r.WithContext(r.Context()) // a shallow copy: the SDK keeps its request
	own.Body = io.NopCloser(bytes.NewReader(body))
	own.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	return c.next.Do(own)
}
