package logs_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/logs"
)

var now = time.Date(2025, 3, 4, 5, 6, 7, 0, time.UTC)

func at(d time.Duration) int64 { return now.Add(d).UnixMilli() }

func events(times ...int64) []logs.Event {
	out := make([]logs.Event, len(times))
	for i, t := range times {
		out[i] = logs.Event{Timestamp: t, Message: "m"}
	}
	return out
}

func TestAdmit(t *testing.T) {
	t.Parallel()
	day := 24 * time.Hour
	tests := []struct {
		name      string
		events    []logs.Event
		retention int
		accepted  int // index of the first accepted event
		n         int // number accepted
		rejected  logs.Rejected
		err       string
	}{
		{"all fresh", events(at(-time.Minute), at(0), at(time.Hour)), 0, 0, 3, logs.Rejected{}, ""},
		{"same time", events(at(0), at(0)), 0, 0, 2, logs.Rejected{}, ""},
		{"too old prefix", events(at(-15*day), at(-14*day-time.Millisecond), at(-14*day), at(-14*day+time.Hour)), 0, 2, 2, logs.Rejected{HasTooOld: true, TooOldEnd: 2}, ""},
		{"too new suffix", events(at(0), at(2*time.Hour), at(2*time.Hour+time.Millisecond), at(3*time.Hour)), 0, 0, 2, logs.Rejected{HasTooNew: true, TooNewStart: 2}, ""},
		{"expired by retention", events(at(-2*day), at(-day-time.Second), at(-time.Hour)), 1, 2, 1, logs.Rejected{HasExpired: true, ExpiredEnd: 2}, ""},
		{"too old and expired", events(at(-20*day), at(-3*day), at(0)), 1, 2, 1, logs.Rejected{HasTooOld: true, TooOldEnd: 1, HasExpired: true, ExpiredEnd: 2}, ""},
		{"everything rejected", events(at(-20*day), at(3*time.Hour)), 0, 0, 0, logs.Rejected{HasTooOld: true, TooOldEnd: 1, HasTooNew: true, TooNewStart: 1}, ""},
		{"span of 24 hours", events(at(-24*time.Hour), at(0)), 0, 0, 2, logs.Rejected{}, ""},
		{"span over 24 hours", events(at(-24*time.Hour-time.Millisecond), at(0)), 0, 0, 0, logs.Rejected{}, "cannot span more than 24 hours"},
		{"span counts accepted events only", events(at(-20*day), at(-time.Hour), at(0)), 0, 1, 2, logs.Rejected{HasTooOld: true, TooOldEnd: 1}, ""},
		{"out of order", events(at(0), at(-time.Second)), 0, 0, 0, logs.Rejected{}, "must be in chronological order"},
		{"empty batch", nil, 0, 0, 0, logs.Rejected{}, "at 'logEvents' failed to satisfy constraint: Member must have length greater than or equal to 1"},
		{"too many events", events(make([]int64, logs.MaxBatchEvents+1)...), 0, 0, 0, logs.Rejected{}, "less than or equal to 10000"},
		{"empty message", []logs.Event{{Timestamp: at(0), Message: "x"}, {Timestamp: at(0)}}, 0, 0, 0, logs.Rejected{}, "at 'logEvents.2.member.message'"},
		{"negative timestamp", []logs.Event{{Timestamp: -1, Message: "x"}}, 0, 0, 0, logs.Rejected{}, "at 'logEvents.1.member.timestamp'"},
		{"exactly the byte limit", []logs.Event{{Timestamp: at(0), Message: strings.Repeat("x", logs.MaxBatchBytes-2*logs.EventOverhead-1)}, {Timestamp: at(0), Message: "y"}}, 0, 0, 2, logs.Rejected{}, ""},
		{"one byte over", []logs.Event{{Timestamp: at(0), Message: strings.Repeat("x", logs.MaxBatchBytes-2*logs.EventOverhead)}, {Timestamp: at(0), Message: "y"}}, 0, 0, 0, logs.Rejected{}, "Upload too large: 1048577 bytes exceeds limit of 1048576"},
		{"bytes are UTF-8", []logs.Event{{Timestamp: at(0), Message: strings.Repeat("é", (logs.MaxBatchBytes-logs.EventOverhead)/2+1)}}, 0, 0, 0, logs.Rejected{}, "Upload too large"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := logs.Admit(tt.events, now, tt.retention)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) || !errors.Is(err, errdefs.ErrInvalidArgument) {
					t.Fatalf("err = %v, want an invalid argument with %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			want := tt.events[tt.accepted : tt.accepted+tt.n]
			if diff := cmp.Diff(want, got.Accepted, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("accepted (-want +got):\n%s", diff)
			}
			if got.Rejected != tt.rejected || got.Rejected.Any() != (tt.rejected != logs.Rejected{}) {
				t.Errorf("rejected = %+v, want %+v", got.Rejected, tt.rejected)
			}
		})
	}
}

