package sigv4_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/fargohq/fargo/internal/api/sigv4"
)

// verifyingServer answers every request with an empty success in the protocol of its body and
// sends the outcome of Verify on the returned channel.
func verifyingServer(t *testing.T) (*httptest.Server, <-chan error) {
	t.Helper()
	results := make(chan error, 8)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			results <- err
			return
		}
		id, err := sigv4.Verifier{Lookup: lookup}.Verify(r, body)
		if err == nil && id.AccessKeyID != testKeyID {
			err = fmt.Errorf("identity %+v", id)
		}
		results <- err
		writeEmpty(w, r, body)
	}))
	t.Cleanup(srv.Close)
	return srv, results
}

func writeEmpty(w http.ResponseWriter, r *http.Request, body []byte) {
	if r.Header.Get("X-Amz-Target") != "" {
		w.Header().Set("Content-Type", jsonType)
		_, _ = io.WriteString(w, "{}")
		return
	}
	form, _ := url.ParseQuery(string(body))
	op := form.Get("Action")
	w.Header().Set("Content-Type", "text/xml")
	fmt.Fprintf(w, "<%[1]sResponse><%[1]sResult></%[1]sResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></%[1]sResponse>", op)
}

// TestVerifyRealClients pins that requests signed by the real aws-sdk-go-v2 clients verify,
// including through an endpoint with a path prefix and with temporary credentials.
func TestVerifyRealClients(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		token string
		call  func(ctx context.Context, cfg aws.Config, endpoint string) error
	}{
		{"ecs", "", func(ctx context.Context, cfg aws.Config, endpoint string) error {
			c := ecs.NewFromConfig(cfg, func(o *ecs.Options) { o.BaseEndpoint = aws.String(endpoint) })
			_, err := c.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String("demo"), Services: []string{"web"}})
			return err
		}},
		{"elbv2 with session token", "FwoGZXIvYXdzEXAMPLE", func(ctx context.Context, cfg aws.Config, endpoint string) error {
			c := elbv2.NewFromConfig(cfg, func(o *elbv2.Options) { o.BaseEndpoint = aws.String(endpoint) })
			_, err := c.DescribeTargetHealth(ctx, &elbv2.DescribeTargetHealthInput{TargetGroupArn: aws.String("arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/web/1")})
			return err
		}},
		{"sts", "", func(ctx context.Context, cfg aws.Config, endpoint string) error {
			c := sts.NewFromConfig(cfg, func(o *sts.Options) { o.BaseEndpoint = aws.String(endpoint) })
			_, err := c.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, results := verifyingServer(t)
			cfg := aws.Config{
				Region:           "eu-west-1",
				Credentials:      credentials.NewStaticCredentialsProvider(testKeyID, testSecret, tt.token),
				HTTPClient:       srv.Client(),
				RetryMaxAttempts: 1,
			}
			if err := tt.call(t.Context(), cfg, srv.URL+"/some prefix/"); err != nil {
				t.Fatalf("call: %v", err)
			}
			if err := <-results; err != nil {
				t.Fatalf("Verify: %v", err)
			}
		})
	}
}
