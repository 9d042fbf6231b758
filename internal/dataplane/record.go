package dataplane

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"syscall"
	"time"

	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/fsutil"
)

// Record announces the data plane that serves a data directory, in dataplane.json.
type Record struct {
	PID       int       `json:"pid"`
	Build     string    `json:"build"`
	StartedAt time.Time `json:"startedAt"`
	// Control and Handover are the process's unix sockets.
	Control  string `json:"control"`
	Handover string `json:"handover"`
}

// Status is what a data plane reports on its control socket's /status.
type Status struct {
	PID       int       `json:"pid"`
	Build     string    `json:"build"`
	StartedAt time.Time `json:"startedAt"`
	// BindHost and EtcdEndpoints are its settings.
	BindHost      string   `json:"bindHost"`
	EtcdEndpoints []string `json:"etcdEndpoints"`
	// EtcdCACert, EtcdCert and EtcdKey are its etcd client's TLS files.
	EtcdCACert string `json:"etcdCACert,omitempty"`
	EtcdCert   string `json:"etcdCert,omitempty"`
	EtcdKey    string `json:"etcdKey,omitempty"`
	// UptimeSeconds is how long the process has run.
	UptimeSeconds float64 `json:"uptimeSeconds"`
	// ConfigRevision counts the distinct configurations applied, across restarts.
	ConfigRevision int64 `json:"configRevision"`
	// StoreConnected tells whether the last look at the store (every second) succeeded: the
	// data plane is in touch with the control plane. LastStoreContact is when one last did.
	StoreConnected   bool      `json:"storeConnected"`
	LastStoreContact time.Time `json:"lastStoreContact,omitzero"`
	Listeners        int       `json:"listeners"`
	Targets          int       `json:"targets"`
	HealthyTargets   int       `json:"healthyTargets"`
	// Requests is the sum of the targets' request counters, which deployments use as
	// evidence; they carry over restarts and handovers.
	Requests int64 `json:"requests"`
	// Draining is set once the data plane handed its listeners to a successor.
	Draining bool `json:"draining,omitempty"`
	// NodeName is the data plane's name among the data-plane nodes sharing its store; Leading
	// tells whether it is the one elected to do their work that must be done once.
	NodeName string `json:"nodeName,omitempty"`
	Leading  bool   `json:"leading,omitempty"`
}

func writeRecord(dataDir string, r Record) error {
	data, err := json.Marshal(r)
	if err != nil {
		return err
	}
	if err := fsutil.WriteFileAtomic(recordPath(dataDir), data, 0o600); err != nil {
		return fmt.Errorf("dataplane: write record: %w", err)
	}
	return nil
}

// ReadRecord reads dataplane.json of dataDir; errdefs.ErrNotFound when there is none.
func ReadRecord(dataDir string) (Record, error) {
	data, err := os.ReadFile(recordPath(dataDir))
	if errors.Is(err, fs.ErrNotExist) {
		return Record{}, errdefs.NotFound("dataplane: no data plane has run on %s", dataDir)
	}
	if err != nil {
		return Record{}, err
	}
	var r Record
	if err := json.Unmarshal(data, &r); err != nil {
		return Record{}, fmt.Errorf("dataplane: record %s: %w", recordPath(dataDir), err)
	}
	return r, nil
}

// Query finds the data plane that serves dataDir and asks it for its status. It fails with
// errdefs.ErrNotFound when none has run there, and errdefs.ErrUnavailable when the recorded
// one does not run or answer (a pid reused by another program does not answer on the socket).
func Query(ctx context.Context, dataDir string) (Record, Status, error) {
	r, err := ReadRecord(dataDir)
	if err != nil {
		return r, Status{}, err
	}
	if !alive(r.PID) {
		return r, Status{}, errdefs.Unavailable("dataplane: pid %d of %s has ended", r.PID, dataDir)
	}
	var st Status
	if err := getJSON(ctx, r.Control, "/status", &st); err != nil {
		return r, Status{}, errdefs.Unavailable("dataplane: pid %d does not answer on %s: %v", r.PID, r.Control, err)
	}
	if st.PID != r.PID {
		return r, st, errdefs.Unavailable("dataplane: %s is answered by pid %d, not %d", r.Control, st.PID, r.PID)
	}
	return r, st, nil
}

// alive reports whether a process with pid exists.
func alive(pid int) bool {
	if pid <= 0 {
		return false
	}
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

// controlClient talks HTTP to a control socket.
func controlClient(socket string) *http.Client {
	return &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "unix", socket)
		},
		DisableKeepAlives: true,
	}}
}

func controlGet(ctx context.Context, socket, path string) (*http.Response, error) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://dataplane"+path, nil)
	if err != nil {
		cancel()
		return nil, err
	}
	res, err := controlClient(socket).Do(req)
	if err != nil {
		cancel()
		return nil, err
	}
	res.Body = cancelOnClose{res.Body, cancel}
	if res.StatusCode != http.StatusOK {
		res.Body.Close()
		return nil, fmt.Errorf("GET %s: %s", path, res.Status)
	}
	return res, nil
}

type cancelOnClose struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (c cancelOnClose) Close() error {
	err := c.ReadCloser.Close()
	c.cancel()
	return err
}

func getJSON(ctx context.Context, socket, path string, v any) error {
	res, err := controlGet(ctx, socket, path)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	return json.NewDecoder(io.LimitReader(res.Body, 1<<20)).Decode(v)
}
