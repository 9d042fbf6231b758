package logsapi

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/logs"
	"github.com/fargohq/fargo/internal/store"
)

// The writes keep one rule: a group or stream exists when container output implies it or a
// client created it, and a group with a stream record always has a record itself. Writes
// change only records and written events; container output stays as the runtime driver keeps
// it, for as long as its task is kept.

func (a *API) createLogGroup(ctx context.Context, in *createLogGroupInput) (*struct{}, error) {
	name, err := required("logGroupName", in.LogGroupName)
	if err != nil {
		return nil, err
	}
	if in.KmsKeyID != nil {
		return nil, errdefs.InvalidArgument("fargo does not encrypt log groups with KMS keys: leave kmsKeyId out.")
	}
	if in.DeletionProtectionEnabled != nil && *in.DeletionProtectionEnabled {
		return nil, errdefs.InvalidArgument("fargo does not protect log groups from deletion: leave deletionProtectionEnabled out.")
	}
	g, err := logs.NewGroup(name, awsproto.Deref(in.LogGroupClass), in.Tags, a.now())
	if err != nil {
		return nil, err
	}
	if _, err := a.group(ctx, name); err == nil {
		return nil, logs.ErrGroupExists // container output implies it already
	} else if !errors.Is(err, logs.ErrGroupNotFound) {
		return nil, err
	}
	var txn store.Txn
	if err := a.store.LogGroups.Put(&txn, name, g, 0); err != nil {
		return nil, err
	}
	if _, err := a.store.Commit(ctx, &txn); errors.Is(err, errdefs.ErrConflict) {
		return nil, logs.ErrGroupExists
	} else if err != nil {
		return nil, fmt.Errorf("create log group %s: %w", name, err)
	}
	return &struct{}{}, nil
}

