package logsapi

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/errdefs"
)

// The orders of DescribeLogStreams.
const (
	orderByName          = "LogStreamName"
	orderByLastEventTime = "LastEventTime"
)

func (a *API) describeLogGroups(ctx context.Context, in *describeLogGroupsInput) (*describeLogGroupsOutput, error) {
	limit, err := describePages.Size(in.Limit, 50)
	if err != nil {
		return nil, err
	}
	keep, err := groupFilter(ctx, in)
	if err != nil {
		return nil, err
	}
	groups, err := a.catalog(ctx)
	if err != nil {
		return nil, err
	}
	var matched []*logGroup
	for _, g := range groups {
		if keep(g.name) {
			matched = append(matched, g)
		}
	}
	page, next, err := awsproto.Paginate(describePages, matched, awsproto.ByOffset[*logGroup](), in.NextToken, nil, limit)
	if err != nil {
		return nil, err
	}
	out := &describeLogGroupsOutput{LogGroups: []wireLogGroup{}, NextToken: next}
	for _, g := range page {
		arn := groupARN(ctx, g.name)
		out.LogGroups = append(out.LogGroups, wireLogGroup{
			LogGroupName:  g.name,
			CreationTime:  millis(g.created),
			Arn:           arn + ":*",
			LogGroupArn:   arn,
			LogGroupClass: "STANDARD",
		})
	}
	return out, nil
}

// groupFilter returns the test DescribeLogGroups applies to group names: a prefix, a
// case-insensitive substring (logGroupNamePattern) or a list of names and ARNs, at most one.
func groupFilter(ctx context.Context, in *describeLogGroupsInput) (func(string) bool, error) {
	given := 0
	for _, set := range []bool{in.LogGroupNamePrefix != nil, in.LogGroupNamePattern != nil, len(in.LogGroupIdentifiers) > 0} {
		if set {
			given++
		}
	}
	if given > 1 {
		return nil, errdefs.InvalidArgument("logGroupNamePrefix, logGroupNamePattern and logGroupIdentifiers are mutually exclusive parameters.")
	}
	switch {
	case in.LogGroupNamePrefix != nil:
		prefix := *in.LogGroupNamePrefix
		return func(name string) bool { return strings.HasPrefix(name, prefix) }, nil
	case in.LogGroupNamePattern != nil:
		pattern := strings.ToLower(*in.LogGroupNamePattern)
		return func(name string) bool { return strings.Contains(strings.ToLower(name), pattern) }, nil
	case len(in.LogGroupIdentifiers) > 0:
		return func(name string) bool {
			return slices.Contains(in.LogGroupIdentifiers, name) || slices.Contains(in.LogGroupIdentifiers, groupARN(ctx, name))
		}, nil
	}
	return func(string) bool { return true }, nil
}

func (a *API) describeLogStreams(ctx context.Context, in *describeLogStreamsInput) (*describeLogStreamsOutput, error) {
	name, err := groupName(in.LogGroupName, in.LogGroupIdentifier)
	if err != nil {
		return nil, err
	}
	limit, err := describePages.Size(in.Limit, 50)
	if err != nil {
		return nil, err
	}
	order, prefix, err := streamOrder(in)
	if err != nil {
		return nil, err
	}
	g, err := a.group(ctx, name)
	if err != nil {
		return nil, err
	}
	var streams []streamInfo
	for _, s := range g.streams {
		if strings.HasPrefix(s.name, prefix) {
			streams = append(streams, streamInfo{logStream: s})
		}
	}
	if order == orderByLastEventTime {
		if err := a.fillBounds(ctx, streams); err != nil {
			return nil, err
		}
		slices.SortStableFunc(streams, func(x, y streamInfo) int { return x.last.Compare(y.last) })
	}
	if in.Descending != nil && *in.Descending {
		slices.Reverse(streams)
	}
	page, next, err := awsproto.Paginate(describePages, streams, awsproto.ByOffset[streamInfo](), in.NextToken, nil, limit)
	if err != nil {
		return nil, err
	}
	if order == orderByName {
		if err := a.fillBounds(ctx, page); err != nil {
			return nil, err
		}
	}
	out := &describeLogStreamsOutput{LogStreams: []wireLogStream{}, NextToken: next}
	arn := groupARN(ctx, g.name)
	for _, s := range page {
		w := wireLogStream{LogStreamName: s.name, CreationTime: millis(s.created), Arn: arn + ":log-stream:" + s.name}
		if s.hasEvents {
			first, last := millis(s.first), millis(s.last)
			w.FirstEventTimestamp, w.LastEventTimestamp, w.LastIngestionTime = &first, &last, &last
		}
		out.LogStreams = append(out.LogStreams, w)
	}
	return out, nil
}

// streamOrder returns the order and the name prefix of a DescribeLogStreams request.
func streamOrder(in *describeLogStreamsInput) (order, prefix string, err error) {
	order = orderByName
	if in.OrderBy != nil {
		order = *in.OrderBy
	}
	if order != orderByName && order != orderByLastEventTime {
		return "", "", errdefs.InvalidArgument("1 validation error detected: Value '%s' at 'orderBy' failed to satisfy constraint: Member must satisfy enum value set: [LogStreamName, LastEventTime]", order)
	}
	if in.LogStreamNamePrefix != nil {
		prefix = *in.LogStreamNamePrefix
	}
	if prefix != "" && order == orderByLastEventTime {
		return "", "", errdefs.InvalidArgument("Cannot order by LastEventTime with a logStreamNamePrefix.")
	}
	return order, prefix, nil
}

// streamInfo is a stream with the times of its first and last event, when it has any.
type streamInfo struct {
	logStream
	hasEvents   bool
	first, last time.Time
}

func (a *API) fillBounds(ctx context.Context, streams []streamInfo) error {
	for i := range streams {
		s := &streams[i]
		first, ok, err := a.edge(ctx, s.containerID, 0)
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		last, _, err := a.edge(ctx, s.containerID, 1)
		if err != nil {
			return err
		}
		s.hasEvents, s.first, s.last = true, first.Time, last.Time
		if s.last.Before(s.first) {
			s.last = s.first // the clock went back
		}
	}
	return nil
}

// edge returns the first line of a container's output (tail 0) or the last one (tail 1).
func (a *API) edge(ctx context.Context, containerID string, tail int) (Line, bool, error) {
	r, err := a.open(ctx, containerID, time.Time{}, tail)
	if err != nil || r == nil {
		return Line{}, false, err
	}
	defer r.Close()
	l, ok, err := next(ctx, r)
	return l, ok, err
}
