// Package elb is the pure domain of Elastic Load Balancing v2 (Application Load Balancers) as
// fargo serves it: load balancers, listeners, rules, target groups and target registrations as
// plain Go values, the defaults ALB fills in, the ranges it enforces, and the rules that tie the
// objects together (priorities, forward weights, which load balancers use a target group). It
// does no I/O and starts no goroutines.
//
// The API (internal/api/elbapi) builds these values from the wire and stores them; the lbsync
// controller compiles them into the data plane's lb.Config and writes the health it observes
// back onto each Registration. Values carry no wire concerns: no tags, no pointers for optional
// members. Where ALB reports a default, the domain stores the default, so a value read back is
// exactly what DescribeXxx answers.
//
// Errors carry an errdefs kind and the message the client reads; the ELB-specific ones also
// match a sentinel (ErrLoadBalancerNotFound, ErrPriorityInUse, ...) with errors.Is, from which
// the API picks the wire code. errdefs.Detail gives a sentinel the message about the request.
package elb
