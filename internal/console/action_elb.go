package console

import (
	"errors"
	"net/http"

	"github.com/fargohq/fargo/internal/elb"
	"github.com/fargohq/fargo/internal/errdefs"
)

func (c *Console) createTargetGroup(r *http.Request, sess *session) (string, error) {
	f := form{r: r}
	spec := elb.TargetGroupSpec{
		Name: f.text("name", "Name", true), Protocol: "HTTP", Port: f.number("port", "Port", 1, 65535, 80, true),
		TargetType: f.text("targetType", "Target type", false),
		HealthCheck: elb.HealthCheckSpec{
			Protocol: "HTTP", Path: f.text("healthCheckPath", "Health check path", false),
			IntervalSeconds:    f.number("healthCheckInterval", "Health check interval", 5, 300, 0, false),
			HealthyThreshold:   f.number("healthyThreshold", "Healthy threshold", 2, 10, 0, false),
			UnhealthyThreshold: f.number("unhealthyThreshold", "Unhealthy threshold", 2, 10, 0, false),
			Matcher:            f.text("matcher", "Success codes", false),
		},
	}
	if f.err != nil {
		return "", in("elb", f.err)
	}
	if err := c.allow(r, sess, "elasticloadbalancing:CreateTargetGroup", "*"); err != nil {
		return "", err
	}
	if _, err := c.deps.Actions.ELB.CreateTargetGroup(r.Context(), spec); err != nil {
		return "", in("elb", err)
	}
	return "/target-groups", nil
}

// createLoadBalancer creates an internet-facing Application Load Balancer and its HTTP
// listener, which forwards to the chosen target group. The target group is checked first, so
// a wrong one creates nothing.
func (c *Console) createLoadBalancer(r *http.Request, sess *session) (string, error) {
	f := form{r: r}
	name := f.text("name", "Name", true)
	port := f.number("port", "Listener port", 1, 65535, 80, true)
	tgName := f.text("targetGroup", "Target group", true)
	if f.err != nil {
		return "", in("elb", f.err)
	}
	tg, err := c.deps.Store.TargetGroups.Get(r.Context(), tgName)
	if errors.Is(err, errdefs.ErrNotFound) {
		return "", in("elb", errdefs.Detail(elb.ErrTargetGroupNotFound, "Target group '%s' not found", tgName))
	} else if err != nil {
		return "", err
	}
	for _, action := range []string{"elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:CreateListener"} {
		if err := c.allow(r, sess, action, "*"); err != nil {
			return "", err
		}
	}
	if err := elb.ValidateLoadBalancerName(name); err != nil {
		return "", in("elb", err)
	}
	lb, err := c.deps.Actions.ELB.CreateLoadBalancer(r.Context(), elb.LoadBalancerSpec{Name: name, Type: "application", Scheme: "internet-facing"})
	if err != nil {
		return "", in("elb", err)
	}
	_, err = c.deps.Actions.ELB.CreateListener(r.Context(), lb.ARN, elb.ListenerSpec{
		Port: port, Protocol: "HTTP",
		DefaultActions: []elb.ActionSpec{{Type: "forward", TargetGroupARN: tg.Value.ARN}},
	})
	if err != nil {
		// A listener that cannot be created (its port is taken) leaves no load balancer behind.
		if derr := c.deps.Actions.ELB.DeleteLoadBalancer(r.Context(), lb.ARN); derr != nil {
			c.deps.Logger.Error("console could not remove the load balancer of a failed create", "arn", lb.ARN, "err", derr)
		}
		return "", in("elb", err)
	}
	return "/load-balancers", nil
}
