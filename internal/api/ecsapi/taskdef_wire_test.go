package ecsapi

import (
	"encoding/json"
	"os"
	"reflect"
	"slices"
	"testing"

	"github.com/fargohq/fargo/internal/api/wiretest"
	"github.com/google/go-cmp/cmp"
)

// taskDefinitionShapes maps the botocore shapes of the task definition operations to their wire
// types. Every shape in testdata/ecs-members.json must be here.
var taskDefinitionShapes = map[string]reflect.Type{
	"RegisterTaskDefinitionRequest":           reflect.TypeFor[registerTaskDefinitionInput](),
	"RegisterTaskDefinitionResponse":          reflect.TypeFor[registerTaskDefinitionOutput](),
	"DescribeTaskDefinitionRequest":           reflect.TypeFor[describeTaskDefinitionInput](),
	"DescribeTaskDefinitionResponse":          reflect.TypeFor[describeTaskDefinitionOutput](),
	"ListTaskDefinitionsRequest":              reflect.TypeFor[listTaskDefinitionsInput](),
	"ListTaskDefinitionsResponse":             reflect.TypeFor[listTaskDefinitionsOutput](),
	"ListTaskDefinitionFamiliesRequest":       reflect.TypeFor[listTaskDefinitionFamiliesInput](),
	"ListTaskDefinitionFamiliesResponse":      reflect.TypeFor[listTaskDefinitionFamiliesOutput](),
	"DeregisterTaskDefinitionRequest":         reflect.TypeFor[deregisterTaskDefinitionInput](),
	"DeregisterTaskDefinitionResponse":        reflect.TypeFor[deregisterTaskDefinitionOutput](),
	"DeleteTaskDefinitionsRequest":            reflect.TypeFor[deleteTaskDefinitionsInput](),
	"DeleteTaskDefinitionsResponse":           reflect.TypeFor[deleteTaskDefinitionsOutput](),
	"Failure":                                 reflect.TypeFor[wireFailure](),
	"Tag":                                     reflect.TypeFor[wireTag](),
	"KeyValuePair":                            reflect.TypeFor[wireKeyValuePair](),
	"TaskDefinition":                          reflect.TypeFor[wireTaskDefinition](),
	"ContainerDefinition":                     reflect.TypeFor[wireContainerDefinition](),
	"RepositoryCredentials":                   reflect.TypeFor[wireRepositoryCredentials](),
	"PortMapping":                             reflect.TypeFor[wirePortMapping](),
	"ContainerRestartPolicy":                  reflect.TypeFor[wireContainerRestartPolicy](),
	"EnvironmentFile":                         reflect.TypeFor[wireEnvironmentFile](),
	"MountPoint":                              reflect.TypeFor[wireMountPoint](),
	"VolumeFrom":                              reflect.TypeFor[wireVolumeFrom](),
	"LinuxParameters":                         reflect.TypeFor[wireLinuxParameters](),
	"KernelCapabilities":                      reflect.TypeFor[wireKernelCapabilities](),
	"Device":                                  reflect.TypeFor[wireDevice](),
	"Tmpfs":                                   reflect.TypeFor[wireTmpfs](),
	"Secret":                                  reflect.TypeFor[wireSecret](),
	"ContainerDependency":                     reflect.TypeFor[wireContainerDependency](),
	"HostEntry":                               reflect.TypeFor[wireHostEntry](),
	"Ulimit":                                  reflect.TypeFor[wireUlimit](),
	"LogConfiguration":                        reflect.TypeFor[wireLogConfiguration](),
	"HealthCheck":                             reflect.TypeFor[wireHealthCheck](),
	"SystemControl":                           reflect.TypeFor[wireSystemControl](),
	"ResourceRequirement":                     reflect.TypeFor[wireResourceRequirement](),
	"FirelensConfiguration":                   reflect.TypeFor[wireFirelensConfiguration](),
	"Volume":                                  reflect.TypeFor[wireVolume](),
	"HostVolumeProperties":                    reflect.TypeFor[wireHostVolumeProperties](),
	"DockerVolumeConfiguration":               reflect.TypeFor[wireDockerVolumeConfiguration](),
	"EFSVolumeConfiguration":                  reflect.TypeFor[wireEFSVolumeConfiguration](),
	"EFSAuthorizationConfig":                  reflect.TypeFor[wireEFSAuthorizationConfig](),
	"S3FilesVolumeConfiguration":              reflect.TypeFor[wireS3FilesVolumeConfiguration](),
	"FSxWindowsFileServerVolumeConfiguration": reflect.TypeFor[wireFSxWindowsFileServerVolumeConfiguration](),
	"FSxWindowsFileServerAuthorizationConfig": reflect.TypeFor[wireFSxWindowsFileServerAuthorizationConfig](),
	"TaskDefinitionPlacementConstraint":       reflect.TypeFor[wireTaskDefinitionPlacementConstraint](),
	"Attribute":                               reflect.TypeFor[wireAttribute](),
	"RuntimePlatform":                         reflect.TypeFor[wireRuntimePlatform](),
	"InferenceAccelerator":                    reflect.TypeFor[wireInferenceAccelerator](),
	"ProxyConfiguration":                      reflect.TypeFor[wireProxyConfiguration](),
	"EphemeralStorage":                        reflect.TypeFor[wireEphemeralStorage](),
}

