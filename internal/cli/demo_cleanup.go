package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ecssdk "github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

const (
	// demoCleanupTimeout bounds stopping the tasks and the server.
	demoCleanupTimeout = time.Minute
	// demoLeftoverWait is how long processes of the demo's tasks get to exit by themselves
	// after the server stopped, before the cleanup kills them by pid.
	demoLeftoverWait = 5 * time.Second
)

// cleanup stops everything the demo started, even when ctx ended (Ctrl-C): the services'
// tasks (through the server, so they drain and stop as in any deployment), the server, any
// process left in the data directory (by pid), and removes the directory. It checks that no
// process is left and that the demo's ports are free again.
func (d *demoRun) cleanup(ctx context.Context) error {
	if d.dir == "" {
		return nil
	}
	began := time.Now()
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), demoCleanupTimeout)
	defer cancel()
	ports := slices.Clone(d.stack.ports)
	var errs []error
	if d.srv != nil {
		ports = append(ports, endpointPort(d.srv.Endpoint()))
		d.recordPids()
		errs = append(errs, d.stopTasks(ctx))
		d.stopSrv()
		errs = append(errs, d.srv.Wait())
	}
	killed := stopLeftovers(d.dir, demoLeftoverWait)
	if d.logFile != nil {
		errs = append(errs, d.logFile.Close())
	}
	errs = append(errs, os.RemoveAll(d.dir))
	if left := processesIn(d.dir); len(left) > 0 {
		errs = append(errs, fmt.Errorf("processes %v of the demo are still running", left))
	}
	if busy := busyPorts(ports); len(busy) > 0 {
		errs = append(errs, fmt.Errorf("ports %v of the demo are still in use", busy))
	}
	note := fmt.Sprintf("%d task processes stopped (pids %v), server stopped, %s removed, ports %v free", len(d.pids), sortedPids(d.pids), d.dir, ports)
	if len(killed) > 0 {
		note += fmt.Sprintf("; killed %v, which had not exited", killed)
	}
	err := errors.Join(errs...)
	summary := "services deleted, their tasks and the server stopped, data directory removed, ports free"
	if err == nil {
		d.out.line("cleanup: %s", note)
	} else {
		summary = "incomplete: " + err.Error()
	}
	d.phases = append(d.phases, demoPhase{name: "cleanup", took: time.Since(began), note: summary})
	return err
}

// stopTasks deletes the demo's services and waits until every task of the cluster stopped.
func (d *demoRun) stopTasks(ctx context.Context) error {
	for _, svc := range []string{demoCanaryService, demoRollingService} {
		_, err := d.c.ecs.DeleteService(ctx, &ecssdk.DeleteServiceInput{Cluster: aws.String(demoCluster), Service: aws.String(svc), Force: aws.Bool(true)})
		if err != nil && !isNotFound(err) {
			return fmt.Errorf("delete service %s: %w", svc, err)
		}
	}
	for {
		live, err := d.liveTasks(ctx)
		if err != nil || live == 0 {
			return err
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%d tasks still run after %s", live, demoCleanupTimeout)
		case <-time.After(250 * time.Millisecond):
		}
	}
}

// liveTasks counts the cluster's tasks that have not stopped yet.
func (d *demoRun) liveTasks(ctx context.Context) (int, error) {
	live := 0
	for _, status := range []types.DesiredStatus{types.DesiredStatusRunning, types.DesiredStatusStopped} {
		list, err := d.c.ecs.ListTasks(ctx, &ecssdk.ListTasksInput{Cluster: aws.String(demoCluster), DesiredStatus: status})
		if isNotFound(err) {
			return 0, nil // setup ended before the cluster was made
		}
		if err != nil || len(list.TaskArns) == 0 {
			return live, err
		}
		desc, err := d.c.ecs.DescribeTasks(ctx, &ecssdk.DescribeTasksInput{Cluster: aws.String(demoCluster), Tasks: list.TaskArns})
		if err != nil {
			return live, err
		}
		for _, t := range desc.Tasks {
			if aws.ToString(t.LastStatus) != "STOPPED" {
				live++
			}
		}
	}
	return live, nil
}

// isNotFound reports whether err says the cluster or service does not exist.
func isNotFound(err error) bool {
	var cluster *types.ClusterNotFoundException
	var service *types.ServiceNotFoundException
	return errors.As(err, &cluster) || errors.As(err, &service)
}

// recordPids remembers the processes of the demo's tasks running now (apps and their
// supervisors), for the cleanup report.
func (d *demoRun) recordPids() {
	for _, pid := range processesIn(d.dir) {
		d.pids[pid] = true
	}
}

// stopLeftovers waits up to wait for the processes in dir to exit, then kills those left, by
// pid, and returns them.
func stopLeftovers(dir string, wait time.Duration) []int {
	deadline := time.Now().Add(wait)
	for len(processesIn(dir)) > 0 && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
	}
	left := processesIn(dir)
	for _, pid := range left {
		_ = syscall.Kill(pid, syscall.SIGKILL)
	}
	for len(processesIn(dir)) > 0 && time.Now().Before(deadline.Add(wait)) {
		time.Sleep(100 * time.Millisecond)
	}
	return left
}

func sortedPids(pids map[int]bool) []int {
	var out []int
	for pid := range pids {
		out = append(out, pid)
	}
	slices.Sort(out)
	return out
}

// endpointPort is the port of an http://host:port URL, 0 if it has none.
func endpointPort(endpoint string) int {
	u, err := url.Parse(endpoint)
	if err != nil {
		return 0
	}
	port, _ := strconv.Atoi(u.Port())
	return port
}

// busyPorts returns the loopback ports of ports that cannot be listened on.
func busyPorts(ports []int) []int {
	var busy []int
	for _, p := range ports {
		ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(p)))
		if err != nil {
			busy = append(busy, p)
			continue
		}
		_ = ln.Close()
	}
	return busy
}

// report prints what happened: each phase, its time, the requests of its load and how many
// failed, and the total of failed requests.
func (d *demoRun) report(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "\nwhat happened (%s in all)\n", time.Since(d.start).Round(100*time.Millisecond))
	fmt.Fprintln(tw, "  phase\ttook\trequests\tfailed\t")
	var requests, failed int64
	for _, p := range d.phases {
		counts := "\t"
		if p.load {
			counts = fmt.Sprintf("%d\t%d", p.requests, p.failed)
			requests += p.requests
			failed += p.failed
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", p.name, p.took.Round(100*time.Millisecond), counts, p.note)
	}
	_ = tw.Flush()
	fmt.Fprintf(w, "requests served: %d\nfailed requests: %d\n", requests, failed)
}

// logTail prints the last lines of the server's log, to explain a failed demo before the log
// goes with the data directory.
func (d *demoRun) logTail(w io.Writer, n int) {
	if d.logFile == nil {
		return
	}
	data, err := os.ReadFile(d.logFile.Name())
	if err != nil {
		return
	}
	lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	fmt.Fprintf(w, "the server's log, last %d lines:\n%s\n", n, strings.Join(lines[max(0, len(lines)-n):], "\n"))
}
