package cli

import (
	"cmp"
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	elbsdk "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
)

// psLoadBalancer is what `fargo ps` shows of one load balancer; -o json prints it as the SDK
// holds it.
type psLoadBalancer struct {
	LoadBalancer elbtypes.LoadBalancer `json:"loadBalancer"`
	Listeners    []elbtypes.Listener   `json:"listeners"`
}

// readLoadBalancers returns every load balancer with its listeners, by name.
func readLoadBalancers(ctx context.Context, c *elbsdk.Client) ([]psLoadBalancer, error) {
	out := []psLoadBalancer{}
	pages := elbsdk.NewDescribeLoadBalancersPaginator(c, &elbsdk.DescribeLoadBalancersInput{})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("load balancers: %w", err)
		}
		for _, lb := range page.LoadBalancers {
			p := psLoadBalancer{LoadBalancer: lb, Listeners: []elbtypes.Listener{}}
			listeners := elbsdk.NewDescribeListenersPaginator(c, &elbsdk.DescribeListenersInput{LoadBalancerArn: lb.LoadBalancerArn})
			for listeners.HasMorePages() {
				lp, err := listeners.NextPage(ctx)
				if err != nil {
					return nil, fmt.Errorf("listeners of %s: %w", aws.ToString(lb.LoadBalancerName), err)
				}
				p.Listeners = append(p.Listeners, lp.Listeners...)
			}
			out = append(out, p)
		}
	}
	return out, nil
}

// loadBalancerRows renders load balancers: name, state, listeners ("HTTP:8080") and, when the
// state is not active, why ("listener HTTP:8080 cannot serve: ... address already in use").
func loadBalancerRows(lbs []psLoadBalancer) [][]string {
	rows := make([][]string, 0, len(lbs))
	for _, p := range lbs {
		var listeners []string
		for _, l := range p.Listeners {
			listeners = append(listeners, fmt.Sprintf("%s:%d", l.Protocol, aws.ToInt32(l.Port)))
		}
		state, reason := "-", "-"
		if s := p.LoadBalancer.State; s != nil {
			state, reason = cmp.Or(string(s.Code), "-"), cmp.Or(aws.ToString(s.Reason), "-")
		}
		rows = append(rows, []string{aws.ToString(p.LoadBalancer.LoadBalancerName), state, cmp.Or(strings.Join(listeners, ","), "-"), reason})
	}
	return rows
}
