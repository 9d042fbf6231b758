package cli

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/fargohq/fargo/internal/dataplane"
	"github.com/fargohq/fargo/internal/errdefs"
)

// psDataPlane is what `fargo ps` shows of the load balancer data plane of the local data
// directory: its status, or why it does not answer.
type psDataPlane struct {
	Running bool `json:"running"`
	dataplane.Status
	// Problem says why it does not answer (it ended, or its pid is not a data plane).
	Problem string `json:"problem,omitempty"`
}

// readDataPlane asks the data plane of dataDir for its status; nil when none ever ran there
// (a server with an embedded data plane, or one on another machine).
func readDataPlane(ctx context.Context, dataDir string) *psDataPlane {
	rec, st, err := dataplane.Query(ctx, dataDir)
	switch {
	case errors.Is(err, errdefs.ErrNotFound):
		return nil
	case err != nil:
		return &psDataPlane{Status: dataplane.Status{PID: rec.PID, Build: rec.Build, StartedAt: rec.StartedAt}, Problem: errdefs.Message(err)}
	}
	return &psDataPlane{Running: true, Status: st}
}

// dataPlaneRows is the data plane section of the table.
func dataPlaneRows(dp *psDataPlane, now time.Time) [][]string {
	if dp == nil {
		return nil
	}
	if !dp.Running {
		return [][]string{{strconv.Itoa(dp.PID), "not running", dp.Build, "-", "-", "-", "-", dp.Problem}}
	}
	store := "connected"
	if !dp.StoreConnected {
		store = "away"
		if !dp.LastStoreContact.IsZero() {
			store += " for " + age(now, dp.LastStoreContact)
		}
	}
	state := "serving"
	if dp.Draining {
		state = "draining"
	}
	return [][]string{{strconv.Itoa(dp.PID), state, dp.Build, age(now, dp.StartedAt), strconv.FormatInt(dp.ConfigRevision, 10), store,
		strconv.Itoa(dp.HealthyTargets) + "/" + strconv.Itoa(dp.Targets), ""}}
}
