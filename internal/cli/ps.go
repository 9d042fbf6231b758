package cli

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ecssdk "github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/spf13/cobra"

	"github.com/fargohq/fargo/internal/daemon"
)

type psOptions struct {
	client  clientOptions
	cluster string
	all     bool
	output  string
}

func newPsCmd(stdout io.Writer) *cobra.Command {
	var o psOptions
	cmd := &cobra.Command{
		Use:   "ps [--cluster NAME] [--all] [-o table|json]",
		Short: "List the services and tasks of every cluster, or of one",
		Long: `List services (status, desired/running/pending counts, deployments) and tasks (short id,
service or group, last and desired status, health, host ports, age). Stopped tasks are left out
unless --all is given. Without --cluster, load balancers follow (state, listeners, and why a
listener cannot serve, such as a port another process holds). -o json prints the data the
tables are made of: {"clusters": [...], "loadBalancers": [...]}.

It reads through the ECS and ELBv2 APIs of the server, as the aws CLI would: the endpoint is
--endpoint-url or $AWS_ENDPOINT_URL with the standard AWS credentials, else the local server of
--data-dir.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := newClients(cmd.Context(), o.client, os.Getenv)
			if err != nil {
				return err
			}
			return runPs(cmd.Context(), o, c, stdout, time.Now)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.cluster, "cluster", "", "only this cluster (name or ARN)")
	f.BoolVarP(&o.all, "all", "a", false, "include stopped tasks")
	f.StringVarP(&o.output, "output", "o", "table", "table or json")
	addClientFlags(cmd, &o.client)
	return cmd
}

// psCluster is what `fargo ps` shows of one cluster; -o json prints it as the SDK holds it.
type psCluster struct {
	Cluster  string             `json:"cluster"`
	Services []ecstypes.Service `json:"services"`
	Tasks    []ecstypes.Task    `json:"tasks"`
}

// psOutput is everything `fargo ps` shows; -o json prints it.
type psOutput struct {
	Clusters      []psCluster      `json:"clusters"`
	LoadBalancers []psLoadBalancer `json:"loadBalancers"`
	// DataPlane is the load balancer data plane process of the local data directory.
	DataPlane *psDataPlane `json:"dataPlane,omitempty"`
	// ControlPlane is the answering server's place among the members that share its store;
	// nil for a server alone on its store.
	ControlPlane *daemon.ClusterStatus `json:"controlPlane,omitempty"`
}

func runPs(ctx context.Context, o psOptions, c clients, stdout io.Writer, now func() time.Time) error {
	if o.output != "table" && o.output != "json" {
		return fmt.Errorf("-o %q: want table or json", o.output)
	}
	names := []string{o.cluster}
	if o.cluster == "" {
		var err error
		if names, err = listClusters(ctx, c.ecs); err != nil {
			return err
		}
	}
	out := psOutput{Clusters: make([]psCluster, 0, len(names)), LoadBalancers: []psLoadBalancer{}}
	for _, name := range names {
		pc, err := readCluster(ctx, c.ecs, name, o.all)
		if err != nil {
			return err
		}
		out.Clusters = append(out.Clusters, pc)
	}
	if o.cluster == "" {
		var err error
		if out.LoadBalancers, err = readLoadBalancers(ctx, c.elb); err != nil {
			return err
		}
		out.DataPlane = readDataPlane(ctx, o.client.dataDir)
		out.ControlPlane = readControlPlane(ctx, c.endpoint, c.sign)
	}
	if o.output == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	return printPs(stdout, out, now())
}

// listClusters returns the names of the ACTIVE clusters, sorted.
func listClusters(ctx context.Context, c *ecssdk.Client) ([]string, error) {
	var names []string
	pages := ecssdk.NewListClustersPaginator(c, &ecssdk.ListClustersInput{})
	for pages.HasMorePages() {
		out, err := pages.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		for _, arn := range out.ClusterArns {
			names = append(names, clusterName(arn))
		}
	}
	slices.Sort(names)
	return names, nil
}

func readCluster(ctx context.Context, c *ecssdk.Client, cluster string, all bool) (psCluster, error) {
	pc := psCluster{Cluster: clusterName(cluster), Services: []ecstypes.Service{}, Tasks: []ecstypes.Task{}}
	var arns []string
	pages := ecssdk.NewListServicesPaginator(c, &ecssdk.ListServicesInput{Cluster: &cluster})
	for pages.HasMorePages() {
		out, err := pages.NextPage(ctx)
		if err != nil {
			return pc, fmt.Errorf("cluster %s: %w", cluster, err)
		}
		arns = append(arns, out.ServiceArns...)
	}
	for batch := range slices.Chunk(arns, 10) {
		out, err := c.DescribeServices(ctx, &ecssdk.DescribeServicesInput{Cluster: &cluster, Services: batch})
		if err != nil {
			return pc, err
		}
		pc.Services = append(pc.Services, out.Services...)
	}
	slices.SortFunc(pc.Services, func(a, b ecstypes.Service) int {
		return strings.Compare(aws.ToString(a.ServiceName), aws.ToString(b.ServiceName))
	})
	// ListTasks lists the tasks meant to run, or those asked to stop: the second holds tasks
	// still stopping, shown without --all too.
	var refs []string
	for _, desired := range []ecstypes.DesiredStatus{ecstypes.DesiredStatusRunning, ecstypes.DesiredStatusStopped} {
		arns, err := listTasks(ctx, c, &ecssdk.ListTasksInput{Cluster: &cluster, DesiredStatus: desired})
		if err != nil {
			return pc, err
		}
		refs = append(refs, arns...)
	}
	tasks, err := describeTasks(ctx, c, cluster, refs)
	if err != nil {
		return pc, err
	}
	for _, t := range tasks {
		if all || aws.ToString(t.LastStatus) != "STOPPED" {
			pc.Tasks = append(pc.Tasks, t)
		}
	}
	slices.SortFunc(pc.Tasks, func(a, b ecstypes.Task) int {
		return cmp.Or(strings.Compare(aws.ToString(a.Group), aws.ToString(b.Group)),
			aws.ToTime(a.CreatedAt).Compare(aws.ToTime(b.CreatedAt)),
			strings.Compare(aws.ToString(a.TaskArn), aws.ToString(b.TaskArn)))
	})
	return pc, nil
}

func printPs(w io.Writer, out psOutput, now time.Time) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	var services, tasks [][]string
	for _, pc := range out.Clusters {
		for _, s := range pc.Services {
			services = append(services, []string{pc.Cluster, aws.ToString(s.ServiceName), aws.ToString(s.Status),
				strconv.Itoa(int(s.DesiredCount)), strconv.Itoa(int(s.RunningCount)), strconv.Itoa(int(s.PendingCount)),
				deployments(s)})
		}
		for _, t := range pc.Tasks {
			_, id, _ := splitTaskARN(aws.ToString(t.TaskArn))
			tasks = append(tasks, []string{pc.Cluster, shortID(id), taskGroup(t), aws.ToString(t.LastStatus),
				aws.ToString(t.DesiredStatus), cmp.Or(string(t.HealthStatus), "-"), ports(t), age(now, aws.ToTime(t.CreatedAt))})
		}
	}
	balancers := loadBalancerRows(out.LoadBalancers)
	planes := dataPlaneRows(out.DataPlane, now)
	members := controlPlaneRows(out.ControlPlane)
	nodes := dataPlaneNodeRows(out.ControlPlane, now)
	if len(services)+len(tasks)+len(balancers)+len(members)+len(nodes) == 0 && len(planes) == 0 {
		_, err := fmt.Fprintln(w, "no services or tasks")
		return err
	}
	sections := []struct {
		header []string
		rows   [][]string
	}{
		{[]string{"CLUSTER", "SERVICE", "STATUS", "DESIRED", "RUNNING", "PENDING", "DEPLOYMENTS"}, services},
		{[]string{"CLUSTER", "TASK", "SERVICE/GROUP", "LAST", "DESIRED", "HEALTH", "PORTS", "AGE"}, tasks},
		{[]string{"LOAD BALANCER", "STATE", "LISTENERS", "REASON"}, balancers},
		{[]string{"DATA PLANE PID", "STATE", "BUILD", "UPTIME", "CONFIG REV", "STORE", "HEALTHY TARGETS", "PROBLEM"}, planes},
		{[]string{"MEMBER", "ROLE", "PEER URLS", "ANSWERED"}, members},
		{[]string{"DATA-PLANE NODE", "STATE", "LB ADDR", "BUILD", "HEALTHY TARGETS"}, nodes},
	}
	first := true
	for _, sec := range sections {
		if len(sec.rows) == 0 {
			continue
		}
		if !first {
			fmt.Fprintln(tw)
		}
		first = false
		writeRows(tw, sec.header, sec.rows)
	}
	return tw.Flush()
}

func writeRows(w io.Writer, header []string, rows [][]string) {
	fmt.Fprintln(w, strings.Join(header, "\t"))
	for _, r := range rows {
		fmt.Fprintln(w, strings.Join(r, "\t"))
	}
}

// deployments renders a service's deployments, "PRIMARY web:3 1/2 IN_PROGRESS, ACTIVE web:2
// 1/1", or its task sets (EXTERNAL and CODE_DEPLOY services), "PRIMARY web:2 2/2 STEADY_STATE".
func deployments(s ecstypes.Service) string {
	var parts []string
	for _, d := range s.Deployments {
		parts = append(parts, deploymentPart(aws.ToString(d.Status), aws.ToString(d.TaskDefinition), d.RunningCount, d.DesiredCount, string(d.RolloutState)))
	}
	for _, ts := range s.TaskSets {
		parts = append(parts, deploymentPart(aws.ToString(ts.Status), aws.ToString(ts.TaskDefinition), ts.RunningCount, ts.ComputedDesiredCount, string(ts.StabilityStatus)))
	}
	if len(parts) == 0 {
		return "-"
	}
	return strings.Join(parts, ", ")
}

func deploymentPart(status, taskDefinition string, running, desired int32, state string) string {
	if i := strings.LastIndex(taskDefinition, "/"); i >= 0 {
		taskDefinition = taskDefinition[i+1:]
	}
	p := fmt.Sprintf("%s %s %d/%d", status, taskDefinition, running, desired)
	if state != "" {
		p += " " + state
	}
	return p
}

// taskGroup is the service of a service's task, else its group ("family:batch").
func taskGroup(t ecstypes.Task) string {
	g := aws.ToString(t.Group)
	if name, ok := strings.CutPrefix(g, "service:"); ok {
		return name
	}
	return cmp.Or(g, "-")
}

// ports renders the host ports of a task's containers: "127.0.0.1:32768->80/tcp".
func ports(t ecstypes.Task) string {
	var out []string
	for _, c := range t.Containers {
		for _, b := range c.NetworkBindings {
			out = append(out, fmt.Sprintf("%s:%d->%d/%s", cmp.Or(aws.ToString(b.BindIP), "0.0.0.0"),
				aws.ToInt32(b.HostPort), aws.ToInt32(b.ContainerPort), cmp.Or(string(b.Protocol), "tcp")))
		}
	}
	if len(out) == 0 {
		return "-"
	}
	return strings.Join(out, ",")
}

// age renders how long ago t was, coarsely: 45s, 12m, 5h, 3d.
func age(now, t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	d := max(now.Sub(t), 0)
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d/time.Second))
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d/time.Minute))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh", int(d/time.Hour))
	default:
		return fmt.Sprintf("%dd", int(d/(24*time.Hour)))
	}
}
