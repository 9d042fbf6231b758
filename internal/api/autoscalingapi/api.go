package autoscalingapi

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"time"

	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/arn"
	"github.com/fargohq/fargo/internal/store"
)

// TargetPrefix is the X-Amz-Target prefix of Application Auto Scaling requests.
const TargetPrefix = "AnyScaleFrontendService"

// API serves Application Auto Scaling operations over a store.
type API struct {
	store  *store.Store
	scope  arn.Scope
	now    func() time.Time
	random io.Reader
}

// Option configures an API.
type Option func(*API)

// WithRandom makes the API draw the ids of ARNs from r instead of crypto/rand, so that tests
// can predict them. r must be safe for concurrent use.
func WithRandom(r io.Reader) Option { return func(a *API) { a.random = r } }

// New returns the Application Auto Scaling API over st, naming resources in scope. now is the
// clock; time.Now when nil.
func New(st *store.Store, scope arn.Scope, now func() time.Time, opts ...Option) *API {
	if now == nil {
		now = time.Now
	}
	a := &API{store: st, scope: scope, now: now, random: rand.Reader}
	for _, o := range opts {
		o(a)
	}
	return a
}

// Service describes the Application Auto Scaling endpoint for the front door.
func (a *API) Service() awsproto.Service {
	return awsproto.Service{
		Name:         "application-autoscaling",
		SigningName:  "application-autoscaling",
		Protocol:     awsproto.ProtocolJSON,
		TargetPrefix: TargetPrefix,
		Operations: map[string]awsproto.Handler{
			"RegisterScalableTarget":    awsproto.JSON(a.registerScalableTarget),
			"DescribeScalableTargets":   awsproto.JSON(a.describeScalableTargets),
			"DeregisterScalableTarget":  awsproto.JSON(a.deregisterScalableTarget),
			"PutScalingPolicy":          awsproto.JSON(a.putScalingPolicy),
			"DescribeScalingPolicies":   awsproto.JSON(a.describeScalingPolicies),
			"DeleteScalingPolicy":       awsproto.JSON(a.deleteScalingPolicy),
			"DescribeScalingActivities": awsproto.JSON(a.describeScalingActivities),
		},
		ErrorFor:    errorFor,
		ClientError: codeValidation,
		Targets:     targets,
	}
}

// randomHex returns n random bytes in hex.
func (a *API) randomHex(n int) (string, error) {
	b := make([]byte, n)
	if _, err := io.ReadFull(a.random, b); err != nil {
		return "", fmt.Errorf("random id: %w", err)
	}
	return hex.EncodeToString(b), nil
}

// newUUID returns a random version 4 UUID, the form of the ids in policy ARNs.
func (a *API) newUUID() (string, error) {
	var b [16]byte
	if _, err := io.ReadFull(a.random, b[:]); err != nil {
		return "", fmt.Errorf("random id: %w", err)
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:]), nil
}
