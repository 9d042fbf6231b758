package ecsapi

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"reflect"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ecssdk "github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/google/go-cmp/cmp"

	"github.com/fargohq/fargo/internal/arn"
	"github.com/fargohq/fargo/internal/ecs"
)

// updateGolden rewrites the golden files instead of comparing with them: go test -update.
var updateGolden = flag.Bool("update", false, "rewrite the golden files in testdata")

var (
	testScope        = arn.Scope{Partition: "aws", Region: "us-east-1", AccountID: "000000000000"}
	testRegisteredAt = time.Date(2026, 1, 2, 3, 4, 5, 678_000_000, time.UTC)
)

const testRegisteredBy = "arn:aws:iam::000000000000:user/deployer"

const fargateFile = "testdata/taskdef-fargate.json"

// registerFile decodes the task definition file at path as RegisterTaskDefinition receives it,
// normalizes it and registers it as revision 1.
func registerFile(t *testing.T, path string) (registerTaskDefinitionInput, ecs.TaskDefinition) {
	t.Helper()
	var in registerTaskDefinitionInput
	readJSON(t, path, &in)
	td, err := ecs.NormalizeTaskDefinition(taskDefinitionFromRegisterRequest(&in))
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return in, td.Registered(testScope, 1, testRegisteredAt, testRegisteredBy)
}

// minimalRegistered is a registered EC2 task definition with one container that sets nothing
// it need not.
func minimalRegistered() ecs.TaskDefinition {
	td, err := ecs.NormalizeTaskDefinition(ecs.TaskDefinition{
		Family:               "minimal",
		ContainerDefinitions: []ecs.ContainerDefinition{{Name: "app", Image: "busybox", Essential: true, Memory: 128}},
	})
	if err != nil {
		panic(err)
	}
	return td.Registered(testScope, 1, testRegisteredAt, testRegisteredBy)
}

// describeFargateJSON is the DescribeTaskDefinition answer, tags included, for the Fargate file.
func describeFargateJSON(t *testing.T) []byte {
	t.Helper()
	_, td := registerFile(t, fargateFile)
	out := describeTaskDefinitionOutput{TaskDefinition: ptr(taskDefinitionToWire(td)), Tags: tagsToWire(td.Tags)}
	b, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return append(b, '\n')
}

func TestTaskDefinitionFargateGolden(t *testing.T) {
	t.Parallel()
	got := describeFargateJSON(t)
	const golden = "testdata/taskdef-fargate.describe.golden.json"
	if *updateGolden {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("DescribeTaskDefinition output differs from %s (-want +got); run go test -update if intended:\n%s", golden, diff)
	}
}

// TestTaskDefinitionRoundTrip checks that every member of a request survives the trip through
// the domain and back to the wire: the output contains the input, value for value.
func TestTaskDefinitionRoundTrip(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file      string
		normalize bool
	}{
		{fargateFile, true},
		// The full file sets every member of every shape, so it is not a valid definition; it
		// goes through the conversions only.
		{"testdata/taskdef-full.json", false},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			t.Parallel()
			var in registerTaskDefinitionInput
			readJSON(t, tc.file, &in)
			if !tc.normalize {
				checkEveryMemberSet(t, in)
			}
			td := taskDefinitionFromRegisterRequest(&in)
			if tc.normalize {
				var err error
				if td, err = ecs.NormalizeTaskDefinition(td); err != nil {
					t.Fatal(err)
				}
			}
			out, err := json.Marshal(taskDefinitionToWire(td))
			if err != nil {
				t.Fatal(err)
			}
			var input, output map[string]any
			readJSON(t, tc.file, &input)
			if err := json.Unmarshal(out, &output); err != nil {
				t.Fatal(err)
			}
			tags := input["tags"]
			delete(input, "tags") // tags travel beside the task definition
			assertContains(t, "taskDefinition", input, output)
			gotTags, err := json.Marshal(tagsToWire(td.Tags))
			if err != nil {
				t.Fatal(err)
			}
			var outTags any
			if err := json.Unmarshal(gotTags, &outTags); err != nil {
				t.Fatal(err)
			}
			assertContains(t, "tags", tags, outTags)
		})
	}
}

// assertContains reports every member of want that got lacks or has with another value; got may
// have more members than want.
func assertContains(t *testing.T, path string, want, got any) {
	t.Helper()
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			t.Errorf("%s = %v, want an object", path, got)
			return
		}
		for k, v := range w {
			gv, ok := g[k]
			if !ok {
				t.Errorf("%s.%s is missing from the output", path, k)
				continue
			}
			assertContains(t, path+"."+k, v, gv)
		}
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			t.Errorf("%s = %v, want %d items", path, got, len(w))
			return
		}
		for i := range w {
			assertContains(t, fmt.Sprintf("%s[%d]", path, i), w[i], g[i])
		}
	default:
		if !reflect.DeepEqual(want, got) {
			t.Errorf("%s = %v, want %v", path, got, want)
		}
	}
}

