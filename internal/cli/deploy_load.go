package cli

import (
	"context"
	"fmt"

	"github.com/fargohq/fargo/internal/loadtest"
)

// startLoad sends constant load to url (GETs from keep-alive and new-connection clients, no
// retries; GETs only, since any app serves them) until the deployment ends, then reports what it counted and fails if any
// request failed.
func startLoad(url string) verification {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	var res loadtest.Result
	var runErr error
	go func() {
		defer close(done)
		res, runErr = loadtest.Run(ctx, loadtest.Config{URL: url, KeepAliveClients: 4, NewConnectionClients: 2, Rate: 200})
	}()
	return verification{finish: func() (string, error) {
		cancel()
		<-done
		if runErr != nil {
			return "", fmt.Errorf("--verify-url: %w", runErr)
		}
		summary := "load during the deployment: " + res.String()
		if res.Failed() > 0 {
			return summary, fmt.Errorf("%d of %d requests to %s failed during the deployment", res.Failed(), res.Requests(), url)
		}
		return summary, nil
	}}
}
