package logsapi

import (
	"context"
	"io"
	"time"

	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/logstore"
	"github.com/fargohq/fargo/internal/store"
)

// TargetPrefix is the X-Amz-Target prefix of CloudWatch Logs requests.
const TargetPrefix = "Logs_20140328"

// Line is one line a container printed.
type Line struct {
	Time time.Time
	// Stream is "stdout" or "stderr".
	Stream string
	// Text is the line; a trailing newline is dropped.
	Text string
}

// LineReader yields a container's lines, oldest first. Next returns io.EOF after the last one.
type LineReader interface {
	Next(ctx context.Context) (Line, error)
	io.Closer
}

// LogSource reads the output of containers. containerID is "<task id>-<container name>", the id
// the runtime driver knows the container by. The reader skips lines older than since (zero: from
// the first line) and, when tail > 0, starts with the last tail lines of those. A container
// that has no output yet (or never started) may give an error of kind errdefs.ErrNotFound;
// the API shows it as an empty stream.
type LogSource interface {
	Logs(ctx context.Context, containerID string, since time.Time, tail int) (LineReader, error)
}

// API serves CloudWatch Logs operations over the store's tasks and log groups, a LogSource of
// container output and the events clients wrote.
type API struct {
	store  *store.Store
	src    LogSource
	events *logstore.Store
	now    func() time.Time
}

// New returns the CloudWatch Logs API over the tasks, log groups and log streams of st, the
// container output of src and the written events of events. now is the clock; time.Now when
// nil.
func New(st *store.Store, src LogSource, events *logstore.Store, now func() time.Time) *API {
	if now == nil {
		now = time.Now
	}
	return &API{store: st, src: src, events: events, now: now}
}

// Service describes the CloudWatch Logs endpoint for the front door.
func (a *API) Service() awsproto.Service {
	return awsproto.Service{
		Name:         "logs",
		SigningName:  "logs",
		Protocol:     awsproto.ProtocolJSON,
		TargetPrefix: TargetPrefix,
		Operations: map[string]awsproto.Handler{
			"DescribeLogGroups":     awsproto.JSON(a.describeLogGroups),
			"DescribeLogStreams":    awsproto.JSON(a.describeLogStreams),
			"GetLogEvents":          awsproto.JSON(a.getLogEvents),
			"FilterLogEvents":       awsproto.JSON(a.filterLogEvents),
			"CreateLogGroup":        awsproto.JSON(a.createLogGroup),
			"DeleteLogGroup":        awsproto.JSON(a.deleteLogGroup),
			"CreateLogStream":       awsproto.JSON(a.createLogStream),
			"DeleteLogStream":       awsproto.JSON(a.deleteLogStream),
			"PutRetentionPolicy":    awsproto.JSON(a.putRetentionPolicy),
			"DeleteRetentionPolicy": awsproto.JSON(a.deleteRetentionPolicy),
			"PutLogEvents":          awsproto.JSON(a.putLogEvents),
		},
		ErrorFor:    errorFor,
		ClientError: codeInvalidParameter,
		Targets:     targets,
	}
}