func TestNames(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		check func(string) error
		value string
		err   string
	}{
		{"group", logs.CheckGroupName, "/ecs/web_1.a-b#c", ""},
		{"group empty", logs.CheckGroupName, "", "length greater than or equal to 1"},
		{"group too long", logs.CheckGroupName, strings.Repeat("a", 513), "length less than or equal to 512"},
		{"group longest", logs.CheckGroupName, strings.Repeat("a", 512), ""},
		{"group colon", logs.CheckGroupName, "a:b", `regular expression pattern: [\.\-_/#A-Za-z0-9]+`},
		{"group space", logs.CheckGroupName, "a b", "regular expression pattern"},
		{"group reserved", logs.CheckGroupName, "AWS/lambda", "reserved for AWS"},
		{"group aws elsewhere", logs.CheckGroupName, "/aws/lambda", ""},
		{"stream", logs.CheckStreamName, "ecs/web/é 1", ""},
		{"stream colon", logs.CheckStreamName, "a:b", "regular expression pattern: [^:*]*"},
		{"stream star", logs.CheckStreamName, "a*", "regular expression pattern"},
		{"stream empty", logs.CheckStreamName, "", "length greater than or equal to 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.check(tt.value)
			if tt.err == "" && err != nil || tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err) || !errors.Is(err, errdefs.ErrInvalidArgument)) {
				t.Fatalf("check(%q) = %v, want %q", tt.value, err, tt.err)
			}
		})
	}
}

func TestRetention(t *testing.T) {
	t.Parallel()
	for _, d := range []int{1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653} {
		if err := logs.CheckRetention(d); err != nil {
			t.Errorf("CheckRetention(%d) = %v", d, err)
		}
	}
	for _, d := range []int{0, -1, 2, 8, 3652, 10000} {
		err := logs.CheckRetention(d)
		if err == nil || !strings.Contains(err.Error(), "Member must satisfy enum value set: [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653]") {
			t.Errorf("CheckRetention(%d) = %v", d, err)
		}
	}
	g := logs.Group{RetentionDays: 7}
	if got := g.Cutoff(now); !got.Equal(now.Add(-7 * 24 * time.Hour)) {
		t.Errorf("Cutoff = %v", got)
	}
	if got := (logs.Group{}).Cutoff(now); !got.IsZero() {
		t.Errorf("Cutoff without retention = %v", got)
	}
}

func TestNewGroup(t *testing.T) {
	t.Parallel()
	tests := []struct {
		class, want, err string
	}{
		{"", logs.ClassStandard, ""},
		{logs.ClassInfrequentAccess, logs.ClassInfrequentAccess, ""},
		{logs.ClassDelivery, "", "does not serve log groups of class DELIVERY"},
		{"COLD", "", "enum value set: [STANDARD, INFREQUENT_ACCESS, DELIVERY]"},
	}
	for _, tt := range tests {
		g, err := logs.NewGroup("/g", tt.class, nil, now)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("class %q: err = %v, want %q", tt.class, err, tt.err)
			}
			continue
		}
		if err != nil || g.Class != tt.want || g.Name != "/g" || !g.CreatedAt.Equal(now) {
			t.Errorf("class %q: %+v %v", tt.class, g, err)
		}
	}
	if _, err := logs.NewGroup("a:b", "", nil, now); err == nil {
		t.Error("bad name accepted")
	}
}
