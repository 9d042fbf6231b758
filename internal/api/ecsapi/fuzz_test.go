package ecsapi_test

import (
	"context"
	"errors"
	"sort"
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/api/ecsapi"
	"github.com/fargohq/fargo/internal/arn"
	"github.com/fargohq/fargo/internal/store"
	"github.com/fargohq/fargo/internal/store/kv/memkv"
)

// FuzzOperations sends arbitrary bodies to every ECS operation. No input may panic, and every
// failure must be a client error (4xx): a 500 would mean the server itself broke.
func FuzzOperations(f *testing.F) {
	mem, err := memkv.New(memkv.Config{})
	if err != nil {
		f.Fatal(err)
	}
	svc := ecsapi.New(store.New(mem), arn.Scope{Partition: "aws", Region: "us-east-1", AccountID: "000000000000"}, time.Now).Service()
	ops := make([]string, 0, len(svc.Operations))
	for op := range svc.Operations {
		ops = append(ops, op)
	}
	sort.Strings(ops)
	seeds := []string{
		`{}`, `{"clusterName":"a"}`, `{"cluster":"a"}`, `{"clusters":["a","arn:aws:ecs:us-east-1:000000000000:cluster/a"],"include":["TAGS"]}`,
		`{"family":"f","containerDefinitions":[{"name":"c","image":"i","memory":128}]}`,
		`{"family":"f","networkMode":"awsvpc","requiresCompatibilities":["FARGATE"],"cpu":"256","memory":"512","containerDefinitions":[{"name":"c","image":"i","portMappings":[{"containerPort":80}],"healthCheck":{"command":["CMD","true"]}}]}`,
		`{"taskDefinition":"f:1","include":["TAGS"]}`, `{"taskDefinitions":["f:1","f"]}`, `{"familyPrefix":"f","sort":"DESC","maxResults":1}`,
		`{"resourceArn":"arn:aws:ecs:us-east-1:000000000000:task-definition/f:1","tags":[{"key":"k","value":"v"}]}`,
		`{"nextToken":"YQ","maxResults":0}`,
	}
	for i, s := range seeds {
		f.Add(uint8(i), []byte(s))
	}
	f.Fuzz(func(t *testing.T, opIndex uint8, body []byte) {
		op := ops[int(opIndex)%len(ops)]
		ctx := awsproto.WithCaller(context.Background(), awsproto.Caller{ARN: "arn:aws:iam::000000000000:root"})
		_, err := svc.Operations[op](ctx, awsproto.Request{Body: body})
		if err == nil {
			return
		}
		var aerr *awsproto.Error
		if !errors.As(err, &aerr) {
			aerr = svc.ErrorFor(op, err)
		}
		if aerr.Fault() {
			t.Fatalf("%s(%s) = %v: a server fault", op, body, err)
		}
	})
}
