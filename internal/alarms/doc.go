// Package alarms is the controller of CloudWatch alarms: it samples the traffic counters the
// load balancer controller writes into the store (tasks' TrafficStats, services' listener
// errors, targets' health) into ALB metrics held in memory (Metrics), and evaluates every
// alarm of its region once per period with cloudwatch.Evaluate, writing state changes. It
// runs once per region, under the elected leader: after a change of leader the new one starts
// with no samples, and alarms that treat missing data as missing go through INSUFFICIENT_DATA,
// as CloudWatch's do when a metric's data goes missing.
package alarms
