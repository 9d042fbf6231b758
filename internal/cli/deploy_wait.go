package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// waitDeployment polls the service until deployment id completed (it is the only deployment,
// COMPLETED, with every task running), failed, or left deployments[] (rolled back by the
// circuit breaker), showing progress as it goes.
func waitDeployment(ctx context.Context, client ecsAPI, o deployOptions, id string, out *progress) error {
	ctx, cancel := context.WithTimeout(ctx, o.timeout)
	defer cancel()
	seen := map[string]bool{}
	first := true
	for {
		svc, err := describeService(ctx, client, o.cluster, o.service)
		if err != nil {
			return err
		}
		for i := len(svc.Events) - 1; i >= 0; i-- { // oldest first
			e := svc.Events[i]
			if !seen[aws.ToString(e.Id)] {
				seen[aws.ToString(e.Id)] = true
				if !first {
					out.line("event: %s", aws.ToString(e.Message))
				}
			}
		}
		first = false
		d, found := findDeployment(svc, id)
		out.status(deploymentStatus(svc))
		switch {
		case !found:
			return fmt.Errorf("deployment %s is gone from the service: it was rolled back (deployment circuit breaker)", id)
		case d.RolloutState == types.DeploymentRolloutStateFailed:
			return failedDeployment(svc, id, d)
		case d.RolloutState == types.DeploymentRolloutStateCompleted && len(svc.Deployments) == 1 && svc.RunningCount == svc.DesiredCount:
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("deployment %s did not complete within %s", id, o.timeout)
		case <-time.After(o.interval):
		}
	}
}

func findDeployment(s types.Service, id string) (types.Deployment, bool) {
	for _, d := range s.Deployments {
		if aws.ToString(d.Id) == id {
			return d, true
		}
	}
	return types.Deployment{}, false
}

// deploymentStatus is one line per deployment: status, rollout state, tasks running/desired.
func deploymentStatus(s types.Service) []string {
	lines := make([]string, 0, len(s.Deployments))
	for _, d := range s.Deployments {
		td := aws.ToString(d.TaskDefinition)
		td = td[strings.LastIndex(td, "/")+1:]
		lines = append(lines, fmt.Sprintf("%-8s %-22s %-12s %d/%d running, %d pending, %d failed",
			aws.ToString(d.Status), td, d.RolloutState, d.RunningCount, d.DesiredCount, d.PendingCount, d.FailedTasks))
	}
	return lines
}

// progress shows a deployment as it happens: on a terminal, a status block redrawn in place
// below the log lines; elsewhere (CI logs), plain lines, the status only when it changed.
type progress struct {
	mu       sync.Mutex
	w        io.Writer
	live     bool
	drawn    int // status lines currently on screen (live mode)
	lastText string
}

func newProgress(w io.Writer) *progress {
	p := &progress{w: w}
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 && os.Getenv("TERM") != "dumb" {
			p.live = true
		}
	}
	return p
}

// line prints a log line (above the status block on a terminal).
func (p *progress) line(format string, args ...any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.clear()
	fmt.Fprintf(p.w, time.Now().Format("15:04:05")+" "+format+"\n", args...)
	p.redraw()
}

// status replaces the status block.
func (p *progress) status(lines []string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	text := strings.Join(lines, "\n")
	if text == p.lastText {
		return
	}
	p.clear()
	p.lastText = text
	if !p.live {
		for _, l := range lines {
			fmt.Fprintf(p.w, "%s   %s\n", time.Now().Format("15:04:05"), l)
		}
		return
	}
	p.redraw()
}

func (p *progress) clear() {
	if p.live && p.drawn > 0 {
		fmt.Fprintf(p.w, "\x1b[%dA\x1b[J", p.drawn)
		p.drawn = 0
	}
}

func (p *progress) redraw() {
	if !p.live || p.lastText == "" {
		return
	}
	fmt.Fprintln(p.w, p.lastText)
	p.drawn = strings.Count(p.lastText, "\n") + 1
}

// failedDeployment explains a FAILED deployment, naming the rollback when one took over.
func failedDeployment(svc types.Service, id string, d types.Deployment) error {
	reason := aws.ToString(d.RolloutStateReason)
	if p := primaryID(&svc); p != "" && p != id {
		next, _ := findDeployment(svc, p)
		return fmt.Errorf("deployment %s failed: %s It was rolled back to %s (deployment %s)", id, reason, aws.ToString(next.TaskDefinition), p)
	}
	return fmt.Errorf("deployment %s failed: %s", id, reason)
}
