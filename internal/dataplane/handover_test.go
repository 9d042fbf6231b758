package dataplane

import (
	"context"
	"errors"
	"net"
	"net/http"
	"path/filepath"
	"testing"

	"github.com/fargohq/fargo/internal/lb"
)

// TestHandoverPassesSockets: a successor receives the listening sockets themselves (a
// connection made to the old address is accepted by the successor), then the old side's
// final counts; a successor that goes away before "go" leaves the old side serving.
func TestHandoverPassesSockets(t *testing.T) {
	t.Parallel()
	old := newSockets()
	ln, err := old.listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	ho, err := net.Listen("unix", filepath.Join(t.TempDir(), "handover.sock"))
	if err != nil {
		t.Fatal(err)
	}
	final := lb.Memory{Targets: []lb.TargetStats{{GroupID: "g", TargetID: "t", Requests: 5}}}
	var prepared, resumed int
	srv := &handoverServer{socks: old, prepare: func() error { prepared++; return nil }, resume: func() { resumed++ },
		drain: func() lb.Memory { return final }}
	served := make(chan error, 1)
	go func() { served <- srv.serve(context.Background(), ho) }()
	rec := Record{PID: 1, Handover: ho.Addr().String()}

	// A successor that gives up after receiving the sockets.
	quitter, err := takeOver(t.Context(), rec, newSockets())
	if err != nil {
		t.Fatal(err)
	}
	_ = quitter.conn.Close()

	fresh := newSockets()
	h, err := takeOver(t.Context(), rec, fresh)
	if err != nil {
		t.Fatal(err)
	}
	inherited, err := fresh.listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer inherited.Close()
	if inherited.Addr().String() != ln.Addr().String() {
		t.Fatalf("successor listens on %s, the old socket is %s", inherited.Addr(), ln.Addr())
	}
	_ = ln.Close() // the old side stops accepting; the socket lives on in the successor
	go func() { _ = http.Serve(inherited, http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})) }()
	res, err := http.Get("http://" + inherited.Addr().String() + "/")
	if err != nil {
		t.Fatalf("through the handed-over socket: %v", err)
	}
	res.Body.Close()

	got, err := h.finish()
	if err != nil || len(got.Targets) != 1 || got.Targets[0].Requests != 5 {
		t.Fatalf("final counts %+v, %v", got, err)
	}
	if err := <-served; !errors.Is(err, errTakenOver) {
		t.Fatalf("old side: %v, want taken over", err)
	}
	if prepared != 2 || resumed != 1 {
		t.Errorf("prepared %d times and resumed %d, want 2 and 1 (one successor gave up)", prepared, resumed)
	}
}
