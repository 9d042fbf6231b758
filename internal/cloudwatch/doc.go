// Package cloudwatch is the domain of fargo's CloudWatch alarms: metric alarms over the
// metrics fargo's load balancers count (namespace AWS/ApplicationELB), their validation as
// PutMetricAlarm checks it, and their evaluation, a pure function of an alarm and the
// datapoints of its evaluation range. It does no I/O: the alarms controller samples the
// metrics and writes the states this package decides.
package cloudwatch
