package cloudwatchapi_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	cw "github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"

	"github.com/fargohq/fargo/internal/alarms"
	"github.com/fargohq/fargo/internal/api/apitest"
	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/api/cloudwatchapi"
	"github.com/fargohq/fargo/internal/arn"
	"github.com/fargohq/fargo/internal/store"
)

var scope = arn.Scope{Partition: "aws", Region: apitest.Region, AccountID: apitest.AccountID}

// env is a front door with CloudWatch over both protocols, its metrics, and an SDK client
// (which speaks RPC v2 CBOR).
type env struct {
	*apitest.Server
	CW      *cw.Client
	Metrics *alarms.Metrics
}

func newEnv(t *testing.T) *env {
	t.Helper()
	metrics := alarms.NewMetrics(time.Hour)
	api := func(st *store.Store) *cloudwatchapi.API {
		return cloudwatchapi.New(st, scope, metrics, cloudwatchapi.Config{}, nil)
	}
	srv := apitest.Start(t,
		func(st *store.Store) awsproto.Service { return api(st).Service() },
		func(st *store.Store) awsproto.Service { return api(st).QueryService() },
		func(st *store.Store) awsproto.Service { return api(st).JSONService() })
	return &env{Server: srv, CW: cw.NewFromConfig(srv.AWS), Metrics: metrics}
}

// query sends a Query request of action with params, signed as the SDKs sign it.
func (e *env) query(t *testing.T, action string, params url.Values) (*http.Response, []byte) {
	t.Helper()
	params.Set("Action", action)
	params.Set("Version", cloudwatchapi.Version)
	body := []byte(params.Encode())
	req, err := http.NewRequest(http.MethodPost, e.URL+"/", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	sum := sha256.Sum256(body)
	creds := aws.Credentials{AccessKeyID: e.Credentials.AccessKeyID, SecretAccessKey: e.Credentials.SecretAccessKey}
	if err := v4.NewSigner().SignHTTP(apitest.Context(t), creds, req, hex.EncodeToString(sum[:]), "monitoring", apitest.Region, time.Now()); err != nil {
		t.Fatal(err)
	}
	return apitest.Do(t, req)
}

// tg5xx is a put request of an alarm named name on the 5XX count of target group blue.
func tg5xx(name string) *cw.PutMetricAlarmInput {
	return &cw.PutMetricAlarmInput{
		AlarmName: aws.String(name), Namespace: aws.String("AWS/ApplicationELB"), MetricName: aws.String("HTTPCode_Target_5XX_Count"),
		Dimensions: []cwtypes.Dimension{
			{Name: aws.String("TargetGroup"), Value: aws.String("targetgroup/blue/0123456789abcdef")},
			{Name: aws.String("LoadBalancer"), Value: aws.String("app/web/fedcba9876543210")},
		},
		Statistic: cwtypes.StatisticSum, Period: aws.Int32(60), EvaluationPeriods: aws.Int32(1), Threshold: aws.Float64(1),
		ComparisonOperator: cwtypes.ComparisonOperatorGreaterThanThreshold, TreatMissingData: aws.String("notBreaching"),
	}
}

// json10 sends a JSON 1.0 request of op with body, signed as botocore signs it.
func (e *env) json10(t *testing.T, op, body string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, e.URL+"/", bytes.NewReader([]byte(body)))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.0")
	req.Header.Set("X-Amz-Target", cloudwatchapi.ServiceID+"."+op)
	req.Header.Set("X-Amzn-Query-Mode", "true")
	sum := sha256.Sum256([]byte(body))
	creds := aws.Credentials{AccessKeyID: e.Credentials.AccessKeyID, SecretAccessKey: e.Credentials.SecretAccessKey}
	if err := v4.NewSigner().SignHTTP(apitest.Context(t), creds, req, hex.EncodeToString(sum[:]), "monitoring", apitest.Region, time.Now()); err != nil {
		t.Fatal(err)
	}
	return apitest.Do(t, req)
}
