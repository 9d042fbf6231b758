// Package cloudwatchapi serves the CloudWatch API (signing name monitoring) over fargo's
// metric alarms and the metrics its load balancers count: alarms (PutMetricAlarm,
// DescribeAlarms, DescribeAlarmsForMetric, DeleteAlarms, SetAlarmState, DescribeAlarmHistory,
// EnableAlarmActions, DisableAlarmActions) and metrics (ListMetrics, GetMetricStatistics) of
// the namespace AWS/ApplicationELB. It speaks the protocols CloudWatch's model lists that
// clients use: Smithy RPC v2 CBOR (the aws CLI and aws-sdk-go-v2 today) and Query (older
// SDKs), both awsQueryCompatible: errors carry Query's codes.
package cloudwatchapi
