// Package elbapi serves the Elastic Load Balancing v2 API (application load balancers) over the
// store: the awsQuery protocol, XML responses in the 2015-12-01 namespace, and ELBv2's error
// codes (LoadBalancerNotFound, PriorityInUse, ... without the "Exception" of the model's shape
// names). It resolves ARNs and names, calls the pure domain in internal/elb, and writes through
// the store, in one transaction whenever a call touches several objects.
//
// The API decides what clients configure; it never touches the data plane. The lbsync
// controller watches the same collections, compiles them into the proxy's configuration and
// writes target health back onto the registrations that DescribeTargetHealth reads.
package elbapi
