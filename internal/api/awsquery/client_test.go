package awsquery_test

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
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/google/go-cmp/cmp"

	"github.com/fargohq/fargo/internal/api/awsquery"
)

// capture starts a server that records the form body of each request and answers with an
// empty result, and returns an ELBv2 client bound to it.
func capture(t *testing.T) (*elbv2.Client, <-chan url.Values) {
	t.Helper()
	forms := make(chan url.Values, 4)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		form, perr := url.ParseQuery(string(body))
		if err != nil || perr != nil {
			http.Error(w, fmt.Sprint(err, perr), http.StatusBadRequest)
			return
		}
		forms <- form
		w.Header().Set("Content-Type", "text/xml")
		fmt.Fprintf(w, "<%[1]sResponse><%[1]sResult></%[1]sResult><ResponseMetadata><RequestId>1</RequestId>"+
			"</ResponseMetadata></%[1]sResponse>", form.Get("Action"))
	}))
	t.Cleanup(srv.Close)
	client := elbv2.New(elbv2.Options{
		Region:           "us-east-1",
		Credentials:      credentials.NewStaticCredentialsProvider("AKID", "SECRET", ""),
		BaseEndpoint:     aws.String(srv.URL),
		HTTPClient:       srv.Client(),
		RetryMaxAttempts: 1,
	})
	return client, forms
}

// TestDecodeRealClient decodes what the real aws-sdk-go-v2 ELBv2 client sends into the test
// shapes, and checks that Encode of the result gives back exactly the parameters it sent.
func TestDecodeRealClient(t *testing.T) {
	t.Parallel()
	const tg = "arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/blue/1"
	tests := []struct {
		name   string
		call   func(context.Context, *elbv2.Client) error
		action string
		into   any // a pointer to a zero shape
		want   any
	}{
		{
			name:   "create rule with conditions and a weighted forward",
			action: "CreateRule",
			call: func(ctx context.Context, c *elbv2.Client) error {
				_, err := c.CreateRule(ctx, &elbv2.CreateRuleInput{
					ListenerArn: aws.String("arn:l"),
					Priority:    aws.Int32(10),
					Conditions: []types.RuleCondition{
						{Field: aws.String("path-pattern"), Values: []string{"/api/*", "/v2/*"}},
						{Field: aws.String("http-header"), HttpHeaderConfig: &types.HttpHeaderConditionConfig{
							HttpHeaderName: aws.String("X-Canary"), Values: []string{"true"},
						}},
					},
					Actions: []types.Action{{
						Type:  types.ActionTypeEnumForward,
						Order: aws.Int32(1),
						ForwardConfig: &types.ForwardActionConfig{
							TargetGroups: []types.TargetGroupTuple{
								{TargetGroupArn: aws.String(tg), Weight: aws.Int32(90)},
								{TargetGroupArn: aws.String("arn:green"), Weight: aws.Int32(10)},
							},
							TargetGroupStickinessConfig: &types.TargetGroupStickinessConfig{Enabled: aws.Bool(false)},
						},
					}},
					Tags: []types.Tag{},
				})
				return err
			},
			into: &createRuleInput{},
			want: &createRuleInput{
				ListenerArn: aws.String("arn:l"),
				Priority:    aws.Int32(10),
				Conditions: []condition{
					{Field: aws.String("path-pattern"), Values: []string{"/api/*", "/v2/*"}},
					{Field: aws.String("http-header"), HTTPHeaderConfig: &httpHeaderConfig{
						HTTPHeaderName: aws.String("X-Canary"), Values: []string{"true"},
					}},
				},
				Actions: []*action{{
					Type:  aws.String("forward"),
					Order: aws.Int32(1),
					ForwardConfig: &forwardConfig{
						TargetGroups: []targetGroupTuple{
							{TargetGroupArn: aws.String(tg), Weight: aws.Int32(90)},
							{TargetGroupArn: aws.String("arn:green"), Weight: aws.Int32(10)},
						},
						TargetGroupStickinessConfig: &stickiness{Enabled: aws.Bool(false)},
					},
				}},
				Tags: []tag{},
			},
		},
		{
			name:   "register two targets",
			action: "RegisterTargets",
			call: func(ctx context.Context, c *elbv2.Client) error {
				_, err := c.RegisterTargets(ctx, &elbv2.RegisterTargetsInput{
					TargetGroupArn: aws.String(tg),
					Targets: []types.TargetDescription{
						{Id: aws.String("10.0.0.1"), Port: aws.Int32(8080)},
						{Id: aws.String("10.0.0.2"), Port: aws.Int32(8081), AvailabilityZone: aws.String("all")},
					},
				})
				return err
			},
			into: &registerTargetsInput{},
			want: &registerTargetsInput{TargetGroupArn: aws.String(tg), Targets: []target{
				{ID: aws.String("10.0.0.1"), Port: aws.Int32(8080)},
				{ID: aws.String("10.0.0.2"), Port: aws.Int32(8081), AvailabilityZone: aws.String("all")},
			}},
		},
		{
			name:   "modify target group attributes",
			action: "ModifyTargetGroupAttributes",
			call: func(ctx context.Context, c *elbv2.Client) error {
				_, err := c.ModifyTargetGroupAttributes(ctx, &elbv2.ModifyTargetGroupAttributesInput{
					TargetGroupArn: aws.String(tg),
					Attributes: []types.TargetGroupAttribute{
						{Key: aws.String("deregistration_delay.timeout_seconds"), Value: aws.String("30")},
						{Key: aws.String("stickiness.enabled"), Value: aws.String("false")},
					},
				})
				return err
			},
			into: &modifyTargetGroupAttributesInput{},
			want: &modifyTargetGroupAttributesInput{TargetGroupArn: aws.String(tg), Attributes: []attribute{
				{Key: aws.String("deregistration_delay.timeout_seconds"), Value: aws.String("30")},
				{Key: aws.String("stickiness.enabled"), Value: aws.String("false")},
			}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			client, forms := capture(t)
			if err := tt.call(t.Context(), client); err != nil {
				t.Fatal(err)
			}
			form := <-forms
			if form.Get("Action") != tt.action || form.Get("Version") != "2015-12-01" {
				t.Fatalf("Action/Version = %q/%q", form.Get("Action"), form.Get("Version"))
			}
			if err := awsquery.Decode(form, tt.into); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, tt.into); diff != "" {
				t.Fatalf("Decode mismatch (-want +got):\n%s", diff)
			}
			back, err := awsquery.Encode(tt.into)
			if err != nil {
				t.Fatal(err)
			}
			form.Del("Action")
			form.Del("Version")
			if diff := cmp.Diff(form, back); diff != "" {
				t.Fatalf("Encode differs from the SDK (-sdk +ours):\n%s", diff)
			}
		})
	}
}
