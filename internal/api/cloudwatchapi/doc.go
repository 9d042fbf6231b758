// Package cloudwatchapi serves the CloudWatch API (signing name monitoring) over fargo's
// metric alarms and the metrics its load balancers count: alarms (PutMetricAlarm,
// DescribeAlarms, DescribeAlarmsForMetric, DeleteAlarms, SetAlarmState, DescribeAlarmHistory,
// EnableAlarmActions, DisableAlarmActions) and metrics (ListMetrics, GetMetricStatistics,
// GetMetricData) of the namespace AWS/ApplicationELB. It speaks the protocols CloudWatch's
// model lists: Smithy RPC v2 CBOR (aws-sdk-go-v2), JSON 1.0 (aws CLI v1 and boto3: botocore
// ranks json above CBOR) and Query (older SDKs), all awsQueryCompatible: errors carry Query's codes.
package cloudwatchapi