// checkEveryMemberSet fails for each member of a wire struct type reachable from v that no
// instance in v sets, so that a round trip of v covers every member.
func checkEveryMemberSet(t *testing.T, v any) {
	t.Helper()
	seen := map[reflect.Type]map[string]bool{}
	var walk func(reflect.Value)
	walk = func(v reflect.Value) {
		switch v.Kind() {
		case reflect.Pointer:
			if !v.IsNil() {
				walk(v.Elem())
			}
		case reflect.Slice:
			for i := range v.Len() {
				walk(v.Index(i))
			}
		case reflect.Struct:
			set := seen[v.Type()]
			if set == nil {
				set = map[string]bool{}
				seen[v.Type()] = set
			}
			for i := range v.NumField() {
				if !v.Field(i).IsZero() {
					set[v.Type().Field(i).Name] = true
				}
				walk(v.Field(i))
			}
		}
	}
	walk(reflect.ValueOf(v))
	for typ, set := range seen {
		for i := range typ.NumField() {
			if name := typ.Field(i).Name; !set[name] {
				t.Errorf("no %s in the test file sets %s", typ.Name(), name)
			}
		}
	}
}

func TestContainerEssentialDefault(t *testing.T) {
	t.Parallel()
	tests := []struct {
		json string
		want bool
	}{
		{`{"name":"app"}`, true},
		{`{"name":"app","essential":null}`, true},
		{`{"name":"app","essential":true}`, true},
		{`{"name":"app","essential":false}`, false},
	}
	for _, tc := range tests {
		var c wireContainerDefinition
		if err := json.Unmarshal([]byte(tc.json), &c); err != nil {
			t.Fatal(err)
		}
		if got := containerDefinitionFromWire(c).Essential; got != tc.want {
			t.Errorf("%s: essential = %t, want %t", tc.json, got, tc.want)
		}
	}
}

func TestPortMappingToWire(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   ecs.PortMapping
		want string
	}{
		{"dynamic host port", ecs.PortMapping{ContainerPort: 80, Protocol: ecs.TransportProtocolTCP}, `{"containerPort":80,"hostPort":0,"protocol":"tcp"}`},
		{"static", ecs.PortMapping{ContainerPort: 80, HostPort: 80, Protocol: ecs.TransportProtocolUDP, Name: "dns"}, `{"containerPort":80,"hostPort":80,"protocol":"udp","name":"dns"}`},
		{"range", ecs.PortMapping{ContainerPortRange: "9000-9010", Protocol: ecs.TransportProtocolTCP}, `{"protocol":"tcp","containerPortRange":"9000-9010"}`},
	}
	for _, tc := range tests {
		b, err := json.Marshal(portMappingToWire(tc.in))
		if err != nil {
			t.Fatal(err)
		}
		if string(b) != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, b, tc.want)
		}
	}
}

