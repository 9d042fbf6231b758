package logsapi

import (
	"cmp"
	"context"
	"encoding/base64"
	"fmt"
	"hash/fnv"
	"slices"
	"strconv"
	"strings"

	"github.com/fargohq/fargo/internal/errdefs"
)

// filterKey orders the events of a group: by time, then stream, then place in the stream.
type filterKey struct {
	ns     int64
	stream string
	k      int
}

func (x filterKey) compare(y filterKey) int {
	return cmp.Or(cmp.Compare(x.ns, y.ns), strings.Compare(x.stream, y.stream), cmp.Compare(x.k, y.k))
}

// String renders the key as an opaque FilterLogEvents token.
func (x filterKey) String() string {
	return base64.RawURLEncoding.EncodeToString(fmt.Appendf(nil, "%d/%d/%s", x.ns, x.k, x.stream))
}

func parseFilterToken(s string) (filterKey, error) {
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return filterKey{}, errBadToken
	}
	parts := strings.SplitN(string(raw), "/", 3)
	if len(parts) != 3 {
		return filterKey{}, errBadToken
	}
	ns, err1 := strconv.ParseInt(parts[0], 10, 64)
	k, err2 := strconv.Atoi(parts[1])
	if err1 != nil || err2 != nil {
		return filterKey{}, errBadToken
	}
	return filterKey{ns: ns, stream: parts[2], k: k}, nil
}

// filtered is what FilterLogEvents found in one stream.
type filtered struct {
	stream   string
	events   []event
	complete bool // the stream has no matching event after events
}

func (a *API) filterLogEvents(ctx context.Context, in *filterLogEventsInput) (*filterLogEventsOutput, error) {
	q, err := parseFilterQuery(in)
	if err != nil {
		return nil, err
	}
	g, err := a.group(ctx, q.group)
	if err != nil {
		return nil, err
	}
	var found []filtered
	for _, s := range g.streams {
		if !q.selects(s.name) {
			continue
		}
		f, err := a.filterStream(ctx, s, q)
		if err != nil {
			return nil, err
		}
		found = append(found, f)
	}
	return q.page(found), nil
}

// filterQuery is a checked FilterLogEvents request.
type filterQuery struct {
	group   string
	names   []string
	prefix  string
	w       window
	pattern pattern
	after   *filterKey
	limit   int
}

func parseFilterQuery(in *filterLogEventsInput) (filterQuery, error) {
	var q filterQuery
	var err error
	if q.group, err = groupName(in.LogGroupName, in.LogGroupIdentifier); err != nil {
		return q, err
	}
	if len(in.LogStreamNames) > 0 && in.LogStreamNamePrefix != nil {
		return q, errdefs.InvalidArgument("logStreamNames and logStreamNamePrefix are mutually exclusive parameters.")
	}
	if len(in.LogStreamNames) > 100 {
		return q, errdefs.InvalidArgument("1 validation error detected: Value at 'logStreamNames' failed to satisfy constraint: Member must have length less than or equal to 100")
	}
	q.names = in.LogStreamNames
	if in.LogStreamNamePrefix != nil {
		q.prefix = *in.LogStreamNamePrefix
	}
	if q.w, err = windowOf(in.StartTime, in.EndTime); err != nil {
		return q, err
	}
	if in.FilterPattern != nil {
		if q.pattern, err = parsePattern(*in.FilterPattern); err != nil {
			return q, err
		}
	}
	if in.NextToken != nil {
		after, err := parseFilterToken(*in.NextToken)
		if err != nil {
			return q, err
		}
		q.after = &after
	}
	q.limit, err = eventPages.Size(in.Limit, maxEvents)
	return q, err
}

func (q filterQuery) selects(stream string) bool {
	if len(q.names) > 0 {
		return slices.Contains(q.names, stream)
	}
	return strings.HasPrefix(stream, q.prefix)
}

// filterStream returns the first limit+1 matching events of s after the query's token: one
// more than a page, so that the caller knows whether there are more.
func (a *API) filterStream(ctx context.Context, s logStream, q filterQuery) (filtered, error) {
	f := filtered{stream: s.name, complete: true}
	since := q.w.start
	if q.after != nil {
		since = max(since, q.after.ns)
	}
	sc, err := a.scan(ctx, s, since)
	if err != nil || sc == nil {
		return f, err
	}
	defer sc.Close()
	for {
		e, ok, err := sc.next(ctx)
		if err != nil {
			return f, err
		}
		if !ok || e.ns >= q.w.end {
			return f, nil
		}
		if !q.w.contains(e) || !q.pattern.matches(e.Text) {
			continue
		}
		if q.after != nil && (filterKey{e.ns, s.name, e.k}).compare(*q.after) <= 0 {
			continue
		}
		if len(f.events) == q.limit+1 {
			f.complete = false
			return f, nil
		}
		f.events = append(f.events, e)
	}
}

// page merges what the streams gave into one page in time order.
func (q filterQuery) page(found []filtered) *filterLogEventsOutput {
	type keyed struct {
		key filterKey
		e   event
	}
	var all []keyed
	for _, f := range found {
		for _, e := range f.events {
			all = append(all, keyed{filterKey{e.ns, f.stream, e.k}, e})
		}
	}
	slices.SortFunc(all, func(x, y keyed) int { return x.key.compare(y.key) })
	n, size := 0, 0
	for n < len(all) && n < q.limit {
		if size += all[n].e.size(); n > 0 && size > maxResponseSize {
			break
		}
		n++
	}
	out := &filterLogEventsOutput{Events: make([]wireFilteredEvent, 0, n), SearchedLogStreams: []wireSearchedStream{}}
	for _, it := range all[:n] {
		out.Events = append(out.Events, wireFilteredEvent{
			LogStreamName: it.key.stream, Timestamp: new(millis(it.e.Time)), Message: it.e.Text, IngestionTime: new(it.e.ingest),
			EventID: eventID(it.key),
		})
	}
	more := n < len(all)
	if more {
		next := all[n-1].key.String()
		out.NextToken = &next
	}
	for _, f := range found {
		done := f.complete
		if more && len(f.events) > 0 {
			done = done && (filterKey{f.events[len(f.events)-1].ns, f.stream, f.events[len(f.events)-1].k}).compare(all[n-1].key) <= 0
		}
		out.SearchedLogStreams = append(out.SearchedLogStreams, wireSearchedStream{LogStreamName: f.stream, SearchedCompletely: new(done)})
	}
	return out
}

// eventID is stable across requests, so that clients such as "aws logs tail --follow" can tell
// the events they already printed.
func eventID(k filterKey) string {
	h := fnv.New32a()
	h.Write([]byte(k.stream))
	return fmt.Sprintf("%019d%07d%010d", k.ns, k.k, h.Sum32())
}
