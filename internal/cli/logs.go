package cli

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	logssdk "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	logstypes "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	ecssdk "github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/spf13/cobra"
)

// logsPoll is how often `fargo logs --follow` asks for new lines.
const logsPoll = time.Second

type logsOptions struct {
	client clientOptions
	// cluster is empty for "default", or the cluster of a task ARN.
	cluster   string
	task      string
	service   string
	container string
	follow    bool
	since     string
	// tail is how many of the newest lines of each container to print first; -1 for all.
	tail int
	// wait pauses between two reads while following; nil waits logsPoll. Tests step it.
	wait func(ctx context.Context) error
}

func newLogsCmd(stdout io.Writer) *cobra.Command {
	var o logsOptions
	cmd := &cobra.Command{
		Use:   "logs (--task ID|ARN | --service NAME) [--cluster NAME] [--container NAME] [--follow] [--since 10m|RFC3339] [--tail N]",
		Short: "Print what the containers of a task or a service printed",
		Long: `Print the output of a task's containers, or of every running task of a service, each line
prefixed with its container (and, for a service, the task's short id). With --follow it keeps
printing new lines, and for a service picks up tasks as they start, until interrupted; a
followed task ends the command when it stops.

It reads through the ECS and CloudWatch Logs APIs of the server, as the aws CLI would: the
endpoint is --endpoint-url or $AWS_ENDPOINT_URL with the standard AWS credentials, else the
local server of --data-dir.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := newClients(cmd.Context(), o.client, os.Getenv)
			if err != nil {
				return err
			}
			return runLogs(cmd.Context(), o, c, stdout, time.Now)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.cluster, "cluster", "", `cluster name or ARN (default "default", or the cluster of a task ARN)`)
	f.StringVar(&o.task, "task", "", "task id or ARN")
	f.StringVar(&o.service, "service", "", "service name: every running task of it")
	f.StringVar(&o.container, "container", "", "only this container")
	f.BoolVarP(&o.follow, "follow", "f", false, "keep printing new lines")
	f.StringVar(&o.since, "since", "", "only lines since a duration ago (10m, 2h) or a time (RFC 3339)")
	f.IntVar(&o.tail, "tail", -1, "print only the last N lines of each container first (-1: all)")
	addClientFlags(cmd, &o.client)
	return cmd
}

func runLogs(ctx context.Context, o logsOptions, c clients, stdout io.Writer, now func() time.Time) error {
	q, err := o.query(now())
	if err != nil {
		return err
	}
	f := &logFollower{c: c, q: q, out: stdout, defs: map[string]*ecstypes.TaskDefinition{}, tasks: map[string]bool{}}
	done, err := f.refresh(ctx, true)
	if err != nil {
		return err
	}
	if err := f.read(ctx); err != nil || !o.follow {
		return err
	}
	wait := o.wait
	if wait == nil {
		wait = func(ctx context.Context) error { return sleep(ctx, logsPoll) }
	}
	for !done {
		if err := wait(ctx); err != nil {
			return nil // interrupted: the normal end of following
		}
		if done, err = f.refresh(ctx, false); err == nil {
			err = f.read(ctx)
		}
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
	}
	return nil
}

// logQuery is a checked `fargo logs` request.
type logQuery struct {
	cluster, task, service, container string
	since                             *int64 // epoch milliseconds
	tail                              int
}

func (o logsOptions) query(now time.Time) (logQuery, error) {
	q := logQuery{cluster: o.cluster, task: o.task, service: o.service, container: o.container, tail: o.tail}
	if (o.task == "") == (o.service == "") {
		return q, errors.New("give one of --task and --service")
	}
	if cluster, _, ok := splitTaskARN(o.task); ok && q.cluster == "" {
		q.cluster = cluster
	}
	if q.cluster == "" {
		q.cluster = "default"
	}
	if o.since != "" {
		t, err := parseSince(o.since, now)
		if err != nil {
			return q, err
		}
		q.since = aws.Int64(t.UnixMilli())
	}
	return q, nil
}

// parseSince reads a duration before now ("10m") or a time (RFC 3339).
func parseSince(s string, now time.Time) (time.Time, error) {
	if d, err := time.ParseDuration(s); err == nil {
		return now.Add(-d), nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("--since %q: want a duration such as 10m or an RFC 3339 time", s)
	}
	return t, nil
}

// splitTaskARN returns the cluster and id of a task ARN (arn:...:task/<cluster>/<id>).
func splitTaskARN(s string) (cluster, id string, ok bool) {
	_, res, found := strings.Cut(s, ":task/")
	if !strings.HasPrefix(s, "arn:") || !found {
		return "", "", false
	}
	cluster, id, ok = strings.Cut(res, "/")
	return cluster, id, ok
}

// logSource is one container's stream and where its next read starts.
type logSource struct {
	taskID        string
	group, stream string
	label         string
	// tail applies to the first read: the newest tail lines, or -1 for all from the head.
	tail  int
	token *string
	// last marks the final read of a container whose task stopped.
	last bool
}

// logFollower knows the containers being printed and reads them.
type logFollower struct {
	c       clients
	q       logQuery
	out     io.Writer
	defs    map[string]*ecstypes.TaskDefinition
	tasks   map[string]bool // task ARNs whose containers were added
	sources []*logSource
	width   int
	// ended is set when the followed task stopped or is gone.
	ended bool
}

// refresh finds the tasks to print, adds the containers of new ones and marks those of stopped
// ones for a last read. It reports whether there is nothing left to follow: a followed task
// stopped.
func (f *logFollower) refresh(ctx context.Context, first bool) (bool, error) {
	tasks, err := f.findTasks(ctx, first)
	if err != nil {
		return false, err
	}
	seen := map[string]bool{}
	for _, t := range tasks {
		arn := aws.ToString(t.TaskArn)
		seen[arn] = true
		stopped := aws.ToString(t.LastStatus) == "STOPPED"
		if !f.tasks[arn] && (!stopped || f.q.task != "") {
			if err := f.add(ctx, t, first); err != nil {
				return false, err
			}
		}
		if stopped {
			f.finish(arn)
		}
	}
	for arn := range f.tasks {
		if !seen[arn] {
			f.finish(arn) // gone from the server
		}
	}
	return f.ended, nil
}

// finish marks the containers of a task that stopped for a last read.
func (f *logFollower) finish(taskARN string) {
	_, id, _ := splitTaskARN(taskARN)
	for _, s := range f.sources {
		if s.taskID == id {
			s.last = true
		}
	}
	delete(f.tasks, taskARN)
	f.ended = f.ended || f.q.task != ""
}

// findTasks returns the followed task, or the service's running tasks and those still known.
func (f *logFollower) findTasks(ctx context.Context, first bool) ([]ecstypes.Task, error) {
	refs := []string{f.q.task}
	if f.q.service != "" {
		if first {
			if err := f.checkService(ctx); err != nil {
				return nil, err
			}
		}
		running, err := listTasks(ctx, f.c.ecs, &ecssdk.ListTasksInput{Cluster: &f.q.cluster, ServiceName: &f.q.service})
		if err != nil {
			return nil, err
		}
		refs = running
		for arn := range f.tasks {
			if !slices.Contains(refs, arn) {
				refs = append(refs, arn)
			}
		}
	}
	tasks, err := describeTasks(ctx, f.c.ecs, f.q.cluster, refs)
	if err != nil {
		return nil, err
	}
	if first && f.q.task != "" && len(tasks) == 0 {
		return nil, fmt.Errorf("task %s not found in cluster %s", f.q.task, f.q.cluster)
	}
	return tasks, nil
}

func (f *logFollower) checkService(ctx context.Context) error {
	out, err := f.c.ecs.DescribeServices(ctx, &ecssdk.DescribeServicesInput{Cluster: &f.q.cluster, Services: []string{f.q.service}})
	if err != nil {
		return err
	}
	if len(out.Services) == 0 {
		return fmt.Errorf("service %s not found in cluster %s", f.q.service, f.q.cluster)
	}
	return nil
}

// add starts following the containers of t. The tasks found first start with --tail lines;
// later ones, which started while following, from their first line.
func (f *logFollower) add(ctx context.Context, t ecstypes.Task, first bool) error {
	arn := aws.ToString(t.TaskArn)
	td, err := f.taskDefinition(ctx, aws.ToString(t.TaskDefinitionArn))
	if err != nil {
		return err
	}
	_, id, _ := splitTaskARN(arn)
	cluster := clusterName(aws.ToString(t.ClusterArn))
	tail := -1
	if first {
		tail = f.q.tail
	}
	added := 0
	for _, c := range td.ContainerDefinitions {
		name := aws.ToString(c.Name)
		if f.q.container != "" && name != f.q.container {
			continue
		}
		group, stream := logLocation(cluster, id, name, c.LogConfiguration)
		label := name
		if f.q.service != "" {
			label += "/" + shortID(id)
		}
		f.sources = append(f.sources, &logSource{taskID: id, group: group, stream: stream, label: label, tail: tail})
		f.width = max(f.width, len(label))
		added++
	}
	if added == 0 && f.q.task != "" {
		return fmt.Errorf("task %s has no container named %s", id, f.q.container)
	}
	f.tasks[arn] = true
	return nil
}

func (f *logFollower) taskDefinition(ctx context.Context, arn string) (*ecstypes.TaskDefinition, error) {
	if td, ok := f.defs[arn]; ok {
		return td, nil
	}
	out, err := f.c.ecs.DescribeTaskDefinition(ctx, &ecssdk.DescribeTaskDefinitionInput{TaskDefinition: &arn})
	if err != nil {
		return nil, fmt.Errorf("task definition %s: %w", arn, err)
	}
	f.defs[arn] = out.TaskDefinition
	return out.TaskDefinition, nil
}

// printedLine is an event of one container.
type printedLine struct {
	label string
	at    int64
	text  string
}

// read prints what every container wrote since the last read, in time order, and forgets the
// containers of stopped tasks.
func (f *logFollower) read(ctx context.Context) error {
	var lines []printedLine
	var kept []*logSource
	for _, s := range f.sources {
		events, err := f.readSource(ctx, s)
		if err != nil {
			return err
		}
		for _, e := range events {
			lines = append(lines, printedLine{label: s.label, at: aws.ToInt64(e.Timestamp), text: aws.ToString(e.Message)})
		}
		if !s.last {
			kept = append(kept, s)
		}
	}
	f.sources = kept
	slices.SortStableFunc(lines, func(a, b printedLine) int { return cmp.Compare(a.at, b.at) })
	for _, l := range lines {
		if _, err := fmt.Fprintf(f.out, "%-*s | %s\n", f.width, l.label, l.text); err != nil {
			return err
		}
	}
	return nil
}

// readSource returns the container's new events: on the first read its newest s.tail ones (or
// all), then those after the forward token, until GetLogEvents returns the same token.
func (f *logFollower) readSource(ctx context.Context, s *logSource) ([]logstypes.OutputLogEvent, error) {
	in := &logssdk.GetLogEventsInput{LogGroupName: &s.group, LogStreamName: &s.stream, StartTime: f.q.since}
	if s.token == nil && s.tail >= 0 {
		in.Limit = aws.Int32(int32(min(max(s.tail, 1), 10000)))
		out, err := f.c.logs.GetLogEvents(ctx, in)
		if err != nil {
			return nil, ignoreMissingStream(err)
		}
		s.token = out.NextForwardToken
		if s.tail == 0 {
			return nil, nil
		}
		return out.Events, nil
	}
	in.StartFromHead = aws.Bool(true)
	var events []logstypes.OutputLogEvent
	for {
		in.NextToken = s.token
		out, err := f.c.logs.GetLogEvents(ctx, in)
		if err != nil {
			return events, ignoreMissingStream(err)
		}
		events = append(events, out.Events...)
		same := s.token != nil && aws.ToString(out.NextForwardToken) == *s.token
		s.token = out.NextForwardToken
		if len(out.Events) == 0 || same {
			return events, nil
		}
	}
}

// ignoreMissingStream treats a stream the server does not know (yet, or any more) as empty.
func ignoreMissingStream(err error) error {
	var nf *logstypes.ResourceNotFoundException
	if errors.As(err, &nf) {
		return nil
	}
	return err
}

// logLocation is where the server keeps a container's output: the log group and stream ECS's
// awslogs driver names, else fargo's group of the cluster. It must agree with
// logsapi.Location, which a test checks; the CLI reads the server through the AWS APIs only.
func logLocation(cluster, taskID, container string, lc *ecstypes.LogConfiguration) (group, stream string) {
	if lc != nil && lc.LogDriver == ecstypes.LogDriverAwslogs && lc.Options["awslogs-group"] != "" {
		if p := lc.Options["awslogs-stream-prefix"]; p != "" {
			return lc.Options["awslogs-group"], p + "/" + container + "/" + taskID
		}
		return lc.Options["awslogs-group"], taskID + "-" + container
	}
	return "/fargo/" + cluster, container + "/" + taskID
}

// clusterName returns the name in a cluster ARN.
func clusterName(arn string) string {
	if _, name, ok := strings.Cut(arn, ":cluster/"); ok {
		return name
	}
	return arn
}

// shortID is the prefix of a task id that `fargo ps` and `fargo logs` show.
func shortID(id string) string { return id[:min(len(id), 8)] }

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// listTasks returns the ARNs of every task in.Cluster matches, across pages.
func listTasks(ctx context.Context, c *ecssdk.Client, in *ecssdk.ListTasksInput) ([]string, error) {
	var arns []string
	pages := ecssdk.NewListTasksPaginator(c, in)
	for pages.HasMorePages() {
		out, err := pages.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		arns = append(arns, out.TaskArns...)
	}
	return arns, nil
}

// describeTasks describes tasks of cluster, 100 per call; unknown ones are left out.
func describeTasks(ctx context.Context, c *ecssdk.Client, cluster string, refs []string) ([]ecstypes.Task, error) {
	var tasks []ecstypes.Task
	for batch := range slices.Chunk(refs, 100) {
		out, err := c.DescribeTasks(ctx, &ecssdk.DescribeTasksInput{Cluster: &cluster, Tasks: batch})
		if err != nil {
			return nil, err
		}
		tasks = append(tasks, out.Tasks...)
	}
	return tasks, nil
}