func TestAttributeToWire(t *testing.T) {
	t.Parallel()
	b, err := json.Marshal(attributeToWire(ecs.Attribute{Name: "stack", Value: "prod", TargetType: ecs.TargetTypeContainerInstance, TargetID: "i-1"}))
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"name":"stack","value":"prod","targetType":"container-instance","targetId":"i-1"}`; string(b) != want {
		t.Errorf("attribute = %s, want %s", b, want)
	}
}

// sdkClient returns an aws-sdk-go-v2 ECS client whose requests handler answers.
func sdkClient(t *testing.T, handler http.HandlerFunc) *ecssdk.Client {
	t.Helper()
	srv := httptest.NewServer(handler)
	t.Cleanup(srv.Close)
	return ecssdk.New(ecssdk.Options{
		Region:           "us-east-1",
		BaseEndpoint:     aws.String(srv.URL),
		Credentials:      aws.AnonymousCredentials{},
		HTTPClient:       srv.Client(),
		RetryMaxAttempts: 1,
	})
}

// TestSDKReadsDescribeTaskDefinition checks the golden output against the real SDK's
// deserializer, and the SDK's request against the input shape.
func TestSDKReadsDescribeTaskDefinition(t *testing.T) {
	t.Parallel()
	body := describeFargateJSON(t)
	var got describeTaskDefinitionInput
	client := sdkClient(t, func(w http.ResponseWriter, r *http.Request) {
		if target := r.Header.Get("X-Amz-Target"); target != "AmazonEC2ContainerServiceV20141113.DescribeTaskDefinition" {
			t.Errorf("X-Amz-Target = %q", target)
		}
		req, _ := io.ReadAll(r.Body)
		if err := json.Unmarshal(req, &got); err != nil {
			t.Errorf("request %s: %v", req, err)
		}
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		_, _ = w.Write(body)
	})
	out, err := client.DescribeTaskDefinition(t.Context(), &ecssdk.DescribeTaskDefinitionInput{
		TaskDefinition: aws.String("web:1"),
		Include:        []types.TaskDefinitionField{types.TaskDefinitionFieldTags},
	})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(got.TaskDefinition) != "web:1" || !reflect.DeepEqual(got.Include, []string{"TAGS"}) {
		t.Errorf("decoded request = %+v", got)
	}
	td := out.TaskDefinition
	if aws.ToString(td.TaskDefinitionArn) != "arn:aws:ecs:us-east-1:000000000000:task-definition/web:1" || td.Revision != 1 ||
		td.Status != types.TaskDefinitionStatusActive || td.NetworkMode != types.NetworkModeAwsvpc ||
		aws.ToString(td.Cpu) != "256" || aws.ToString(td.Memory) != "512" || aws.ToString(td.RegisteredBy) != testRegisteredBy {
		t.Errorf("task definition = %+v", td)
	}
	if !aws.ToTime(td.RegisteredAt).Equal(testRegisteredAt) {
		t.Errorf("registeredAt = %v, want %v", aws.ToTime(td.RegisteredAt), testRegisteredAt)
	}
	if diff := cmp.Diff([]types.Compatibility{types.CompatibilityEc2, types.CompatibilityFargate}, td.Compatibilities); diff != "" {
		t.Errorf("compatibilities (-want +got):\n%s", diff)
	}
	c := td.ContainerDefinitions[0]
	pm := c.PortMappings[0]
	if !aws.ToBool(c.Essential) || c.Cpu != 0 || aws.ToInt32(pm.ContainerPort) != 8080 || aws.ToInt32(pm.HostPort) != 8080 ||
		pm.Protocol != types.TransportProtocolTcp || c.Environment == nil || c.MountPoints == nil || c.VolumesFrom == nil {
		t.Errorf("container = %+v", c)
	}
	hc := c.HealthCheck
	if aws.ToInt32(hc.Interval) != 10 || aws.ToInt32(hc.Timeout) != 5 || aws.ToInt32(hc.Retries) != 3 || aws.ToInt32(hc.StartPeriod) != 15 {
		t.Errorf("health check = %+v", hc)
	}
	if len(out.Tags) != 1 || aws.ToString(out.Tags[0].Key) != "team" {
		t.Errorf("tags = %+v", out.Tags)
	}
}

// TestSDKRegisterTaskDefinitionRequest checks that what the SDK sends for the Fargate file
// decodes to the same domain value as the file itself.
func TestSDKRegisterTaskDefinitionRequest(t *testing.T) {
	t.Parallel()
	var fileIn registerTaskDefinitionInput
	readJSON(t, fargateFile, &fileIn)
	want := taskDefinitionFromRegisterRequest(&fileIn)

	var got ecs.TaskDefinition
	body := describeFargateJSON(t) // same members as the RegisterTaskDefinition output
	client := sdkClient(t, func(w http.ResponseWriter, r *http.Request) {
		req, _ := io.ReadAll(r.Body)
		var in registerTaskDefinitionInput
		dec := json.NewDecoder(bytes.NewReader(req))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&in); err != nil {
			t.Errorf("request %s: %v", req, err)
		}
		got = taskDefinitionFromRegisterRequest(&in)
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		_, _ = w.Write(body)
	})
	_, err := client.RegisterTaskDefinition(t.Context(), &ecssdk.RegisterTaskDefinitionInput{
		Family:                  aws.String("web"),
		NetworkMode:             types.NetworkModeAwsvpc,
		RequiresCompatibilities: []types.Compatibility{types.CompatibilityFargate},
		Cpu:                     aws.String("256"),
		Memory:                  aws.String("512"),
		ExecutionRoleArn:        aws.String("arn:aws:iam::000000000000:role/ecsTaskExecutionRole"),
		ContainerDefinitions: []types.ContainerDefinition{{
			Name:         aws.String("web"),
			Image:        aws.String("000000000000.dkr.ecr.us-east-1.amazonaws.com/web:latest"),
			Essential:    aws.Bool(true),
			PortMappings: []types.PortMapping{{ContainerPort: aws.Int32(8080), Protocol: types.TransportProtocolTcp}},
			Environment:  []types.KeyValuePair{{Name: aws.String("GREETING"), Value: aws.String("hello")}},
			LogConfiguration: &types.LogConfiguration{LogDriver: types.LogDriverAwslogs, Options: map[string]string{
				"awslogs-group": "/ecs/web", "awslogs-region": "us-east-1", "awslogs-stream-prefix": "web",
			}},
			HealthCheck: &types.HealthCheck{
				Command:  []string{"CMD-SHELL", "curl -f http://localhost:8080/health || exit 1"},
				Interval: aws.Int32(10), Timeout: aws.Int32(5), Retries: aws.Int32(3), StartPeriod: aws.Int32(15),
			},
		}},
		Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("web")}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("SDK request decodes differently from the file (-file +sdk):\n%s", diff)
	}
}
