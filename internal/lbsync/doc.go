// Package lbsync connects the ELB objects in the store to fargo's data plane and ECS tasks to
// target groups.
//
//   - Compile turns load balancers, listeners, rules, target groups and target registrations
//     into one lb.Config, which the controller applies to the proxy whenever any of them
//     changes; the proxy swaps its routing atomically. A listener the proxy cannot bring up
//     (its port is taken, its certificate unreadable) records why on itself (elb.Listener's
//     Failure), where DescribeLoadBalancers reports it, and is tried again every few seconds.
//   - The proxy's health observations are written back to the registrations, where
//     DescribeTargetHealth reads them; draining registrations are deleted once the proxy
//     released the target.
//   - Tasks of services with loadBalancers are registered in their target groups when they run,
//     their target health is summed up on the task (the scheduler counts a task healthy only
//     with healthy targets), and a stopping task's targets are deregistered and drained before
//     the task is marked Drained, which is when the agent sends SIGTERM.
//   - Every second, what the proxy counted for each task's targets is written on the task, and
//     the error answers the listeners wrote themselves (503 with nothing to route to, 502,
//     504) are added, per target group, to the services whose tasks register there: a
//     deployment's traffic figures count both.
//
// Several data-plane nodes may serve the same listeners from one store (Config.Node, a
// Membership). Every node applies the routing, reports its proxy's view of the targets
// (elb.Node; nodes.go) and adds its own listeners' error answers; the writes above that must
// happen once (health on registrations, releases, task registrations, task health, drain and
// traffic, listener failures) are the elected node's, through its term's fenced store, and
// judge over every live node's view (aggregate.go): healthy only where every node finds a
// target healthy, released only where every node released it, traffic summed over the nodes.
package lbsync
