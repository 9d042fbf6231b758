package logsapi

import "github.com/fargohq/fargo/internal/api/awsproto"

// targets names the log groups and streams of a CloudWatch Logs request, for its
// authorization. A request that names its group by identifier (an ARN) names it by ARN.
func targets(op string, in awsproto.Input) awsproto.Target {
	var t awsproto.Target
	group := in.String("logGroupName")
	if group == "" {
		group = in.String("logGroupIdentifier")
	}
	switch op {
	case "DescribeLogStreams", "FilterLogEvents", "CreateLogGroup", "DeleteLogGroup", "PutRetentionPolicy", "DeleteRetentionPolicy":
		t.Add(group)
	case "GetLogEvents", "CreateLogStream", "DeleteLogStream", "PutLogEvents":
		t.Add(group, in.String("logStreamName"))
	}
	return t
}
