package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"syscall"
	"time"
)

// server runs hello from start to shutdown.
type server struct {
	cfg    Config
	app    *app
	logger *slog.Logger
	// signals delivers SIGTERM and SIGINT (signal.Notify in main).
	signals <-chan os.Signal
}

// Run waits STARTUP_DELAY, listens, and serves until a signal arrives; then it stops as the
// settings say. It returns nil after a clean shutdown. With EXIT_IMMEDIATELY_ON_SIGTERM it
// never returns on a signal: it ends the process.
func (s *server) Run(ctx context.Context) error {
	if d := s.cfg.StartupDelay; d > 0 {
		s.logger.Info("delaying startup", "delay", d)
		select {
		case <-time.After(d):
		case sig := <-s.signals:
			s.received(sig)
			s.logger.Info("shutdown complete", "listened", false)
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	ln, err := net.Listen("tcp", s.cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	srv := &http.Server{
		Handler:           s.app.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(s.logger.Handler(), slog.LevelWarn),
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	s.logger.Info("listening on", "addr", ln.Addr().String(), "version", s.cfg.Version, "pid", os.Getpid())

	select {
	case err := <-served:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
		_ = srv.Close()
		if err := <-served; !errors.Is(err, http.ErrServerClosed) {
			return fmt.Errorf("serve: %w", err)
		}
		return ctx.Err()
	case sig := <-s.signals:
		s.received(sig)
	}
	shutErr := s.shutdown(srv)
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	if shutErr != nil {
		return fmt.Errorf("shutdown: %w", shutErr)
	}
	s.logger.Info("shutdown complete")
	return nil
}

// received logs the signal and, for the rude app, ends the process.
func (s *server) received(sig os.Signal) {
	s.logger.Info("received signal", "signal", signalName(sig))
	if s.cfg.ExitImmediately {
		s.logger.Info("exiting immediately")
		// On purpose: this mode stands for an app that drops in-flight requests on SIGTERM,
		// so nothing is drained or closed first.
		os.Exit(0)
	}
}

// shutdown drains: /health fails, the server keeps serving for SHUTDOWN_DELAY, then it stops
// accepting connections and waits for the requests in flight. The orchestrator's stop
// timeout (SIGKILL) bounds the wait; a second signal cuts it short. It returns the error of
// closing the listener, if any.
func (s *server) shutdown(srv *http.Server) error {
	s.app.Drain()
	if d := s.cfg.ShutdownDelay; d > 0 {
		s.logger.Info("draining", "delay", d)
		select {
		case <-time.After(d):
		case sig := <-s.signals:
			s.logger.Info("received signal again, closing now", "signal", signalName(sig))
			_ = srv.Close()
			return nil
		}
	}
	s.logger.Info("closing listener, waiting for requests in flight")
	done := make(chan error, 1)
	go func() { done <- srv.Shutdown(context.Background()) }()
	select {
	case err := <-done:
		return err
	case sig := <-s.signals:
		s.logger.Info("received signal again, closing now", "signal", signalName(sig))
		_ = srv.Close()
		return <-done
	}
}

// signalName is "SIGTERM" for syscall.SIGTERM: the name the lifecycle log lines use.
func signalName(sig os.Signal) string {
	switch sig {
	case syscall.SIGTERM:
		return "SIGTERM"
	case os.Interrupt:
		return "SIGINT"
	}
	return sig.String()
}
