package logs

import (
	"time"

	"github.com/fargohq/fargo/internal/errdefs"
)

// The limits of one PutLogEvents batch, as CloudWatch documents them.
const (
	MaxBatchEvents = 10000
	MaxBatchBytes  = 1048576
	// EventOverhead is what each event adds to the batch size besides its message's UTF-8 bytes.
	EventOverhead = 26
	// MaxAge is how old an event may be; older ones are rejected.
	MaxAge = 14 * 24 * time.Hour
	// MaxAhead is how far in the future an event may lie; later ones are rejected.
	MaxAhead = 2 * time.Hour
	// MaxSpan is the longest time the accepted events of a batch may span.
	MaxSpan = 24 * time.Hour
)

// Event is one event of a PutLogEvents batch.
type Event struct {
	// Timestamp is when the event happened, in milliseconds since the epoch.
	Timestamp int64
	Message   string
}

// Size is what the event counts against MaxBatchBytes.
func (e Event) Size() int { return len(e.Message) + EventOverhead }

// Rejected says which events of a batch were rejected. Because a batch is in chronological
// order, the too old and expired events are a prefix and the too new ones a suffix.
type Rejected struct {
	// TooOldEnd is the index after the last event older than MaxAge (exclusive), when HasTooOld.
	HasTooOld bool
	TooOldEnd int
	// ExpiredEnd is the index after the last event older than the group's retention
	// (exclusive), when HasExpired.
	HasExpired bool
	ExpiredEnd int
	// TooNewStart is the index of the first event more than MaxAhead in the future
	// (inclusive), when HasTooNew.
	HasTooNew   bool
	TooNewStart int
}

// Any reports whether an event was rejected.
func (r Rejected) Any() bool { return r.HasTooOld || r.HasExpired || r.HasTooNew }

// Admission is what PutLogEvents does with a batch: the events it keeps, in order, and which
// it rejected.
type Admission struct {
	Accepted []Event
	Rejected Rejected
}

// Admit applies CloudWatch's rules to a batch written at now into a group that keeps events
// retentionDays (0: forever). An error (of kind errdefs.ErrInvalidArgument) fails the whole
// batch: too many events, too many bytes, an empty message, a negative timestamp, events out of
// chronological order, or accepted events that span more than MaxSpan. Events too old, expired
// or too new are rejected one by one and the others kept, as CloudWatch does.
func Admit(events []Event, now time.Time, retentionDays int) (Admission, error) {
	if err := CheckBatch(events); err != nil {
		return Admission{}, err
	}
	oldest, newest := now.Add(-MaxAge).UnixMilli(), now.Add(MaxAhead).UnixMilli()
	cutoff := int64(-1)
	if c := Cutoff(retentionDays, now); !c.IsZero() {
		cutoff = c.UnixMilli()
	}
	var r Rejected
	for i, e := range events {
		if e.Timestamp < oldest {
			r.HasTooOld, r.TooOldEnd = true, i+1
		}
		if e.Timestamp < cutoff {
			r.HasExpired, r.ExpiredEnd = true, i+1
		}
		if e.Timestamp > newest && !r.HasTooNew {
			r.HasTooNew, r.TooNewStart = true, i
		}
	}
	start, end := max(r.TooOldEnd, r.ExpiredEnd), len(events)
	if r.HasTooNew {
		end = r.TooNewStart
	}
	if start >= end {
		return Admission{Accepted: []Event{}, Rejected: r}, nil
	}
	accepted := events[start:end]
	if span := accepted[len(accepted)-1].Timestamp - accepted[0].Timestamp; span > MaxSpan.Milliseconds() {
		return Admission{}, errdefs.InvalidArgument("The batch of log events in a single PutLogEvents request cannot span more than 24 hours.")
	}
	return Admission{Accepted: accepted, Rejected: r}, nil
}

// CheckBatch checks what fails a whole batch, whatever the time and the group: the number of
// events, their size, empty messages, negative timestamps and chronological order.
func CheckBatch(events []Event) error {
	switch {
	case len(events) == 0:
		return errdefs.InvalidArgument("1 validation error detected: Value '[]' at 'logEvents' failed to satisfy constraint: Member must have length greater than or equal to 1")
	case len(events) > MaxBatchEvents:
		return errdefs.InvalidArgument("1 validation error detected: Value at 'logEvents' failed to satisfy constraint: Member must have length less than or equal to %d", MaxBatchEvents)
	}
	size := 0
	for i, e := range events {
		if e.Message == "" {
			return errdefs.InvalidArgument("1 validation error detected: Value '' at 'logEvents.%d.member.message' failed to satisfy constraint: Member must have length greater than or equal to 1", i+1)
		}
		if e.Timestamp < 0 {
			return errdefs.InvalidArgument("1 validation error detected: Value '%d' at 'logEvents.%d.member.timestamp' failed to satisfy constraint: Member must have value greater than or equal to 0", e.Timestamp, i+1)
		}
		size += e.Size()
	}
	if size > MaxBatchBytes {
		return errdefs.InvalidArgument("Upload too large: %d bytes exceeds limit of %d", size, MaxBatchBytes)
	}
	for i := 1; i < len(events); i++ {
		if events[i].Timestamp < events[i-1].Timestamp {
			return errdefs.InvalidArgument("Log events in a single PutLogEvents request must be in chronological order.")
		}
	}
	return nil
}
