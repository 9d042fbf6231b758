package logsapi

import (
	"context"
	"fmt"
	"math"
	"strconv"

	"github.com/fargohq/fargo/internal/errdefs"
)

// maxEvents is the largest limit of GetLogEvents and FilterLogEvents, and their default.
const maxEvents = 10000

// streamToken is a GetLogEvents token: a position and the direction to read from it.
type streamToken struct {
	forward bool
	pos     position
}

// String renders the token as CloudWatch's look: "f/" or "b/" and digits.
func (t streamToken) String() string {
	dir := "b/"
	if t.forward {
		dir = "f/"
	}
	return fmt.Sprintf("%s%019d%07d", dir, t.pos.t, t.pos.k)
}

func parseStreamToken(s string) (streamToken, error) {
	if len(s) != 2+19+7 || (s[:2] != "f/" && s[:2] != "b/") {
		return streamToken{}, errBadToken
	}
	t, err1 := strconv.ParseInt(s[2:21], 10, 64)
	k, err2 := strconv.Atoi(s[21:])
	if err1 != nil || err2 != nil || t < 0 || k < 0 {
		return streamToken{}, errBadToken
	}
	return streamToken{forward: s[0] == 'f', pos: position{t: t, k: k}}, nil
}

func (a *API) getLogEvents(ctx context.Context, in *getLogEventsInput) (*getLogEventsOutput, error) {
	if in.LogStreamName == nil || *in.LogStreamName == "" {
		return nil, errdefs.InvalidArgument("1 validation error detected: Value null at 'logStreamName' failed to satisfy constraint: Member must not be null")
	}
	name, err := groupName(in.LogGroupName, in.LogGroupIdentifier)
	if err != nil {
		return nil, err
	}
	limit, err := eventPages.Size(in.Limit, maxEvents)
	if err != nil {
		return nil, err
	}
	w, err := windowOf(in.StartTime, in.EndTime)
	if err != nil {
		return nil, err
	}
	tok, err := startToken(in, w)
	if err != nil {
		return nil, err
	}
	g, err := a.group(ctx, name)
	if err != nil {
		return nil, err
	}
	s, err := g.stream(*in.LogStreamName)
	if err != nil {
		return nil, err
	}
	read := a.readBackward
	if tok.forward {
		read = a.readForward
	}
	events, err := read(ctx, s, w, tok.pos, limit)
	if err != nil {
		return nil, err
	}
	// With no events the tokens stay where they were, so that a client polling with
	// nextForwardToken sees the same token until something new arrives. A first request that
	// found nothing points both tokens at the start of the window.
	fwd, back := tok.pos, tok.pos
	if in.NextToken == nil && len(events) == 0 {
		fwd, back = position{t: w.start}, position{t: w.start}
	}
	if len(events) > 0 {
		back, fwd = events[0].positionBefore(), events[len(events)-1].positionAfter()
	}
	out := &getLogEventsOutput{
		Events:            make([]wireOutputEvent, 0, len(events)),
		NextForwardToken:  streamToken{forward: true, pos: fwd}.String(),
		NextBackwardToken: streamToken{forward: false, pos: back}.String(),
	}
	for _, e := range events {
		out.Events = append(out.Events, wireOutputEvent{Timestamp: new(millis(e.Time)), Message: e.Text, IngestionTime: new(e.ingest)})
	}
	return out, nil
}

// startToken is where a GetLogEvents request reads from: its token, else the newest events
// (as CloudWatch answers by default) or, with startFromHead, the first ones in the window.
func startToken(in *getLogEventsInput, w window) (streamToken, error) {
	if in.NextToken != nil {
		return parseStreamToken(*in.NextToken)
	}
	if in.StartFromHead != nil && *in.StartFromHead {
		return streamToken{forward: true, pos: position{t: w.start}}, nil
	}
	return streamToken{forward: false, pos: position{t: math.MaxInt64}}, nil
}

// readForward returns the first events after from in w: at most limit, and no more than a
// response may hold.
func (a *API) readForward(ctx context.Context, s logStream, w window, from position, limit int) ([]event, error) {
	sc, err := a.scan(ctx, s, max(w.start, from.t))
	if err != nil || sc == nil {
		return nil, err
	}
	defer sc.Close()
	var out []event
	size := 0
	for len(out) < limit {
		e, ok, err := sc.next(ctx)
		if err != nil {
			return nil, err
		}
		if !ok || e.ns >= w.end {
			break
		}
		if from.covers(e) || !w.contains(e) {
			continue
		}
		if size += e.size(); len(out) > 0 && size > maxResponseSize {
			break
		}
		out = append(out, e)
	}
	return out, nil
}

// readBackward returns the last events before upto in w: at most limit, and no more than a
// response may hold.
func (a *API) readBackward(ctx context.Context, s logStream, w window, upto position, limit int) ([]event, error) {
	sc, err := a.scan(ctx, s, w.start)
	if err != nil || sc == nil {
		return nil, err
	}
	defer sc.Close()
	var out []event
	for {
		e, ok, err := sc.next(ctx)
		if err != nil {
			return nil, err
		}
		if !ok || e.ns >= w.end || !upto.covers(e) {
			break
		}
		if !w.contains(e) {
			continue
		}
		out = append(out, e)
		if len(out) >= 2*limit {
			out = append(out[:0], out[len(out)-limit:]...)
		}
	}
	out = out[max(0, len(out)-limit):]
	size := 0
	for i := len(out) - 1; i >= 0; i-- {
		if size += out[i].size(); i < len(out)-1 && size > maxResponseSize {
			return out[i+1:], nil
		}
	}
	return out, nil
}
