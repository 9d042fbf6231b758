package cloudwatchapi

import (
	"time"

	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/arn"
	"github.com/fargohq/fargo/internal/cloudwatch"
	"github.com/fargohq/fargo/internal/store"
)

// ServiceID is the service of RPC v2 CBOR paths and the X-Amz-Target prefix of CloudWatch.
const ServiceID = "GraniteServiceVersion20100801"

// Version and XMLNamespace are those of CloudWatch's Query protocol.
const (
	Version      = "2010-08-01"
	XMLNamespace = "http://monitoring.amazonaws.com/doc/2010-08-01/"
)

// Metrics is what the API reads of the sampled metrics: the metrics that have samples, and
// a metric's samples, oldest first.
type Metrics interface {
	List() []cloudwatch.MetricID
	Samples(id cloudwatch.MetricID) []cloudwatch.Sample
}

// Config holds the API's settings; the zero value works.
type Config struct {
	// Minute is how long a minute of metric periods lasts (--time-scale); a minute when zero.
	Minute time.Duration
}

// API serves CloudWatch operations over a store and the sampled metrics.
type API struct {
	store   *store.Store
	scope   arn.Scope
	metrics Metrics
	minute  time.Duration
	now     func() time.Time
}

// New returns the CloudWatch API over st and metrics (nil: no metrics have samples), naming
// alarms in scope. now is the clock; time.Now when nil.
func New(st *store.Store, scope arn.Scope, metrics Metrics, cfg Config, now func() time.Time) *API {
	if now == nil {
		now = time.Now
	}
	if cfg.Minute <= 0 {
		cfg.Minute = time.Minute
	}
	return &API{store: st, scope: scope, metrics: metrics, minute: cfg.Minute, now: now}
}

func (a *API) operations(wrap func(op string) awsproto.Handler) map[string]awsproto.Handler {
	ops := map[string]awsproto.Handler{}
	for _, op := range []string{"PutMetricAlarm", "DescribeAlarms", "DescribeAlarmsForMetric", "DeleteAlarms", "SetAlarmState",
		"DescribeAlarmHistory", "EnableAlarmActions", "DisableAlarmActions", "ListMetrics", "GetMetricStatistics", "GetMetricData"} {
		ops[op] = wrap(op)
	}
	return ops
}

// json returns the JSON-bodied handler of op, for JSON 1.0 and RPC v2 CBOR (whose bodies
// arrive transcoded).
func (a *API) json(op string) awsproto.Handler {
	switch op {
	case "PutMetricAlarm":
		return awsproto.JSON(a.putMetricAlarm)
	case "DescribeAlarms":
		return awsproto.JSON(a.describeAlarms)
	case "DescribeAlarmsForMetric":
		return awsproto.JSON(a.describeAlarmsForMetric)
	case "DeleteAlarms":
		return awsproto.JSON(a.deleteAlarms)
	case "SetAlarmState":
		return awsproto.JSON(a.setAlarmState)
	case "DescribeAlarmHistory":
		return awsproto.JSON(a.describeAlarmHistoryFromJSON)
	case "EnableAlarmActions":
		return awsproto.JSON(a.enableAlarmActions)
	case "DisableAlarmActions":
		return awsproto.JSON(a.disableAlarmActions)
	case "ListMetrics":
		return awsproto.JSON(a.listMetrics)
	case "GetMetricData":
		return awsproto.JSON(a.getMetricDataFromJSON)
	default:
		return awsproto.JSON(a.getMetricStatisticsFromJSON)
	}
}

// query returns the Query handler of op.
func (a *API) query(op string) awsproto.Handler {
	switch op {
	case "PutMetricAlarm":
		return awsproto.Query(a.putMetricAlarm)
	case "DescribeAlarms":
		return awsproto.Query(a.describeAlarms)
	case "DescribeAlarmsForMetric":
		return awsproto.Query(a.describeAlarmsForMetric)
	case "DeleteAlarms":
		return awsproto.Query(a.deleteAlarms)
	case "SetAlarmState":
		return awsproto.Query(a.setAlarmState)
	case "DescribeAlarmHistory":
		return awsproto.Query(a.describeAlarmHistory)
	case "EnableAlarmActions":
		return awsproto.Query(a.enableAlarmActions)
	case "DisableAlarmActions":
		return awsproto.Query(a.disableAlarmActions)
	case "ListMetrics":
		return awsproto.Query(a.listMetrics)
	case "GetMetricData":
		return awsproto.Query(a.getMetricData)
	default:
		return awsproto.Query(a.getMetricStatistics)
	}
}

// Service describes the RPC v2 CBOR endpoint of CloudWatch for the front door.
func (a *API) Service() awsproto.Service {
	return awsproto.Service{
		Name: "cloudwatch", SigningName: "monitoring", Protocol: awsproto.ProtocolCBOR, TargetPrefix: ServiceID,
		Operations: a.operations(a.json), ErrorFor: errorFor, ClientError: codeValidation, Targets: targets,
	}
}

// JSONService describes the JSON 1.0 endpoint of CloudWatch (X-Amz-Target
// GraniteServiceVersion20100801.<Op>), which aws CLI v1 and boto3 speak: botocore ranks json
// above smithy-rpc-v2-cbor among the model's protocols.
func (a *API) JSONService() awsproto.Service {
	return awsproto.Service{
		Name: "cloudwatch", SigningName: "monitoring", Protocol: awsproto.ProtocolJSON, TargetPrefix: ServiceID,
		Operations: a.operations(a.json), ErrorFor: errorFor, ClientError: codeValidation, Targets: targets,
	}
}

// QueryService describes the Query endpoint of CloudWatch, for older clients.
func (a *API) QueryService() awsproto.Service {
	return awsproto.Service{
		Name: "cloudwatch", SigningName: "monitoring", Protocol: awsproto.ProtocolQuery, Version: Version, XMLNamespace: XMLNamespace,
		Operations: a.operations(a.query), ErrorFor: errorFor, ClientError: codeValidation, Targets: targets,
	}
}

// alarmARN is the ARN of alarm name.
func (a *API) alarmARN(name string) string {
	return "arn:" + a.scope.Partition + ":cloudwatch:" + a.scope.Region + ":" + a.scope.AccountID + ":alarm:" + name
}
