package cli

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/spf13/cobra"
)

// newBenchTargetCmd is a target of the proxy benchmark: a small HTTP server in its own
// process, started by fargo bench proxy.
func newBenchTargetCmd(stderr io.Writer) *cobra.Command {
	var listen, name string
	cmd := &cobra.Command{
		Use:    "target --listen ADDR [--name NAME]",
		Short:  "Serve a benchmark target (internal; fargo bench proxy starts it)",
		Hidden: true,
		Args:   cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ln, err := net.Listen("tcp", listen)
			if err != nil {
				return err
			}
			return serveUntilDone(cmd.Context(), ln, benchTargetHandler(name), stderr)
		},
	}
	cmd.Flags().StringVar(&listen, "listen", "127.0.0.1:0", "address to serve on")
	cmd.Flags().StringVar(&name, "name", "target", "name in the responses and their X-App-Version header")
	return cmd
}

// benchTargetHandler answers like a small web app: a short text to every GET, and the request
// body back to every POST; X-App-Version says which target answered.
func benchTargetHandler(name string) http.Handler {
	body := []byte("hello from " + name + "\n")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-App-Version", name)
		if r.Method == http.MethodPost {
			if ct := r.Header.Get("Content-Type"); ct != "" {
				h.Set("Content-Type", ct)
			}
			_, _ = io.Copy(w, r.Body)
			return
		}
		h.Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write(body)
	})
}

// serveUntilDone serves h on ln until ctx ends, then shuts down gracefully within 5 s.
func serveUntilDone(ctx context.Context, ln net.Listener, h http.Handler, stderr io.Writer) error {
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(slog.NewTextHandler(stderr, nil), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }() // owned here: its error is received below
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	err := srv.Shutdown(shutdownCtx)
	if serveErr := <-errc; !errors.Is(serveErr, http.ErrServerClosed) {
		err = errors.Join(err, serveErr)
	}
	return err
}