// TestTaskDefinitionWireShapesMatchModel checks every wire struct against the botocore model:
// its JSON names are exactly the shape's members, and each field has the Go type the member's
// kind calls for (the SDKs' choice: pointers for boxed scalars, int32 for plain Integer).
func TestTaskDefinitionWireShapesMatchModel(t *testing.T) {
	t.Parallel()
	model := wiretest.ModelMembers(t, "testdata/ecs-members.json")
	shapeNames := map[reflect.Type]string{}
	for name, typ := range taskDefinitionShapes {
		shapeNames[typ] = name
	}
	for name := range model {
		if _, ok := taskDefinitionShapes[name]; !ok {
			t.Errorf("model shape %s has no wire type", name)
		}
	}
	for name, typ := range taskDefinitionShapes {
		members, ok := model[name]
		if !ok {
			t.Errorf("wire type %s maps to %s, which the model does not reach", typ, name)
			continue
		}
		wiretest.Check(t, name, typ, members, shapeNames, nil)
	}
}

// TestTaskDefinitionAlwaysSentMembers checks that the members ECS sends even when empty are sent
// for a definition that has none of them.
func TestTaskDefinitionAlwaysSentMembers(t *testing.T) {
	t.Parallel()
	out, err := json.Marshal(taskDefinitionToWire(minimalRegistered()))
	if err != nil {
		t.Fatal(err)
	}
	var task map[string]json.RawMessage
	var containers []map[string]json.RawMessage
	if err := json.Unmarshal(out, &task); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(task["containerDefinitions"], &containers); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"revision": "1", "volumes": "[]", "requiresAttributes": "[]", "placementConstraints": "[]",
		"compatibilities": `["EXTERNAL","EC2"]`, "status": `"ACTIVE"`, "enableFaultInjection": "false",
	}
	for member, value := range want {
		if got := string(task[member]); got != value {
			t.Errorf("task definition %s = %s, want %s", member, got, value)
		}
	}
	for _, absent := range []string{"networkMode", "requiresCompatibilities", "cpu", "memory", "runtimePlatform", "deregisteredAt"} {
		if _, ok := task[absent]; ok {
			t.Errorf("task definition has %s, want it left out", absent)
		}
	}
	wantContainer := map[string]string{
		"cpu": "0", "essential": "true", "portMappings": "[]", "environment": "[]", "mountPoints": "[]",
		"volumesFrom": "[]", "systemControls": "[]",
	}
	c := containers[0]
	for member, value := range wantContainer {
		if got := string(c[member]); got != value {
			t.Errorf("container %s = %s, want %s", member, got, value)
		}
	}
	var keys []string
	for k := range c {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	wantKeys := []string{"cpu", "environment", "essential", "image", "memory", "mountPoints", "name", "portMappings", "systemControls", "volumesFrom"}
	if diff := cmp.Diff(wantKeys, keys); diff != "" {
		t.Errorf("container members (-want +got):\n%s", diff)
	}
}

func TestTaskDefinitionOutputTags(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		tags []wireTag
		want string
	}{
		{"not asked for", nil, `{}`},
		{"asked for, none", []wireTag{}, `{"tags":[]}`},
		{"asked for", []wireTag{{Key: ptr("team"), Value: ptr("")}}, `{"tags":[{"key":"team","value":""}]}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			for _, out := range []any{describeTaskDefinitionOutput{Tags: tc.tags}, registerTaskDefinitionOutput{Tags: tc.tags}} {
				b, err := json.Marshal(out)
				if err != nil {
					t.Fatal(err)
				}
				if string(b) != tc.want {
					t.Errorf("%T = %s, want %s", out, b, tc.want)
				}
			}
		})
	}
}

// readJSON decodes the file at path into v.
func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}
