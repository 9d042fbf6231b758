package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	ecssdk "github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
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

// listenerErrors are the answers the load balancer wrote itself, not a task, for the service's
// target groups, by status: the service's fargoListenerErrors, a member of fargo's own.
type listenerErrors struct {
	NoTarget       int64 `json:"503"`
	BadGateway     int64 `json:"502"`
	GatewayTimeout int64 `json:"504"`
}

func (e listenerErrors) sub(o listenerErrors) listenerErrors {
	return listenerErrors{NoTarget: e.NoTarget - o.NoTarget, BadGateway: e.BadGateway - o.BadGateway, GatewayTimeout: e.GatewayTimeout - o.GatewayTimeout}
}

func (e listenerErrors) total() int64 { return e.NoTarget + e.BadGateway + e.GatewayTimeout }

// trafficSnapshot is what the load balancer counted for a service at one moment: for each of
// its tasks the server still knows, running or stopped, by task ARN, and its own error answers.
type trafficSnapshot struct {
	tasks    map[string]lbCounts
	listener listenerErrors
}

// serviceTraffic takes a snapshot of the load balancer's counts for the service.
func serviceTraffic(ctx context.Context, client ecsAPI, cluster, service string) (trafficSnapshot, error) {
	snap := trafficSnapshot{tasks: map[string]lbCounts{}}
	for _, status := range []types.DesiredStatus{types.DesiredStatusRunning, types.DesiredStatusStopped} {
		pages := ecssdk.NewListTasksPaginator(client, &ecssdk.ListTasksInput{Cluster: aws.String(cluster), ServiceName: aws.String(service), DesiredStatus: status})
		for pages.HasMorePages() {
			page, err := pages.NextPage(ctx)
			if err != nil {
				return snap, err
			}
			if len(page.TaskArns) == 0 {
				continue
			}
			desc, err := client.DescribeTasks(ctx, &ecssdk.DescribeTasksInput{Cluster: aws.String(cluster), Tasks: page.TaskArns})
			if err != nil {
				return snap, err
			}
			for _, t := range desc.Tasks {
				snap.tasks[aws.ToString(t.TaskArn)] = taskCounts(t)
			}
		}
	}
	var err error
	snap.listener, err = serviceListenerErrors(ctx, client, cluster, service)
	return snap, err
}

// serviceListenerErrors reads the service's fargoListenerErrors. The SDK skips members it does
// not know, so the member is read from the response body; a server without it (AWS) counts 0.
func serviceListenerErrors(ctx context.Context, client ecsAPI, cluster, service string) (listenerErrors, error) {
	var body []byte
	if _, err := client.DescribeServices(ctx, &ecssdk.DescribeServicesInput{Cluster: aws.String(cluster), Services: []string{service}},
		keepResponseBody(&body)); err != nil {
		return listenerErrors{}, err
	}
	var out struct {
		Services []struct {
			ListenerErrors listenerErrors `json:"fargoListenerErrors"`
		} `json:"services"`
	}
	if err := json.Unmarshal(body, &out); err != nil || len(out.Services) == 0 {
		return listenerErrors{}, nil
	}
	return out.Services[0].ListenerErrors, nil
}

// keepResponseBody is an ECS client option that copies the raw response body of the call
// into dst before the SDK decodes it.
func keepResponseBody(dst *[]byte) func(*ecssdk.Options) {
	keep := middleware.DeserializeMiddlewareFunc("fargoKeepResponseBody", func(ctx context.Context, in middleware.DeserializeInput, next middleware.DeserializeHandler) (middleware.DeserializeOutput, middleware.Metadata, error) {
		out, md, err := next.HandleDeserialize(ctx, in)
		if res, ok := out.RawResponse.(*smithyhttp.Response); ok && err == nil {
			b, rerr := io.ReadAll(res.Body)
			res.Body.Close()
			if rerr != nil {
				return out, md, rerr
			}
			*dst = b
			res.Body = io.NopCloser(bytes.NewReader(b))
		}
		return out, md, err
	})
	return func(o *ecssdk.Options) {
		o.APIOptions = append(o.APIOptions, func(s *middleware.Stack) error {
			return s.Deserialize.Add(keep, middleware.After)
		})
	}
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
// tasks between two snapshots and how many of them failed, and how many requests for the
// service the load balancer answered itself with an error: clients saw those fail too
// (DESIGN.md, invariant 9).
func trafficSummary(before, after trafficSnapshot) string {
	byRev := map[string]*lbCounts{}
	for arn, c := range after.tasks {
		prev := before.tasks[arn]
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
	sort.Strings(revs)
	var parts []string
	for _, r := range revs {
		parts = append(parts, fmt.Sprintf("%s %d requests, %d failed", r, byRev[r].requests, byRev[r].errors))
	}
	if own := after.listener.sub(before.listener); own.total() > 0 {
		parts = append(parts, "listener's own error answers "+listenerErrorsText(own))
	}
	if len(parts) == 0 {
		return ""
	}
	return "load balancer during the deployment: " + strings.Join(parts, "; ")
}

// listenerErrorsText reads "159 (157×503 nothing to route to, 2×502)".
func listenerErrorsText(e listenerErrors) string {
	var codes []string
	for _, c := range []struct {
		n    int64
		what string
	}{{e.NoTarget, "503 nothing to route to"}, {e.BadGateway, "502"}, {e.GatewayTimeout, "504"}} {
		if c.n > 0 {
			codes = append(codes, fmt.Sprintf("%d×%s", c.n, c.what))
		}
	}
	return fmt.Sprintf("%d (%s)", e.total(), strings.Join(codes, ", "))
}
