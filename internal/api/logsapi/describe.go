package logsapi

import (
	"context"
	"fmt"
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
		if keep(g.name) && (in.LogGroupClass == nil || *in.LogGroupClass == g.class()) {
			matched = append(matched, g)
		}
	}
	page, next, err := awsproto.Paginate(describePages, matched, awsproto.ByOffset[*logGroup](), in.NextToken, nil, limit)
	if err != nil {
		return nil, err
	}
	out := &describeLogGroupsOutput{LogGroups: []wireLogGroup{}, NextToken: next}
	for _, g := range page {
		w, err := a.wireGroup(ctx, g)
		if err != nil {
			return nil, err
		}
		out.LogGroups = append(out.LogGroups, w)
	}
	return out, nil
}

// wireGroup describes g as DescribeLogGroups does: its retention and class when a client set
// them, and the bytes of the events clients wrote to it.
func (a *API) wireGroup(ctx context.Context, g *logGroup) (wireLogGroup, error) {
	arn := groupARN(ctx, g.name)
	w := wireLogGroup{
		LogGroupName:      g.name,
		CreationTime:      new(millis(g.created)),
		MetricFilterCount: new(int32(0)),
		Arn:               arn + ":*",
		LogGroupArn:       arn,
		LogGroupClass:     g.class(),
	}
	if d := g.retention(); d > 0 {
		w.RetentionInDays = new(int32(d))
	}
	var stored int64
	for _, s := range g.storedStreams() {
		st, err := a.events.Stats(s.stored.ID)
		if err != nil {
			return wireLogGroup{}, fmt.Errorf("describe log stream %s: %w", s.name, err)
		}
		stored += st.Bytes
	}
	w.StoredBytes = &stored
	return w, nil
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
		// storedBytes of a stream is 0, as CloudWatch reports it since 2019; groups report theirs.
		w := wireLogStream{LogStreamName: s.name, CreationTime: new(millis(s.created)), Arn: arn + ":log-stream:" + s.name, StoredBytes: new(int64(0))}
		if s.hasEvents {
			first, last, ingest := millis(s.first), millis(s.last), s.lastIngest
			w.FirstEventTimestamp, w.LastEventTimestamp, w.LastIngestionTime = &first, &last, &ingest
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
	lastIngest  int64 // milliseconds
}

// include widens the stream's bounds by those of one of its parts.
func (s *streamInfo) include(first, last time.Time, ingest int64) {
	if last.Before(first) {
		last = first // the clock went back
	}
	if !s.hasEvents {
		s.hasEvents, s.first, s.last, s.lastIngest = true, first, last, ingest
		return
	}
	if first.Before(s.first) {
		s.first = first
	}
	if last.After(s.last) {
		s.last = last
	}
	s.lastIngest = max(s.lastIngest, ingest)
}

func (a *API) fillBounds(ctx context.Context, streams []streamInfo) error {
	for i := range streams {
		if err := a.containerBounds(ctx, &streams[i]); err != nil {
			return err
		}
		if err := a.storedBounds(ctx, &streams[i]); err != nil {
			return err
		}
	}
	return nil
}

// containerBounds adds the first and last line of the stream's container output that the
// retention keeps.
func (a *API) containerBounds(ctx context.Context, s *streamInfo) error {
	if s.containerID == "" {
		return nil
	}
	first, ok, err := a.edge(ctx, s.containerID, s.cutoff, 0)
	if err != nil || !ok {
		return err
	}
	last, _, err := a.edge(ctx, s.containerID, s.cutoff, 1)
	if err != nil {
		return err
	}
	s.include(first.Time, last.Time, millis(last.Time))
	return nil
}

// storedBounds adds the first and last event that clients wrote to the stream and the
// retention keeps.
func (a *API) storedBounds(ctx context.Context, s *streamInfo) error {
	if s.stored == nil {
		return nil
	}
	st, err := a.events.Stats(s.stored.ID)
	if err != nil {
		return fmt.Errorf("describe log stream %s: %w", s.name, err)
	}
	from := ceilMillis(s.cutoff)
	if st.Count == 0 || st.Last < from {
		return nil
	}
	first := st.First
	if first < from { // expired events not removed yet: the first one kept is further on
		r, err := a.events.Read(s.stored.ID, from)
		if err != nil {
			return fmt.Errorf("describe log stream %s: %w", s.name, err)
		}
		e, ok, err := r.Next(ctx)
		_ = r.Close()
		if err != nil || !ok {
			return err
		}
		first = e.Time
	}
	s.include(time.UnixMilli(first), time.UnixMilli(st.Last), st.LastIngest)
	return nil
}

// edge returns the first line of a container's output at or after cutoff (unix nanoseconds;
// tail 0) or the last one (tail 1).
func (a *API) edge(ctx context.Context, containerID string, cutoff int64, tail int) (Line, bool, error) {
	var since time.Time
	if cutoff > 0 {
		since = time.Unix(0, cutoff)
	}
	r, err := a.open(ctx, containerID, since, tail)
	if err != nil || r == nil {
		return Line{}, false, err
	}
	defer r.Close()
	return next(ctx, r)
}