// deleteLogGroup removes the group's record, its streams' records and the events written to
// them. What container output implies stays while its tasks are kept.
func (a *API) deleteLogGroup(ctx context.Context, in *logGroupNameInput) (*struct{}, error) {
	name, err := groupArg(in.LogGroupName)
	if err != nil {
		return nil, err
	}
	var gone []logStream
	err = retry(func() error {
		g, err := a.group(ctx, name)
		if err != nil {
			return err
		}
		gone = g.storedStreams()
		if g.stored == nil && len(gone) == 0 {
			return nil // only container output: nothing of it is stored
		}
		var txn store.Txn
		if g.stored != nil {
			a.store.LogGroups.Remove(&txn, name, g.rev)
		}
		for _, s := range gone {
			a.store.LogStreams.Remove(&txn, store.LogStreamID(name, s.name), s.rev)
		}
		_, err = a.store.Commit(ctx, &txn)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &struct{}{}, a.deleteEvents(gone)
}

func (a *API) deleteEvents(streams []logStream) error {
	var errs []error
	for _, s := range streams {
		if err := a.events.Delete(s.stored.ID); err != nil {
			errs = append(errs, fmt.Errorf("delete the events of log stream %s: %w", s.name, err))
		}
	}
	return errors.Join(errs...)
}

func (a *API) createLogStream(ctx context.Context, in *logStreamNameInput) (*struct{}, error) {
	group, name, err := streamArgs(in.LogGroupName, in.LogStreamName)
	if err != nil {
		return nil, err
	}
	err = retry(func() error {
		g, err := a.group(ctx, group)
		if err != nil {
			return err
		}
		if _, err := g.stream(name); err == nil {
			return logs.ErrStreamExists
		}
		_, err = a.createStoredStream(ctx, g, name)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}

// createStoredStream writes the record of a new stream of g, and g's record when it has none.
// It fails with a conflict when g or the stream changed since g was read.
func (a *API) createStoredStream(ctx context.Context, g *logGroup, name string) (logs.Stream, error) {
	id, err := newStreamID()
	if err != nil {
		return logs.Stream{}, err
	}
	s := logs.Stream{Group: g.name, Name: name, CreatedAt: a.now(), ID: id}
	group, rev := logs.Group{Name: g.name, CreatedAt: g.created, Class: logs.ClassStandard}, int64(0)
	if g.stored != nil {
		// Written again at the revision read, so that a DeleteLogGroup that listed the group's
		// streams before this one conflicts instead of leaving it behind.
		group, rev = *g.stored, g.rev
	}
	var txn store.Txn
	if err := a.store.LogGroups.Put(&txn, g.name, group, rev); err != nil {
		return logs.Stream{}, err
	}
	if err := a.store.LogStreams.Put(&txn, store.LogStreamID(g.name, name), s, 0); err != nil {
		return logs.Stream{}, err
	}
	if _, err := a.store.Commit(ctx, &txn); err != nil {
		return logs.Stream{}, err
	}
	return s, nil
}

// newStreamID returns a new id for a stream's events.
func newStreamID() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("random stream id: %w", err)
	}
	return hex.EncodeToString(b[:]), nil
}

// deleteLogStream removes the stream's record and the events written to it. A container's
// output stays while its task is kept.
func (a *API) deleteLogStream(ctx context.Context, in *logStreamNameInput) (*struct{}, error) {
	group, name, err := streamArgs(in.LogGroupName, in.LogStreamName)
	if err != nil {
		return nil, err
	}
	var gone []logStream
	err = retry(func() error {
		g, err := a.group(ctx, group)
		if err != nil {
			return err
		}
		s, err := g.stream(name)
		if err != nil || s.stored == nil {
			return err
		}
		var txn store.Txn
		a.store.LogStreams.Remove(&txn, store.LogStreamID(group, name), s.rev)
		if _, err := a.store.Commit(ctx, &txn); err != nil {
			return err
		}
		gone = []logStream{s}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &struct{}{}, a.deleteEvents(gone)
}

// putRetentionPolicy sets the group's retention, writing a record for a group that container
// output implies, and removes the written events it expires at once.
func (a *API) putRetentionPolicy(ctx context.Context, in *putRetentionPolicyInput) (*struct{}, error) {
	name, err := groupArg(in.LogGroupName)
	if err != nil {
		return nil, err
	}
	if in.RetentionInDays == nil {
		return nil, errNull("retentionInDays")
	}
	days := int(*in.RetentionInDays)
	if err := logs.CheckRetention(days); err != nil {
		return nil, err
	}
	if err := a.setRetention(ctx, name, days); err != nil {
		return nil, err
	}
	return &struct{}{}, a.expire(ctx, name, days)
}

func (a *API) deleteRetentionPolicy(ctx context.Context, in *logGroupNameInput) (*struct{}, error) {
	name, err := groupArg(in.LogGroupName)
	if err != nil {
		return nil, err
	}
	if err := a.setRetention(ctx, name, 0); err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}

// setRetention writes the retention of group name, which must exist.
func (a *API) setRetention(ctx context.Context, name string, days int) error {
	return retry(func() error {
		g, err := a.group(ctx, name)
		if err != nil {
			return err
		}
		next, rev := logs.Group{Name: name, CreatedAt: g.created, Class: logs.ClassStandard}, int64(0)
		if g.stored != nil {
			next, rev = *g.stored, g.rev
		} else if days == 0 {
			return nil // no record, no retention: nothing to delete
		}
		next.RetentionDays = days
		var txn store.Txn
		if err := a.store.LogGroups.Put(&txn, name, next, rev); err != nil {
			return err
		}
		_, err = a.store.Commit(ctx, &txn)
		return err
	})
}

// expire removes the written events of group name that a retention of days expires now; the
// logstore Sweeper does it again as time goes on.
func (a *API) expire(ctx context.Context, name string, days int) error {
	streams, _, err := a.store.LogStreams.List(ctx, store.LogGroupPrefix(name))
	if err != nil {
		return fmt.Errorf("list the streams of log group %s: %w", name, err)
	}
	before := logs.Cutoff(days, a.now()).UnixMilli()
	var errs []error
	for _, s := range streams {
		errs = append(errs, a.events.Expire(s.Value.ID, before))
	}
	return errors.Join(errs...)
}

// retry runs fn until it does not fail with a conflict (store.Retry); a conflict that outlives
// the retries is answered in CloudWatch's words.
func retry(fn func() error) error {
	_, err := store.Retry(func() (struct{}, error) { return struct{}{}, fn() })
	if errors.Is(err, errdefs.ErrConflict) {
		return errdefs.Conflict("Multiple concurrent requests to update the same resource were in conflict.")
	}
	return err
}

// required returns the value of a required string member.
func required(member string, v *string) (string, error) {
	if v == nil {
		return "", errNull(member)
	}
	return *v, nil
}

func errNull(member string) error {
	return errdefs.InvalidArgument("1 validation error detected: Value null at '%s' failed to satisfy constraint: Member must not be null", member)
}

// groupArg returns the checked logGroupName of a write.
func groupArg(v *string) (string, error) {
	name, err := required("logGroupName", v)
	if err != nil {
		return "", err
	}
	return name, logs.CheckGroupName(name)
}

// streamArgs returns the checked logGroupName and logStreamName of a write.
func streamArgs(group, stream *string) (string, string, error) {
	g, err := groupArg(group)
	if err != nil {
		return "", "", err
	}
	s, err := required("logStreamName", stream)
	if err != nil {
		return "", "", err
	}
	return g, s, logs.CheckStreamName(s)
}
