package awsquery_test

import "time"

// The shapes below mirror ELBv2 request shapes closely enough to exercise every rule of the
// protocol: nested lists of structures, lists inside list members, maps, and every scalar type.

type target struct {
	ID               *string `query:"Id"`
	Port             *int32
	AvailabilityZone *string
}

type targetGroupTuple struct {
	TargetGroupArn *string
	Weight         *int32
}

type stickiness struct {
	Enabled         *bool
	DurationSeconds *int32
}

type forwardConfig struct {
	TargetGroups                []targetGroupTuple
	TargetGroupStickinessConfig *stickiness
}

type action struct {
	Type           *string
	Order          *int32
	TargetGroupArn *string
	ForwardConfig  *forwardConfig
}

type httpHeaderConfig struct {
	HTTPHeaderName *string `query:"HttpHeaderName"`
	Values         []string
}

type condition struct {
	Field            *string
	Values           []string
	HTTPHeaderConfig *httpHeaderConfig `query:"HttpHeaderConfig"`
}

type tag struct {
	Key   *string
	Value *string
}

type createRuleInput struct {
	ListenerArn *string
	Priority    *int32
	Conditions  []condition
	Actions     []*action
	Tags        []tag
}

type registerTargetsInput struct {
	TargetGroupArn *string
	Targets        []target
}

type attribute struct {
	Key   *string
	Value *string
}

type modifyTargetGroupAttributesInput struct {
	TargetGroupArn *string
	Attributes     []attribute
}

// scalars has one member of every supported scalar type and container.
type scalars struct {
	Name     *string
	Count    *int64
	Small    *int8
	Unsigned *uint16
	Ratio    *float64
	Enabled  *bool
	At       *time.Time
	Plain    int
	Extra    map[string]string
	Pointers []*string
	Ignored  *string `query:"-"`
	private  *string //lint:ignore U1000 an unexported field Decode must skip
}
