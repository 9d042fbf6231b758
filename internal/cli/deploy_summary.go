package cli

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	ecssdk "github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// Task attributes in which the server reports its load balancer's counts for a task.
const (
	attrLBRequests = "fargo:lb:requests"
	attrLBErrors   = "fargo:lb:errors"
)

// lbCounts are the load balancer's counts for one task (or a revision's tasks).
type lbCounts struct {
	revision         string
	requests, errors int64
}

// serviceTraffic returns the load balancer's counts for every task of the service that the
// server still knows, running or stopped, by task ARN.
func serviceTraffic(ctx context.Context, client ecsAPI, cluster, service string) (map[string]lbCounts, error) {
	out := map[string]lbCounts{}
	for _, status := range []types.DesiredStatus{types.DesiredStatusRunning, types.DesiredStatusStopped} {
		pages := ecssdk.NewListTasksPaginator(client, &ecssdk.ListTasksInput{Cluster: aws.String(cluster), ServiceName: aws.String(service), DesiredStatus: status})
		for pages.HasMorePages() {
			page, err := pages.NextPage(ctx)
			if err != nil {
				return nil, err
			}
			if len(page.TaskArns) == 0 {
				continue
			}
			desc, err := client.DescribeTasks(ctx, &ecssdk.DescribeTasksInput{Cluster: aws.String(cluster), Tasks: page.TaskArns})
			if err != nil {
				return nil, err
			}
			for _, t := range desc.Tasks {
				out[aws.ToString(t.TaskArn)] = taskCounts(t)
			}
		}
	}
	return out, nil
}

func taskCounts(t types.Task) lbCounts {
	td := aws.ToString(t.TaskDefinitionArn)
	c := lbCounts{revision: td[strings.LastIndex(td, "/")+1:]}
	for _, a := range t.Attributes {
		v, _ := strconv.ParseInt(aws.ToString(a.Value), 10, 64)
		switch aws.ToString(a.Name) {
		case attrLBRequests:
			c.requests = v
		case attrLBErrors:
			c.errors = v
		}
	}
	return c
}

// trafficSummary says, per revision, how many requests the load balancer sent to the service's
// tasks between two snapshots and how many of them failed.
func trafficSummary(before, after map[string]lbCounts) string {
	byRev := map[string]*lbCounts{}
	for arn, c := range after {
		prev := before[arn]
		sum, ok := byRev[c.revision]
		if !ok {
			sum = &lbCounts{revision: c.revision}
			byRev[c.revision] = sum
		}
		sum.requests += c.requests - prev.requests
		sum.errors += c.errors - prev.errors
	}
	revs := make([]string, 0, len(byRev))
	for r, c := range byRev {
		if c.requests > 0 {
			revs = append(revs, r)
		}
	}
	if len(revs) == 0 {
		return ""
	}
	sort.Strings(revs)
	parts := make([]string, len(revs))
	for i, r := range revs {
		parts[i] = fmt.Sprintf("%s %d requests, %d failed", r, byRev[r].requests, byRev[r].errors)
	}
	return "load balancer during the deployment: " + strings.Join(parts, "; ")
}
