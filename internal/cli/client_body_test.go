package cli

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	ecssdk "github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/smithy-go/logging"

	"github.com/fargohq/fargo/internal/api/logsapi/logsapitest"
)

// TestSDKCallKeepsItsConnection is fargo deploy's DescribeTasks of a page of 100 tasks (a
// request larger than the transport's write buffer, a response larger than one read) against
// the real ECS API, with the interleaving that a loaded machine produces by chance: the server
// answers before net/http has checked that the request body has nothing left, and the SDK,
// which closes the request body as soon as the response headers arrived, reads the response
// body after that. The call must succeed on its connection, and the SDK must not warn that it
// "failed to discard remaining HTTP response body".
func TestSDKCallKeepsItsConnection(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	ctx := logsapitest.Context(t)
	if _, err := srv.clients.ecs.CreateCluster(ctx, &ecssdk.CreateClusterInput{ClusterName: aws.String("demo")}); err != nil {
		t.Fatal(err)
	}
	var conns racingDialer
	base := awshttp.NewBuildableClient().WithTransportOptions(func(tr *http.Transport) { tr.DialContext = conns.dial })
	cfg := srv.AWS.Copy()
	var log sdkLog
	cfg.HTTPClient, cfg.Logger = ownBodies(base), &log
	cfg.Retryer = nil // the SDK's standard retries, as the commands' clients have
	client := ecssdk.NewFromConfig(cfg)

	tasks := make([]string, 100)
	for i := range tasks {
		tasks[i] = fmt.Sprintf("arn:aws:ecs:us-east-1:000000000000:task/demo/%032x", i)
	}
	out, err := client.DescribeTasks(ctx, &ecssdk.DescribeTasksInput{Cluster: aws.String("demo"), Tasks: tasks})
	if lines := log.Lines(); len(lines) > 0 {
		t.Errorf("the SDK logged:\n%s", strings.Join(lines, "\n"))
	}
	if err := conns.check(); err != nil {
		t.Error(err)
	}
	if err != nil {
		t.Fatalf("DescribeTasks: %v", err)
	}
	if len(out.Failures) != len(tasks) {
		t.Fatalf("DescribeTasks: %d failures, want one per task", len(out.Failures))
	}
}

// sdkLog collects what the SDK logs.
type sdkLog struct {
	mu    sync.Mutex
	lines []string
}

var _ logging.Logger = (*sdkLog)(nil)

func (l *sdkLog) Logf(c logging.Classification, format string, v ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, string(c)+" "+fmt.Sprintf(format, v...))
}

func (l *sdkLog) Lines() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.lines...)
}

// racingDialer stages the race on the first connection it dials; a retry's connections are
// plain.
type racingDialer struct {
	mu    sync.Mutex
	first *racingConn
	dials int
}

func (d *racingDialer) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	c, err := (&net.Dialer{}).DialContext(ctx, network, addr)
	if err != nil {
		return nil, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.dials++
	if d.first != nil {
		return c, nil
	}
	d.first = &racingConn{Conn: c, release: make(chan struct{}), closed: make(chan struct{})}
	return d.first, nil
}

// check reports what went wrong on the connections: a staged race that did not happen (so the
// test proved nothing), or a connection that the client closed under a response.
func (d *racingDialer) check() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.dials != 1 {
		return fmt.Errorf("the call used %d connections, want 1", d.dials)
	}
	c := d.first
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case !c.staged:
		return fmt.Errorf("the race was not staged: a request of %d bytes, a response of %d read", c.written, c.delivered)
	case c.closedEarly:
		return fmt.Errorf("the client closed the connection while the response was read")
	}
	return nil
}

// readAhead is how much of the response a racingConn delivers before it lets the request's
// writer go on: the response headers and the start of the body.
const readAhead = 1024

// racingConn stages the race between net/http's request writer and the SDK on one request: the
// writer stalls right after the last byte of the request went out (before net/http reads the
// body once more to check that nothing is left), until the reader has delivered readAhead
// bytes of the response and is asked for more, which happens only once the SDK got the response
// headers (and closed the request body) and reads the body. The reader then waits until the
// writer has closed the connection, or did not within a grace period, and goes on reading.
type racingConn struct {
	net.Conn
	release chan struct{} // closed when the writer may go on
	closed  chan struct{} // closed by Close

	mu          sync.Mutex
	head        []byte // the request up to the end of its header
	reqLen      int64  // header and body length of the request; 0 until its header was read
	written     int64
	delivered   int64
	staged      bool // the writer stalled and the reader released it
	closedEarly bool // Close came while the reader waited for the rest of the response
	released    sync.Once
	closeOnce   sync.Once
}

// Write writes p, and stalls once the whole request is out.
func (c *racingConn) Write(p []byte) (int, error) {
	n, err := c.Conn.Write(p)
	c.mu.Lock()
	c.written += int64(n)
	if c.reqLen == 0 {
		c.head = append(c.head, p[:n]...)
		c.reqLen = requestLength(c.head)
	}
	complete := c.reqLen > 0 && c.written >= c.reqLen
	c.mu.Unlock()
	if complete {
		select {
		case <-c.release:
		case <-time.After(5 * time.Second): // the response was too short to stage the race
		}
	}
	return n, err
}

// Read delivers the first readAhead bytes of the response; asked for more, it releases the
// writer first and waits for what the writer does.
func (c *racingConn) Read(p []byte) (int, error) {
	c.mu.Lock()
	left := readAhead - c.delivered
	c.mu.Unlock()
	if left > 0 {
		n, err := c.Conn.Read(p[:min(int64(len(p)), left)])
		c.mu.Lock()
		c.delivered += int64(n)
		c.mu.Unlock()
		return n, err
	}
	c.released.Do(func() {
		close(c.release)
		select {
		case <-c.closed:
			c.mu.Lock()
			c.closedEarly = true
			c.mu.Unlock()
		case <-time.After(200 * time.Millisecond):
		}
		c.mu.Lock()
		c.staged = true
		c.mu.Unlock()
	})
	n, err := c.Conn.Read(p)
	c.mu.Lock()
	c.delivered += int64(n)
	c.mu.Unlock()
	return n, err
}

func (c *racingConn) Close() error {
	c.closeOnce.Do(func() { close(c.closed) })
	return c.Conn.Close()
}

// requestLength returns the length of the HTTP/1.1 request that head begins, header and body,
// or 0 while head does not hold the whole header yet.
func requestLength(head []byte) int64 {
	end := bytes.Index(head, []byte("\r\n\r\n"))
	if end < 0 {
		return 0
	}
	var body int64
	for _, line := range strings.Split(string(head[:end]), "\r\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.EqualFold(k, "Content-Length") {
			body, _ = strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		}
	}
	return int64(end) + 4 + body
}
