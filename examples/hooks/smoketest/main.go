// Command smoketest is a deployment hook that fargo invokes over HTTP as it would invoke a
// Lambda function: it sends a few GET requests to the URL it is configured with (the test
// listener, which serves the replacement task set during AfterAllowTestTraffic), checks the
// answers, and reports the verdict. A CodeDeploy hook reports through
// PutLifecycleEventHookExecutionStatus, with the AWS SDK against the endpoint of the standard
// AWS environment (AWS_ENDPOINT_URL, credentials, region); an ECS lifecycle hook answers with
// its hookStatus.
//
// Settings, from the environment:
//
//	PORT            the port it listens on (127.0.0.1; default 8090)
//	SMOKE_URL       the URL to check, for example the test listener's http://127.0.0.1:9001/
//	SMOKE_EXPECT    text each answer must contain (default: any 2xx answer passes)
//	SMOKE_REQUESTS  how many requests in a row must pass (default 10)
//	SMOKE_WINDOW    how long to keep trying before the check fails (default 15s)
//
// A listener change reaches the load balancer a moment after the API took it, on AWS as on
// fargo, so the check tries again for SMOKE_WINDOW before it gives up. fargo waits 30 s for
// an invocation's answer: keep SMOKE_WINDOW well below that.
//
// Register it with `fargo hooks put smoke http://127.0.0.1:8090/` and name it in the AppSpec:
//
//	Hooks:
//	  - AfterAllowTestTraffic: smoke
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/codedeploy"
	"github.com/aws/aws-sdk-go-v2/service/codedeploy/types"
)

func main() {
	if err := run(); err != nil {
		log.Fatal(err)
	}
}

func run() error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	check, err := checkFromEnv(os.Getenv)
	if err != nil {
		return err
	}
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return fmt.Errorf("load the AWS configuration: %w", err)
	}
	h := &hook{check: check, reporter: codedeploy.NewFromConfig(cfg)}
	port := os.Getenv("PORT")
	if port == "" {
		port = "8090"
	}
	ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", port))
	if err != nil {
		return err
	}
	log.Printf("smoke test hook on http://%s/ checks %s", ln.Addr(), check.url)
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdown)
	}()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// smokeCheck is what the hook checks: requests GETs of url in a row, each 2xx and
// containing expect, within window.
type smokeCheck struct {
	url      string
	expect   string
	requests int
	window   time.Duration
	client   *http.Client
}

func checkFromEnv(getenv func(string) string) (smokeCheck, error) {
	c := smokeCheck{url: getenv("SMOKE_URL"), expect: getenv("SMOKE_EXPECT"), requests: 10, window: 15 * time.Second,
		client: &http.Client{Timeout: 5 * time.Second}}
	if c.url == "" {
		return c, errors.New("SMOKE_URL is not set: name the URL to check, such as the test listener's")
	}
	if n := getenv("SMOKE_REQUESTS"); n != "" {
		v, err := strconv.Atoi(n)
		if err != nil || v < 1 {
			return c, fmt.Errorf("SMOKE_REQUESTS %q: want a positive number", n)
		}
		c.requests = v
	}
	if w := getenv("SMOKE_WINDOW"); w != "" {
		v, err := time.ParseDuration(w)
		if err != nil || v < 0 {
			return c, fmt.Errorf("SMOKE_WINDOW %q: want a duration such as 15s", w)
		}
		c.window = v
	}
	return c, nil
}

// run tries the check until it passes or the window is over, and returns why its last try
// failed, nil when one passed.
func (c smokeCheck) run(ctx context.Context) error {
	deadline := time.Now().Add(c.window)
	for {
		err := c.try(ctx)
		if err == nil || !time.Now().Before(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(500 * time.Millisecond):
		}
	}
}

// try sends the requests in a row and returns why one failed, nil when all passed.
func (c smokeCheck) try(ctx context.Context) error {
	for i := range c.requests {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.url, nil)
		if err != nil {
			return err
		}
		resp, err := c.client.Do(req)
		if err != nil {
			return fmt.Errorf("request %d: %w", i+1, err)
		}
		body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
		_ = resp.Body.Close()
		switch {
		case err != nil:
			return fmt.Errorf("request %d: %w", i+1, err)
		case resp.StatusCode < 200 || resp.StatusCode > 299:
			return fmt.Errorf("request %d: HTTP %d", i+1, resp.StatusCode)
		case !strings.Contains(string(body), c.expect):
			return fmt.Errorf("request %d: the answer lacks %q", i+1, c.expect)
		}
	}
	return nil
}

// reporter is the one CodeDeploy call the hook makes.
type reporter interface {
	PutLifecycleEventHookExecutionStatus(context.Context, *codedeploy.PutLifecycleEventHookExecutionStatusInput, ...func(*codedeploy.Options)) (*codedeploy.PutLifecycleEventHookExecutionStatusOutput, error)
}

// hook serves the invocations.
type hook struct {
	check    smokeCheck
	reporter reporter
}

// invocation is what fargo (or Lambda) hands the hook: CodeDeploy's two ids, or ECS's
// executionDetails, which this hook does not need.
type invocation struct {
	DeploymentID                  string `json:"DeploymentId"`
	LifecycleEventHookExecutionID string `json:"LifecycleEventHookExecutionId"`
}

func (h *hook) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var in invocation
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&in); err != nil {
		http.Error(w, "the invocation is not JSON", http.StatusBadRequest)
		return
	}
	failure := h.check.run(r.Context())
	log.Printf("smoke test of %s: %s", h.check.url, verdict(failure))
	if in.LifecycleEventHookExecutionID == "" {
		h.answerECS(w, failure)
		return
	}
	status := types.LifecycleEventStatusSucceeded
	if failure != nil {
		status = types.LifecycleEventStatusFailed
	}
	_, err := h.reporter.PutLifecycleEventHookExecutionStatus(r.Context(), &codedeploy.PutLifecycleEventHookExecutionStatusInput{
		DeploymentId: aws.String(in.DeploymentID), LifecycleEventHookExecutionId: aws.String(in.LifecycleEventHookExecutionID), Status: status})
	if err != nil {
		// An error answer makes the caller invoke the hook again.
		log.Printf("report the verdict of deployment %s: %v", in.DeploymentID, err)
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = io.WriteString(w, "{}")
}

// answerECS answers an ECS lifecycle hook's invocation with its hookStatus.
func (h *hook) answerECS(w http.ResponseWriter, failure error) {
	answer := map[string]any{"hookStatus": "SUCCEEDED"}
	if failure != nil {
		answer = map[string]any{"hookStatus": "FAILED", "hookDetails": map[string]string{"reason": failure.Error()}}
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(answer)
}

func verdict(failure error) string {
	if failure == nil {
		return "passed"
	}
	return "failed: " + failure.Error()
}
