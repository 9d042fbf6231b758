package logsapi

import (
	"context"
	"errors"
	"fmt"

	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/logs"
	"github.com/fargohq/fargo/internal/store"
)

// putLogEvents keeps a batch as CloudWatch does today: the sequence token is ignored, the batch
// must be in chronological order and within its limits, and events too old, expired by the
// group's retention or too new are rejected one by one while the others are kept. A stream
// that only container output implies takes writes too: its record is written on the first.
func (a *API) putLogEvents(ctx context.Context, in *putLogEventsInput) (*putLogEventsOutput, error) {
	group, name, err := streamArgs(in.LogGroupName, in.LogStreamName)
	if err != nil {
		return nil, err
	}
	events, err := inputEvents(in.LogEvents)
	if err != nil {
		return nil, err
	}
	if err := logs.CheckBatch(events); err != nil {
		return nil, err
	}
	s, retention, err := a.writableStream(ctx, group, name)
	if err != nil {
		return nil, err
	}
	now := a.now()
	adm, err := logs.Admit(events, now, retention)
	if err != nil {
		return nil, err
	}
	next, err := a.events.Append(s.ID, adm.Accepted, now.UnixMilli())
	if errors.Is(err, errdefs.ErrNotFound) {
		return nil, logs.ErrStreamNotFound // deleted while this call ran
	}
	if err != nil {
		return nil, fmt.Errorf("put log events to %s %s: %w", group, name, err)
	}
	return &putLogEventsOutput{NextSequenceToken: fmt.Sprintf("%056d", next), RejectedLogEventsInfo: rejected(adm.Rejected)}, nil
}

func inputEvents(in []wireInputEvent) ([]logs.Event, error) {
	if in == nil {
		return nil, errNull("logEvents")
	}
	out := make([]logs.Event, len(in))
	for i, e := range in {
		if e.Timestamp == nil {
			return nil, errNull(fmt.Sprintf("logEvents.%d.member.timestamp", i+1))
		}
		if e.Message == nil {
			return nil, errNull(fmt.Sprintf("logEvents.%d.member.message", i+1))
		}
		out[i] = logs.Event{Timestamp: *e.Timestamp, Message: *e.Message}
	}
	return out, nil
}

func rejected(r logs.Rejected) *wireRejectedEvents {
	if !r.Any() {
		return nil
	}
	index := func(has bool, i int) *int32 {
		if !has {
			return nil
		}
		v := int32(i)
		return &v
	}
	return &wireRejectedEvents{
		TooNewLogEventStartIndex: index(r.HasTooNew, r.TooNewStart),
		TooOldLogEventEndIndex:   index(r.HasTooOld, r.TooOldEnd),
		ExpiredLogEventEndIndex:  index(r.HasExpired, r.ExpiredEnd),
	}
}

// writableStream returns the record of stream name of group, writing one for a stream that
// only container output implies, and the group's retention in days.
func (a *API) writableStream(ctx context.Context, group, name string) (logs.Stream, int, error) {
	it, err := a.store.LogStreams.Get(ctx, store.LogStreamID(group, name))
	if err == nil {
		g, err := a.store.LogGroups.Get(ctx, group)
		if errors.Is(err, errdefs.ErrNotFound) {
			return logs.Stream{}, 0, logs.ErrStreamNotFound // its group is being deleted
		}
		if err != nil {
			return logs.Stream{}, 0, fmt.Errorf("read log group %s: %w", group, err)
		}
		return it.Value, g.Value.RetentionDays, nil
	}
	if !errors.Is(err, errdefs.ErrNotFound) {
		return logs.Stream{}, 0, fmt.Errorf("read log stream %s %s: %w", group, name, err)
	}
	var s logs.Stream
	var retention int
	err = retry(func() error {
		g, err := a.group(ctx, group)
		if err != nil {
			return err
		}
		found, err := g.stream(name)
		if err != nil {
			return err
		}
		retention = g.retention()
		if found.stored != nil {
			s = *found.stored
			return nil
		}
		s, err = a.createStoredStream(ctx, g, name)
		return err
	})
	return s, retention, err
}
